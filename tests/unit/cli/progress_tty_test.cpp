// The tty renderer against the terminal it draws on: rows sized to a width
// the test gives (40, 80, 200 columns, changed between redraws), checked on
// a small terminal model that wraps as a real one does, and the redraw
// throttle under floods of every event kind.

#include <crun/cli/progress.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <sstream>
#include <streambuf>
#include <string>
#include <vector>

namespace crun::cli {
namespace {

using core::PullEvent;
using Kind = PullEvent::Kind;

const std::string k_layer_a(12, 'a');
const std::string k_layer_b(12, 'b');
const std::string k_digest = "sha256:" + std::string(64, 'd');

PullEvent layer(std::string id, std::string status, std::int64_t current = 0,
                std::int64_t total = 0)
{
  PullEvent event;
  event.kind = Kind::layer;
  event.id = std::move(id);
  event.status = std::move(status);
  event.current = current;
  event.total = total;
  return event;
}

PullEvent status(std::string message)
{
  PullEvent event;
  event.kind = Kind::status;
  event.message = std::move(message);
  return event;
}

struct FakeClock {
  std::chrono::steady_clock::time_point now{};
  ProgressClock clock()
  {
    return [this] { return now; };
  }
};

// A terminal of `width` columns as far as the renderer uses one: printable
// text wraps at the right margin (xterm's deferred wrap), "\n" goes to the
// start of the next line, "\r" to the start of this one, ESC[2K clears it,
// ESC[J clears it and all below, ESC[<n>A moves up, SGR colours are ignored.
class TerminalModel {
public:
  explicit TerminalModel(std::size_t width) : m_width(width) {}

  void feed(const std::string& bytes)
  {
    for (std::size_t i = 0; i < bytes.size(); ++i) {
      const char c = bytes[i];
      if (c == '\x1b') {
        const std::size_t end = bytes.find_first_of("AJKm", i);
        ASSERT_NE(end, std::string::npos) << "unterminated escape";
        const std::string arguments = bytes.substr(i + 2, end - i - 2);
        if (bytes[end] == 'A') {
          m_row -= std::min(m_row, static_cast<std::size_t>(std::stoul(arguments)));
          m_pending_wrap = false;
        } else if (bytes[end] == 'K') {
          line().clear();
        } else if (bytes[end] == 'J') {
          line().clear();
          m_lines.resize(std::min(m_lines.size(), m_row + 1));
        }
        i = end;
      } else if (c == '\r') {
        m_column = 0;
        m_pending_wrap = false;
      } else if (c == '\n') {
        ++m_row;
        m_column = 0;
        m_pending_wrap = false;
      } else {
        if (m_pending_wrap) {
          ++m_row;
          m_column = 0;
          m_pending_wrap = false;
        }
        std::string& text = line();
        text.resize(std::max(text.size(), m_column + 1), ' ');
        text[m_column] = c;
        if (m_column + 1 == m_width) {
          m_pending_wrap = true;
        } else {
          ++m_column;
        }
      }
    }
  }

  /// The lines above the cursor's line.
  std::vector<std::string> lines() const
  {
    return {m_lines.begin(), m_lines.begin() + static_cast<std::ptrdiff_t>(m_row)};
  }

private:
  std::string& line()
  {
    if (m_lines.size() <= m_row) {
      m_lines.resize(m_row + 1);
    }
    return m_lines[m_row];
  }

