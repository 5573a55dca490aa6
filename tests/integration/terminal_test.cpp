// Terminal conventions (docs/progress.md): a pull's progress on a real
// pseudo-terminal has no colour under NO_COLOR=1, CLICOLOR=0 or TERM=dumb,
// and no cursor movement under TERM=dumb; CLICOLOR_FORCE=1 colours it even
// into a pipe. Docker and Podman; the image is removed before each pull so
// that its layer is downloaded and finishes (the row that is coloured).
#include "support/bench.hpp"
#include "support/bench_fixtures.hpp"
#include "support/process.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

namespace {

using crun::test::Backend;
using crun::test::ProcessOptions;

// SGR colour codes (ESC[30m..ESC[37m), cursor-up (ESC[<n>A) and the
// clear-line that starts every row the bars draw (ESC[2K). Whether a fast
// pull redraws (moves up) depends on timing; that it draws bars does not.
const std::regex k_colour("\x1b\\[3[0-7]m");
const std::regex k_cursor_up("\x1b\\[[0-9]*A");
const std::regex k_clear_line("\x1b\\[2K");

bool has(const std::string& text, const std::regex& pattern)
{
  return std::regex_search(text, pattern);
}

class TerminalTest : public crun::test::EngineTest {
protected:
  // The environment of one case: none of the variables these conventions
  // read, then `env`.
  static ProcessOptions options(const std::vector<std::string>& env)
  {
    ProcessOptions options;
    options.env_unset = {"NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE", "TERM"};
    options.env_set = env;
    return options;
  }

  // `crun-any pull --progress auto <image small>` on a pseudo-terminal,
  // after removing the image; what the terminal showed.
  std::string pull_on_a_terminal(const std::vector<std::string>& env)
  {
    engine_cli({"rmi", "-f", bench.image_small});
    // crun() would set NO_COLOR=1; the same command line without it.
    auto result = crun::test::run_in_pty(crun_argv({"pull", bench.image_small}), {},
                                         std::chrono::seconds{180}, options(env));
    EXPECT_EQ(result.exit_code, 0) << result.describe();
    return result.output;
  }
};

TEST_P(TerminalTest, AColourTerminalGetsColourAndBars)
{
  const std::string shown = pull_on_a_terminal({"TERM=xterm"});
  EXPECT_TRUE(has(shown, k_colour)) << shown;
  EXPECT_TRUE(has(shown, k_clear_line)) << shown;
}

TEST_P(TerminalTest, NoColorClicolorZeroAndDumbTurnColourOff)
{
  for (const std::string env : {"NO_COLOR=1", "CLICOLOR=0", "TERM=dumb"}) {
    SCOPED_TRACE(env);
    std::vector<std::string> set = {env};
    if (env != "TERM=dumb") {
      set.emplace_back("TERM=xterm");
    }
    const std::string shown = pull_on_a_terminal(set);
    EXPECT_FALSE(has(shown, k_colour)) << shown;
    if (env == "TERM=dumb") {
      // No cursor movement either: plain lines.
      EXPECT_FALSE(has(shown, k_cursor_up)) << shown;
      EXPECT_FALSE(has(shown, k_clear_line)) << shown;
      EXPECT_NE(shown.find("\r\nDigest: sha256:"), std::string::npos) << shown;
    } else {
      EXPECT_TRUE(has(shown, k_clear_line)) << "bars still drawn: " << shown;
    }
  }
}

// stderr is a pipe here (crun-any's own streams: run_crun_any, since crun()
// sets NO_COLOR=1).
TEST_P(TerminalTest, ClicolorForceColoursAPipe)
{
  const std::vector<std::string> pull = {"--backend", backend(),    "--host", host(),
                                         "pull",      "--progress", "tty",    bench.image_small};
  engine_cli({"rmi", "-f", bench.image_small});
  auto forced = crun::test::run_crun_any(pull, options({"CLICOLOR_FORCE=1"}));
  EXPECT_EQ(forced.exit_code, 0) << forced.describe();
  EXPECT_TRUE(has(forced.err, k_colour)) << forced.err;

  engine_cli({"rmi", "-f", bench.image_small});
  auto plain = crun::test::run_crun_any(pull, options({}));
  EXPECT_EQ(plain.exit_code, 0) << plain.describe();
  EXPECT_FALSE(has(plain.err, k_colour)) << "a pipe without CLICOLOR_FORCE: " << plain.err;
  EXPECT_TRUE(has(plain.err, k_clear_line)) << plain.err;
}

INSTANTIATE_TEST_SUITE_P(Engines, TerminalTest, crun::test::bench_engines(),
                         crun::test::backend_name);

} // namespace
