// `--progress tty`: docker-style bars redrawn in place. Rows (status lines
// and layers) appear in order of arrival; everything from the first layer row
// down is redrawn with a cursor-up and clear-line per row, so status lines
// that arrive between layer updates stay where docker would put them.
// Redraws are throttled: a pull that reports every 32 KiB of every layer, or
// a status line per blob, still writes at most one screen per
// k_progress_redraw_interval. Rows follow the terminal's width, asked before
// every redraw.

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

constexpr unsigned k_default_width = 80;
// A bar narrower than this says nothing; the row goes without it.
constexpr std::size_t k_min_bar = 10;
constexpr std::size_t k_max_bar = 50;
constexpr std::string_view k_clear_line = "\r\x1b[2K";
constexpr std::string_view k_green = "\x1b[32m";
constexpr std::string_view k_reset = "\x1b[0m";

bool continuation(char c)
{
  return (static_cast<unsigned char>(c) & 0xC0U) == 0x80U;
}

// Columns as code points: engine text is ids, English statuses and sizes;
// a double-width character would only make a row one column shorter than
// the terminal allows, never wrap it by more than the spare column.
std::size_t columns(std::string_view text)
{
  return static_cast<std::size_t>(
    std::count_if(text.begin(), text.end(), [](char c) { return !continuation(c); }));
}

// `text` cut to at most `max_columns` code points, never inside one.
std::string cut(std::string text, std::size_t max_columns)
{
  std::size_t seen = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (continuation(text[i])) {
      continue;
    }
    if (seen == max_columns) {
      text.resize(i);
      return text;
    }
    ++seen;
  }
  return text;
}

std::string bar(std::int64_t current, std::int64_t total, std::size_t width)
{
  const auto filled = static_cast<std::size_t>(std::clamp<std::int64_t>(current, 0, total) *
                                               static_cast<std::int64_t>(width) / total);
  if (filled >= width) {
    return fmt::format("[{}]", std::string(width, '='));
  }
  return fmt::format("[{}>{}]", std::string(filled, '='), std::string(width - filled - 1, ' '));
}

// `c6a83fedfae6: Downloading [=====>      ]  1.05MB/3.62MB`, at most
// `max_columns` wide: the bar shrinks, then goes, then the end is cut.
std::string layer_row(const core::LayerState& layer, bool color, std::size_t max_columns)
{
  const std::string head = printable(layer.id) + ": ";
  const std::string status = printable(layer.status);
  std::string tail;
  if (layer.total > 0) {
    const std::string sizes =
      fmt::format("  {}/{}", human_size(layer.current), human_size(layer.total));
    // " [" and "]" around the bar.
    const std::size_t fixed = columns(head) + columns(status) + columns(sizes) + 3;
    const std::size_t room = max_columns > fixed ? max_columns - fixed : 0;
    const std::size_t wanted = std::min(k_max_bar, (max_columns + 1) * 3 / 8);
    const std::size_t width = std::min(wanted, room);
    tail = width >= k_min_bar ? " " + bar(layer.current, layer.total, width) + sizes : sizes;
  } else if (layer.current > 0) {
    tail = fmt::format("  {}", human_size(layer.current));
  }
  const std::string plain = head + status + tail;
  if (columns(plain) > max_columns || !color || !layer.done) {
    return cut(plain, max_columns);
  }
  return fmt::format("{}{}{}{}{}", head, k_green, status, k_reset, tail);
}

class TtyProgressRenderer final : public ProgressRenderer {
public:
  TtyProgressRenderer(std::ostream& err, bool color, ProgressClock clock, TerminalWidth width)
    : m_err(err), m_color(color), m_clock(std::move(clock)), m_width(std::move(width))
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
      draw_if_due();
      break;
    // A status line waits like a layer update; the next draw or finish()
    // shows it.
    case Kind::status:
      m_rows.push_back(Row{false, printable(event.message)});
      draw_if_due();
      break;
    // Show the last state before the caller reports the error.
    case Kind::error: draw(false); break;
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
    draw(true);
    m_finished = true;
  }

private:
  struct Row {
    bool layer;
    std::string text; ///< layer: its id; otherwise the line itself
  };

  // The state a layer row shows. On the last screen of a pull that
  // succeeded every layer is complete, also one whose engine never said so
  // (Podman reports a small blob's "Copying blob" and no "done").
  core::LayerState shown_layer(const std::string& id, bool last) const
  {
    core::LayerState layer = *m_progress.find(id);
    if (last && !layer.done) {
      layer.status = "Pull complete";
      layer.current = 0;
      layer.total = 0;
      layer.done = true;
    }
    return layer;
  }

  void draw_if_due()
  {
    if (!m_last_draw || m_clock() - *m_last_draw >= k_progress_redraw_interval) {
      draw(false);
    }
  }

  // Redraws from the first layer row (or the first row not yet drawn, if
  // that comes earlier). Every row that a later draw redraws is cut to one
  // line, so the cursor goes up exactly one line per row; rows above the
  // first layer and the last screen (`last`) are never redrawn and keep
  // their whole text.
  void draw(bool last)
  {
    const unsigned asked = m_width();
    const std::size_t max_columns = (asked == 0 ? k_default_width : std::max(asked, 2U)) - 1;
    const std::size_t start = std::min(m_first_live, m_drawn);
    std::string rows;
    bool wraps = false;
    for (std::size_t i = start; i < m_rows.size(); ++i) {
      const Row& row = m_rows[i];
      rows += k_clear_line;
      if (row.layer) {
        rows += layer_row(shown_layer(row.text, last), m_color, max_columns);
      } else if (last || i < m_first_live) {
        rows += row.text;
        wraps = wraps || columns(row.text) > max_columns;
      } else {
        rows += cut(row.text, max_columns);
      }
      rows += '\n';
    }
    std::string screen;
    if (m_drawn > start) {
      screen += fmt::format("\x1b[{}A", m_drawn - start);
      // A row that wraps now writes over the start of the line below it,
      // which its own clear-line would not reach: clear the screen below.
      if (wraps) {
        screen += "\r\x1b[J";
      }
    }
    screen += rows;
    m_drawn = m_rows.size();
    m_err << screen;
    m_err.flush();
    m_last_draw = m_clock();
  }

  std::ostream& m_err;
  bool m_color;
  ProgressClock m_clock;
  TerminalWidth m_width;
  core::PullProgress m_progress;
  std::vector<Row> m_rows;
  std::size_t m_drawn = 0; ///< rows on the screen so far
  /// Index of the first layer row; rows above it are final.
  std::size_t m_first_live = std::numeric_limits<std::size_t>::max();
  std::optional<Clock::time_point> m_last_draw;
  bool m_finished = false;
};

} // namespace

std::unique_ptr<ProgressRenderer> make_tty_renderer(std::ostream& err, bool color,
                                                    ProgressClock clock, TerminalWidth width)
{
  return std::make_unique<TtyProgressRenderer>(err, color, std::move(clock), std::move(width));
}

} // namespace crun::cli::progress_detail