  std::size_t m_width;
  std::vector<std::string> m_lines;
  std::size_t m_row = 0;
  std::size_t m_column = 0;
  bool m_pending_wrap = false;
};

// Counts the renderer's draws: each ends with one flush.
class CountingBuffer final : public std::stringbuf {
public:
  int flushes = 0;

protected:
  int sync() override
  {
    ++flushes;
    return std::stringbuf::sync();
  }
};

// The row a single-layer pull draws at `width` columns.
std::string one_row(unsigned width, const PullEvent& event)
{
  std::ostringstream err;
  auto renderer =
    make_progress_renderer(ProgressMode::tty, err, {.width = [width] { return width; }});
  renderer->on_event(event);
  const std::string out = err.str();
  const std::string clear = "\r\x1b[2K";
  EXPECT_EQ(out.rfind(clear, 0), 0U) << out;
  return out.substr(clear.size(), out.find('\n') - clear.size());
}

std::size_t bar_width(const std::string& row)
{
  const auto open = row.find('[');
  const auto close = row.find(']');
  return open == std::string::npos ? 0 : close - open - 1;
}

TEST(ProgressTty, BarAndRowFollowTheWidth)
{
  const PullEvent downloading = layer(k_layer_a, "Downloading", 1'048'576, 3'623'807);

  const std::string wide = one_row(200, downloading);
  EXPECT_EQ(bar_width(wide), 50U) << wide;
  EXPECT_EQ(wide.rfind(k_layer_a + ": Downloading [", 0), 0U) << wide;
  EXPECT_TRUE(wide.ends_with("]  1.05MB/3.62MB")) << wide;

  const std::string usual = one_row(80, downloading);
  EXPECT_EQ(bar_width(usual), 30U) << usual;
  EXPECT_LE(usual.size(), 79U);

  // 40 columns: no room for a bar; the id and status stay, the row is cut
  // to 39 columns.
  const std::string narrow = one_row(40, downloading);
  EXPECT_EQ(narrow.find('['), std::string::npos) << narrow;
  EXPECT_EQ(narrow, (k_layer_a + ": Downloading  1.05MB/3.62MB").substr(0, 39));

  // Narrower still: the id is the last thing left.
  EXPECT_EQ(one_row(16, downloading), k_layer_a + ": D");
  // Unknown (0) means 80.
  EXPECT_EQ(one_row(0, downloading), usual);
}

TEST(ProgressTty, ARowIsCutByCharactersNotBytes)
{
  const std::string row = one_row(20, layer(k_layer_a, "T\xc3\xa9l\xc3\xa9"
                                                       "chargement"));
  // 19 columns: 12 + ": " + 5 characters, the two é whole.
  EXPECT_EQ(row, k_layer_a + ": T\xc3\xa9l\xc3\xa9"
                             "c");
}

TEST(ProgressTty, AResizeBetweenRedrawsIsHonoured)
{
  FakeClock clock;
  unsigned width = 80;
  std::ostringstream err;
  auto renderer = make_progress_renderer(
    ProgressMode::tty, err, {.clock = clock.clock(), .width = [&width] { return width; }});
  renderer->on_event(layer(k_layer_a, "Downloading", 1, 10));
  renderer->on_event(layer(k_layer_b, "Downloading", 1, 10));
  clock.now += k_progress_redraw_interval;
  renderer->on_event(layer(k_layer_b, "Downloading", 2, 10));
  EXPECT_EQ(bar_width(err.str().substr(err.str().rfind(k_layer_b))), 30U) << err.str();

  width = 200;
  err.str("");
  clock.now += k_progress_redraw_interval;
  renderer->on_event(layer(k_layer_b, "Downloading", 3, 10));
  EXPECT_EQ(err.str().rfind("\x1b[2A", 0), 0U) << err.str();
  EXPECT_EQ(bar_width(err.str().substr(err.str().rfind(k_layer_b))), 50U) << err.str();

  width = 30;
  err.str("");
  clock.now += k_progress_redraw_interval;
  renderer->on_event(layer(k_layer_b, "Downloading", 4, 10));
  // 29 columns: the bar goes, then the sizes are cut.
  EXPECT_EQ(err.str(), "\x1b[2A\r\x1b[2K" + k_layer_a + ": Downloading  1B\n\r\x1b[2K" + k_layer_b +
                         ": Downloading  4B\n")
    << "rows of 29 columns";
}

// The whole pull on a 40-column terminal model: every redraw lands on the
// rows it replaces, so the screen ends with each row once, in order, however
// long the status lines between the layers are.
TEST(ProgressTty, RedrawsLandInPlaceOnANarrowTerminal)
{
  FakeClock clock;
  std::ostringstream err;
  auto renderer = make_progress_renderer(ProgressMode::tty, err,
                                         {.clock = clock.clock(), .width = [] { return 40U; }});
  const std::string pulling = "1: Pulling from bench/multi, a line longer than forty columns";
  const std::string between = "Copying config sha256:0123456789abcdef0123456789abcdef01234567";
  std::vector<PullEvent> events = {
    status(pulling),
    layer(k_layer_a, "Pulling fs layer"),
    status(between),
    layer(k_layer_b, "Pulling fs layer"),
  };
  for (std::int64_t i = 0; i <= 100; i += 10) {
    events.push_back(layer(k_layer_a, "Downloading", i * 1000, 100'000));
    events.push_back(layer(k_layer_b, "Downloading", i * 500, 50'000));
  }
  events.push_back(layer(k_layer_a, "Pull complete"));
  events.push_back(layer(k_layer_b, "Pull complete"));
  for (const auto& event : events) {
    renderer->on_event(event);
    clock.now += k_progress_redraw_interval;
  }
  renderer->finish(k_digest);

  TerminalModel terminal(40);
  terminal.feed(err.str());
  // Rows above the first layer and the final screen keep their whole text
  // (the terminal wraps them); the rows that were redrawn never wrapped.
  const std::string digest_row = "Digest: " + k_digest;
  const std::vector<std::string> expected = {
    pulling.substr(0, 40),    pulling.substr(40),        k_layer_a + ": Pull complete",
    between.substr(0, 40),    between.substr(40),        k_layer_b + ": Pull complete",
    digest_row.substr(0, 40), digest_row.substr(40, 40),
  };
  EXPECT_EQ(terminal.lines(), expected) << err.str();
}

// Podman's stream may end a small blob at "Copying": the last screen of a
// pull that succeeded shows it complete (and green, when colour is on).
TEST(ProgressTty, TheLastScreenShowsEveryLayerComplete)
{
  std::ostringstream err;
  auto renderer = make_progress_renderer(ProgressMode::tty, err, {.color = true});
  renderer->on_event(layer(k_layer_a, "Copying"));
  EXPECT_EQ(err.str(), "\r\x1b[2K" + k_layer_a + ": Copying\n");
  err.str("");
  renderer->finish("");
  EXPECT_EQ(err.str(), "\x1b[1A\r\x1b[2K" + k_layer_a + ": \x1b[32mPull complete\x1b[0m\n");
}

// A flood of status lines (Podman reports one per blob) is throttled like
// layer updates, and none is lost: finish() draws what is pending.
TEST(ProgressTty, AFloodOfStatusLinesIsThrottled)
{
  FakeClock clock;
  CountingBuffer buffer;
  std::ostream err(&buffer);
  auto renderer = make_progress_renderer(ProgressMode::tty, err, {.clock = clock.clock()});
  renderer->on_event(layer(k_layer_a, "Pulling fs layer"));
  constexpr int k_events = 2'000;
  for (int i = 0; i < k_events; ++i) {
    clock.now += std::chrono::milliseconds(1);
    renderer->on_event(status("Copying blob " + std::to_string(i)));
  }
  // One draw per redraw interval (2 s of events: 20), the first, and finish.
  EXPECT_LE(buffer.flushes, k_events / 100 + 2);
  EXPECT_GE(buffer.flushes, k_events / 100);
  renderer->finish("");
  EXPECT_NE(buffer.str().find("Copying blob 1999\n"), std::string::npos);
}

TEST(ProgressTty, AFloodOfMixedEventsAtOneInstantDrawsOnce)
{
  FakeClock clock;
  CountingBuffer buffer;
  std::ostream err(&buffer);
  auto renderer = make_progress_renderer(ProgressMode::tty, err, {.clock = clock.clock()});
  for (int i = 0; i < 10'000; ++i) {
    if (i % 3 == 0) {
      renderer->on_event(status("line " + std::to_string(i)));
    } else {
      renderer->on_event(layer(i % 2 == 0 ? k_layer_a : k_layer_b, "Downloading", i, 10'000));
    }
  }
  EXPECT_EQ(buffer.flushes, 1);
  renderer->finish("");
  EXPECT_EQ(buffer.flushes, 2);
}

} // namespace
} // namespace crun::cli
