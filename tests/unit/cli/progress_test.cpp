#include <crun/cli/progress.hpp>

#include "support/error_of.hpp"

#include <crun/core/error.hpp>
#include <crun/core/json_lines.hpp>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

namespace crun::cli {
namespace {

using core::PullEvent;
using Kind = PullEvent::Kind;

PullEvent make(Kind kind, std::string id, std::string status, std::int64_t current,
               std::int64_t total, std::string message)
{
  PullEvent event;
  event.kind = kind;
  event.id = std::move(id);
  event.status = std::move(status);
  event.current = current;
  event.total = total;
  event.message = std::move(message);
  return event;
}

PullEvent layer(std::string id, std::string status, std::int64_t current = 0,
                std::int64_t total = 0)
{
  return make(Kind::layer, std::move(id), std::move(status), current, total, "");
}

PullEvent status(std::string message)
{
  return make(Kind::status, "", "", 0, 0, std::move(message));
}

const std::string k_layer_a(12, 'a');
const std::string k_layer_b(12, 'b');

// A Docker-like pull of two layers, one already present.
std::vector<PullEvent> docker_like_pull()
{
  return {
    status("1: Pulling from bench/multi"),
    layer(k_layer_a, "Pulling fs layer"),
    layer(k_layer_b, "Already exists"),
    layer(k_layer_a, "Downloading", 1048576, 3623807),
    layer(k_layer_a, "Downloading", 3623807, 3623807),
    layer(k_layer_a, "Verifying Checksum"),
    layer(k_layer_a, "Download complete"),
    layer(k_layer_a, "Extracting", 32768, 3623807),
    layer(k_layer_a, "Extracting", 3623807, 3623807),
    layer(k_layer_a, "Pull complete"),
    make(Kind::digest, "sha256:abc", "", 0, 0, "Digest: sha256:abc"),
    status("Status: Downloaded newer image for 127.0.0.1:5857/bench/multi:1"),
  };
}

std::string render(ProgressMode mode, const std::vector<PullEvent>& events,
                   const std::string& digest, ProgressClock clock = {}, bool color = false)
{
  std::ostringstream err;
  auto renderer = make_progress_renderer(mode, err, {.color = color, .clock = std::move(clock)});
  for (const auto& event : events) {
    renderer->on_event(event);
  }
  renderer->finish(digest);
  renderer->finish(digest); // k_layer_a second finish does nothing
  return err.str();
}

std::size_t count(const std::string& text, std::string_view needle)
{
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

// A clock the test moves by hand.
struct FakeClock {
  std::chrono::steady_clock::time_point now{};
  ProgressClock clock()
  {
    return [this] { return now; };
  }
};

TEST(ProgressMode, ParsesEveryFlagValue)
{
  EXPECT_EQ(parse_progress_mode("auto"), ProgressMode::auto_);
  EXPECT_EQ(parse_progress_mode("tty"), ProgressMode::tty);
  EXPECT_EQ(parse_progress_mode("plain"), ProgressMode::plain);
  EXPECT_EQ(parse_progress_mode("json"), ProgressMode::json);
  EXPECT_EQ(parse_progress_mode("none"), ProgressMode::none);
  for (auto mode : {ProgressMode::auto_, ProgressMode::tty, ProgressMode::plain, ProgressMode::json,
                    ProgressMode::none}) {
    EXPECT_EQ(parse_progress_mode(progress_mode_name(mode)), mode);
  }
}

TEST(ProgressMode, BadValueIsUsageErrorListingTheValues)
{
  for (const char* bad : {"fancy", "", "JSON", "tty "}) {
    SCOPED_TRACE(bad);
    auto error = test::error_of([&] { parse_progress_mode(bad); });
    EXPECT_EQ(error.code(), Errc::usage);
    EXPECT_EQ(error.message(), fmt::format("invalid --progress value \"{}\": expected auto, tty, "
                                           "plain, json or none",
                                           bad));
  }
}

TEST(ProgressMode, AutoIsTtyOnATerminalAndPlainOtherwise)
{
  EXPECT_EQ(resolve_progress_mode(ProgressMode::auto_, true), ProgressMode::tty);
  EXPECT_EQ(resolve_progress_mode(ProgressMode::auto_, false), ProgressMode::plain);
  EXPECT_EQ(resolve_progress_mode(ProgressMode::json, true), ProgressMode::json);
  EXPECT_EQ(resolve_progress_mode(ProgressMode::tty, false), ProgressMode::tty);
}

// TERM=dumb cannot move the cursor: auto draws no bars there, an explicit
// --progress tty is still honoured.
TEST(ProgressMode, AutoIsPlainOnADumbTerminal)
{
  EXPECT_EQ(resolve_progress_mode(ProgressMode::auto_, true, true), ProgressMode::plain);
  EXPECT_EQ(resolve_progress_mode(ProgressMode::auto_, false, true), ProgressMode::plain);
  EXPECT_EQ(resolve_progress_mode(ProgressMode::tty, true, true), ProgressMode::tty);
  std::ostringstream err;
  auto renderer =
    make_progress_renderer(ProgressMode::auto_, err, {.err_is_tty = true, .dumb_terminal = true});
  renderer->on_event(layer(k_layer_a, "Downloading", 5, 10));
  renderer->finish("");
  EXPECT_EQ(err.str(), k_layer_a + ": Downloading\n");
}

TEST(ProgressRenderer, AutoWithoutATerminalRendersPlain)
{
  std::ostringstream err;
  auto renderer = make_progress_renderer(ProgressMode::auto_, err, {.color = true});
  renderer->on_event(layer(k_layer_a, "Downloading", 1, 2));
  EXPECT_EQ(err.str(), k_layer_a + ": Downloading\n");
}

TEST(ProgressRenderer, PlainWritesOneLinePerStatusChange)
{
  EXPECT_EQ(render(ProgressMode::plain, docker_like_pull(), "sha256:abc"),
            "1: Pulling from bench/multi\n" + k_layer_a + ": Pulling fs layer\n" + k_layer_b +
              ": Already exists\n" + k_layer_a + ": Downloading\n" + k_layer_a +
              ": Verifying Checksum\n" + k_layer_a + ": Download complete\n" + k_layer_a +
              ": Extracting\n" + k_layer_a +
              ": Pull complete\n"
              "Status: Downloaded newer image for 127.0.0.1:5857/bench/multi:1\n"
              "Digest: sha256:abc\n");
}

TEST(ProgressRenderer, PlainLeavesErrorsToTheCallerAndOmitsAnUnknownDigest)
{
  EXPECT_EQ(render(ProgressMode::plain,
                   {status("Trying to pull x..."), make(Kind::error, "", "", 0, 0, "denied"),
                    make(Kind::image_id, "f00", "", 0, 0, "")},
                   ""),
            "Trying to pull x...\n");
}

TEST(ProgressRenderer, PlainStripsControlCharacters)
{
  EXPECT_EQ(render(ProgressMode::plain,
                   {status("evil \x1b]0;title\x07 \xC2\x9B"
                           "2J\tend")},
                   ""),
            "evil ?]0;title? ?2J end\n");
}

TEST(ProgressRenderer, JsonWritesOneObjectPerEvent)
{
  auto events = docker_like_pull();
  events.resize(4);
  events.push_back(make(Kind::digest, "sha256:abc", "", 0, 0, "Digest: sha256:abc"));
  events.push_back(make(Kind::image_id, "f00", "", 0, 0, ""));
  events.push_back(make(Kind::error, "", "", 0, 0, "no matching manifest"));
  EXPECT_EQ(render(ProgressMode::json, events, "sha256:abc"),
            R"({"event":"status","message":"1: Pulling from bench/multi"})"
            "\n"
            R"({"event":"layer","id":")" +
              k_layer_a +
              R"(","status":"Pulling fs layer","current":0,"total":0})"
              "\n"
              R"({"event":"layer","id":")" +
              k_layer_b +
              R"(","status":"Already exists","current":0,"total":0})"
              "\n"
              R"({"event":"layer","id":")" +
              k_layer_a +
              R"(","status":"Downloading","current":1048576,"total":3623807})"
              "\n"
              R"({"event":"digest","digest":"sha256:abc"})"
              "\n"
              R"({"event":"image_id","id":"f00"})"
              "\n"
              R"({"event":"error","message":"no matching manifest"})"
              "\n"
              R"({"event":"done","digest":"sha256:abc"})"
              "\n");
}

