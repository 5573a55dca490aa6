// `--progress tty`: docker-style bars redrawn in place. Rows (status lines
// and layers) appear in order of arrival; everything from the first layer row
// down is redrawn with a cursor-up and clear-line per row, so status lines
// that arrive between layer updates stay where docker would put them.
// Redraws are throttled: a pull that reports every 32 KiB of every layer
// still writes at most one screen per k_progress_redraw_interval.

#include "progress_renderers.hpp"

#include <crun/core/pull_events.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <optional>
#include <vector>

namespace crun::cli::progress_detail {
namespace {

using Kind = core::PullEvent::Kind;
using Clock = std::chrono::steady_clock;

// Layer rows are cut to this many bytes so that an 80-column terminal never
// wraps them; a wrapped row would make the cursor-up count wrong.
constexpr std::size_t k_row_width = 79;
constexpr std::size_t k_bar_width = 30;
constexpr std::string_view k_clear_line = "\r\x1b[2K";
constexpr std::string_view k_green = "\x1b[32m";
constexpr std::string_view k_reset = "\x1b[0m";

std::size_t code_points(std::string_view text)
{
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U;
  }));
}

std::string cut(std::string text, std::size_t max_bytes)
{
  if (text.size() <= max_bytes) {
    return text;
  }
  std::size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0U) == 0x80U) {
    --end;
  }
  text.resize(end);
  return text;
}

std::string bar(std::int64_t current, std::int64_t total)
{
  const auto filled = static_cast<std::size_t>(std::clamp<std::int64_t>(current, 0, total) *
                                               static_cast<std::int64_t>(k_bar_width) / total);
  if (filled >= k_bar_width) {
    return fmt::format("[{}]", std::string(k_bar_width, '='));
  }
  return fmt::format("[{}>{}]", std::string(filled, '='),
                     std::string(k_bar_width - filled - 1, ' '));
}

// `c6a83fedfae6: Downloading [=====>      ]  1.05MB/3.62MB`
std::string layer_row(const core::LayerState& layer, bool color)
{
  const std::string head = printable(layer.id) + ": ";
  const std::string status = printable(layer.status);
  std::string tail;
  if (layer.total > 0) {
    tail = fmt::format(" {}  {}/{}", bar(layer.current, layer.total), human_size(layer.current),
                       human_size(layer.total));
  } else if (layer.current > 0) {
    tail = fmt::format("  {}", human_size(layer.current));
  }
  const std::string plain = head + status + tail;
  if (plain.size() > k_row_width || !color || !layer.done) {
    return cut(plain, k_row_width);
  }
  return fmt::format("{}{}{}{}{}", head, k_green, status, k_reset, tail);
}

class TtyProgressRenderer final : public ProgressRenderer {
public:
  TtyProgressRenderer(std::ostream& err, bool color, ProgressClock clock)
    : m_err(err), m_color(color), m_clock(std::move(clock))
  {
  }

  void on_event(const core::PullEvent& event) override
  {
    if (m_finished) {
      return;
    }
    const bool known = event.kind != Kind::layer || m_progress.find(event.id) != nullptr;
    m_progress.apply(event);
    switch (event.kind) {
    case Kind::layer:
      if (!known) {
        m_rows.push_back(Row{true, event.id});
        m_first_live = std::min(m_first_live, m_rows.size() - 1);
      }
      if (!m_last_draw || m_clock() - *m_last_draw >= k_progress_redraw_interval) {
        draw();
      }
      break;
    case Kind::status:
      m_rows.push_back(Row{false, printable(event.message)});
      draw();
      break;
    // Show the last state before the caller reports the error.
    case Kind::error: draw(); break;
    case Kind::digest:
    case Kind::image_id: break;
    }
  }

  void finish(const std::string& digest) override
  {
    if (m_finished) {
      return;
    }
    if (!digest.empty()) {
      m_rows.push_back(Row{false, "Digest: " + printable(digest)});
    }
    draw();
    m_finished = true;
  }

private:
  struct Row {
    bool layer;
    std::string text; ///< layer: its id; otherwise the line itself
  };

  std::string row_text(const Row& row) const
  {
    return row.layer ? layer_row(*m_progress.find(row.text), m_color) : row.text;
  }

  // Terminal lines a row takes on an 80-column terminal.
  static std::size_t row_height(const Row& row)
  {
    return row.layer ? 1 : std::max<std::size_t>(1, (code_points(row.text) + 79) / 80);
  }

  void draw()
  {
    // Rows above the first layer never change; redraw from there (or from
    // the first row not yet drawn, if that comes earlier).
    const std::size_t start = std::min(m_first_live, m_heights.size());
    std::size_t up = 0;
    for (std::size_t i = start; i < m_heights.size(); ++i) {
      up += m_heights[i];
    }
    std::string screen;
    if (up > 0) {
      screen += fmt::format("\x1b[{}A", up);
    }
    m_heights.resize(start);
    for (std::size_t i = start; i < m_rows.size(); ++i) {
      screen += k_clear_line;
      screen += row_text(m_rows[i]);
      screen += '\n';
      m_heights.push_back(row_height(m_rows[i]));
    }
    m_err << screen;
    m_err.flush();
    m_last_draw = m_clock();
  }

  std::ostream& m_err;
  bool m_color;
  ProgressClock m_clock;
  core::PullProgress m_progress;
  std::vector<Row> m_rows;
  std::vector<std::size_t> m_heights; ///< terminal lines of each row drawn so far
  /// Index of the first layer row; rows above it are final.
  std::size_t m_first_live = std::numeric_limits<std::size_t>::max();
  std::optional<Clock::time_point> m_last_draw;
  bool m_finished = false;
};

} // namespace

std::unique_ptr<ProgressRenderer> make_tty_renderer(std::ostream& err, bool color,
                                                    ProgressClock clock)
{
  return std::make_unique<TtyProgressRenderer>(err, color, std::move(clock));
}

} // namespace crun::cli::progress_detail