TEST(ProgressRenderer, JsonDoneWithoutDigestIsNullAndBadUtf8IsReplaced)
{
  EXPECT_EQ(render(ProgressMode::json, {status("bad \xFF byte\x1b")}, ""),
            "{\"event\":\"status\",\"message\":\"bad \xEF\xBF\xBD byte\\u001b\"}\n"
            "{\"event\":\"done\",\"digest\":null}\n");
}

TEST(ProgressRenderer, NoneWritesNothing)
{
  EXPECT_EQ(render(ProgressMode::none, docker_like_pull(), "sha256:abc"), "");
}

TEST(ProgressRenderer, TtyDrawsBarsInPlace)
{
  FakeClock clock;
  std::ostringstream err;
  auto renderer = make_progress_renderer(ProgressMode::tty, err, {.clock = clock.clock()});
  renderer->on_event(status("1: Pulling from bench/multi"));
  EXPECT_EQ(err.str(), "\r\x1b[2K1: Pulling from bench/multi\n");

  // The status draw started the redraw interval; a layer waits for its end.
  err.str("");
  renderer->on_event(layer(k_layer_a, "Downloading", 1048576, 3623807));
  EXPECT_EQ(err.str(), "");
  clock.now += k_progress_redraw_interval;
  renderer->on_event(layer(k_layer_a, "Downloading", 1048576, 3623807));
  EXPECT_EQ(err.str(), "\r\x1b[2K" + k_layer_a + ": Downloading [========>" + std::string(21, ' ') +
                         "]  1.05MB/3.62MB\n");

  // Within the redraw interval nothing is written...
  err.str("");
  renderer->on_event(layer(k_layer_b, "Pulling fs layer"));
  EXPECT_EQ(err.str(), "");
  // ...after it, both layer rows are redrawn from the first one up.
  clock.now += k_progress_redraw_interval;
  renderer->on_event(layer(k_layer_b, "Downloading", 512, 2000));
  EXPECT_EQ(err.str(), "\x1b[1A"
                       "\r\x1b[2K" +
                         k_layer_a + ": Downloading [========>" + std::string(21, ' ') +
                         "]  1.05MB/3.62MB\n"
                         "\r\x1b[2K" +
                         k_layer_b + ": Downloading [=======>" + std::string(22, ' ') +
                         "]  512B/2.00kB\n");

  // A status line waits for the interval like a layer update; finish()
  // draws it below the layers, each of them complete now.
  err.str("");
  renderer->on_event(layer(k_layer_a, "Pull complete"));
  renderer->on_event(status("Status: done"));
  EXPECT_EQ(err.str(), "");
  renderer->finish("sha256:abc");
  EXPECT_EQ(err.str(), "\x1b[2A"
                       "\r\x1b[2K" +
                         k_layer_a +
                         ": Pull complete\n"
                         "\r\x1b[2K" +
                         k_layer_b +
                         ": Pull complete\n"
                         "\r\x1b[2KStatus: done\n"
                         "\r\x1b[2KDigest: sha256:abc\n");
}

TEST(ProgressRenderer, TtyColoursFinishedLayersOnlyWhenAsked)
{
  FakeClock clock;
  const std::string coloured =
    render(ProgressMode::tty, {layer(k_layer_a, "Pull complete")}, "", clock.clock(), true);
  EXPECT_NE(coloured.find(k_layer_a + ": \x1b[32mPull complete\x1b[0m"), std::string::npos)
    << coloured;
  const std::string plain =
    render(ProgressMode::tty, {layer(k_layer_a, "Pull complete")}, "", clock.clock(), false);
  EXPECT_EQ(plain.find("\x1b[32m"), std::string::npos);
}

TEST(ProgressRenderer, TtyFullBarAndLargeSizes)
{
  FakeClock clock;
  const std::string out =
    render(ProgressMode::tty, {layer(k_layer_a, "Extracting", 1'500'000'000, 1'500'000'000)}, "",
           clock.clock());
  EXPECT_NE(out.find("[" + std::string(30, '=') + "]  1.50GB/1.50GB"), std::string::npos) << out;
}

// 10^5 byte-level events must not mean 10^5 screens.
TEST(ProgressRenderer, TtyIsThrottled)
{
  FakeClock clock;
  std::ostringstream err;
  auto renderer =
    make_progress_renderer(ProgressMode::tty, err, {.err_is_tty = true, .clock = clock.clock()});
  renderer->on_event(layer(k_layer_a, "Pulling fs layer"));
  renderer->on_event(layer(k_layer_b, "Pulling fs layer"));
  for (std::int64_t i = 0; i < 100'000; ++i) {
    renderer->on_event(layer(i % 2 == 0 ? k_layer_a : k_layer_b, "Downloading", i, 100'000));
  }
  // The clock never moved: one draw for the first event, one at the end.
  renderer->finish("");
  EXPECT_EQ(count(err.str(), "\x1b[2K"), 1U + 2U);
  EXPECT_NE(err.str().find(k_layer_b + ": Pull complete"), std::string::npos);

  // With 1 ms between events: one screen per redraw interval.
  std::ostringstream timed;
  auto second =
    make_progress_renderer(ProgressMode::tty, timed, {.err_is_tty = true, .clock = clock.clock()});
  for (std::int64_t i = 0; i < 100'000; ++i) {
    clock.now += std::chrono::milliseconds(1);
    second->on_event(layer(k_layer_a, "Downloading", i, 100'000));
  }
  const std::size_t screens = count(timed.str(), "\x1b[2K");
  EXPECT_LE(screens, 100'000U / 100U + 1U);
  EXPECT_GE(screens, 100'000U / 100U - 1U);
}

TEST(ProgressRenderer, TtyLayerRowsFitEightyColumns)
{
  FakeClock clock;
  const std::string out =
    render(ProgressMode::tty,
           {layer(k_layer_a, "A very long status that an engine might send one day", 5, 10)}, "",
           clock.clock());
  const std::string row = out.substr(std::string_view("\r\x1b[2K").size(),
                                     out.find('\n') - std::string_view("\r\x1b[2K").size());
  // No room for a bar: it goes, the status and sizes stay.
  EXPECT_LE(row.size(), 79U);
  EXPECT_EQ(row, k_layer_a + ": A very long status that an engine might send one day  5B/10B");
}

TEST(ProgressRenderer, TtyDrawsTheStateWhenAnErrorArrives)
{
  FakeClock clock;
  std::ostringstream err;
  auto renderer =
    make_progress_renderer(ProgressMode::tty, err, {.err_is_tty = true, .clock = clock.clock()});
  renderer->on_event(layer(k_layer_a, "Downloading", 1, 10));
  renderer->on_event(layer(k_layer_a, "Downloading", 9, 10));
  err.str("");
  renderer->on_event(make(Kind::error, "", "", 0, 0, "unexpected EOF"));
  EXPECT_NE(err.str().find("9B/10B"), std::string::npos) << err.str();
  EXPECT_EQ(err.str().find("unexpected EOF"), std::string::npos);
}

// End to end over a real capture (tests/fixtures/docker/README.md): bytes
// through the line decoder, the Docker decoder and the plain renderer.
TEST(ProgressRenderer, PlainOverARealDockerPull)
{
  std::ifstream file(CRUN_TEST_FIXTURES "/docker/pull-multi-arm64.jsonl", std::ios::binary);
  ASSERT_TRUE(file) << "missing fixture";
  const std::string body((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  std::ostringstream err;
  auto renderer = make_progress_renderer(ProgressMode::plain, err, {});
  core::JsonLineDecoder lines;
  core::PullProgress progress;
  lines.feed(body);
  while (auto value = lines.next()) {
    for (const auto& event : core::decode_docker_pull(*value)) {
      progress.apply(event);
      renderer->on_event(event);
    }
  }
  lines.finish();
  renderer->finish(progress.digest());
  const std::string index =
    "sha256:853ed836939f5b202204ec1196312c6327ab4dffc3f81fab7f8da6c6349abe71";
  const std::string ref = "127.0.0.1:5857/bench/multi@" + index;
  EXPECT_EQ(err.str(), ref +
                         ": Pulling from bench/multi\n"
                         "41850a5c8cc0: Pulling fs layer\n"
                         "41850a5c8cc0: Downloading\n"
                         "41850a5c8cc0: Download complete\n"
                         "41850a5c8cc0: Extracting\n"
                         "41850a5c8cc0: Pull complete\n"
                         "Status: Downloaded newer image for " +
                         ref +
                         "\n"
                         "Digest: " +
                         index + "\n");
}

} // namespace
} // namespace crun::cli
