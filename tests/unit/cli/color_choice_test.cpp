#include <crun/cli/color_choice.hpp>

#include <gtest/gtest.h>

namespace crun::cli {
namespace {

TEST(ColorChoice, OnlyOnATerminalByDefault)
{
  EXPECT_TRUE(use_color(false, Env{}, true));
  EXPECT_FALSE(use_color(false, Env{}, false));
  EXPECT_TRUE(use_color(false, Env{{"TERM", "xterm-256color"}}, true));
}

TEST(ColorChoice, TheFlagAndNoColorAlwaysWin)
{
  for (const bool tty : {true, false}) {
    SCOPED_TRACE(tty);
    EXPECT_FALSE(use_color(true, Env{}, tty));
    EXPECT_FALSE(use_color(true, Env{{"CLICOLOR_FORCE", "1"}}, tty));
    EXPECT_FALSE(use_color(false, Env{{"NO_COLOR", "1"}}, tty));
    EXPECT_FALSE(use_color(false, Env{{"NO_COLOR", "0"}}, tty)) << "any non-empty value";
    EXPECT_FALSE(use_color(false, Env{{"NO_COLOR", "1"}, {"CLICOLOR_FORCE", "1"}}, tty));
  }
}

TEST(ColorChoice, AnEmptyNoColorIsUnset)
{
  EXPECT_TRUE(use_color(false, Env{{"NO_COLOR", ""}}, true));
}

TEST(ColorChoice, ClicolorForceColoursAPipeUnlessItIsZero)
{
  EXPECT_TRUE(use_color(false, Env{{"CLICOLOR_FORCE", "1"}}, false));
  EXPECT_TRUE(use_color(false, Env{{"CLICOLOR_FORCE", "yes"}}, false));
  // Above CLICOLOR=0 and TERM=dumb.
  EXPECT_TRUE(use_color(false, Env{{"CLICOLOR_FORCE", "1"}, {"CLICOLOR", "0"}}, false));
  EXPECT_TRUE(use_color(false, Env{{"CLICOLOR_FORCE", "1"}, {"TERM", "dumb"}}, true));
  // "0" or empty: as if unset.
  EXPECT_FALSE(use_color(false, Env{{"CLICOLOR_FORCE", "0"}}, false));
  EXPECT_TRUE(use_color(false, Env{{"CLICOLOR_FORCE", "0"}}, true));
  EXPECT_FALSE(use_color(false, Env{{"CLICOLOR_FORCE", ""}}, false));
}

TEST(ColorChoice, ClicolorZeroTurnsItOff)
{
  EXPECT_FALSE(use_color(false, Env{{"CLICOLOR", "0"}}, true));
  EXPECT_TRUE(use_color(false, Env{{"CLICOLOR", "1"}}, true));
  EXPECT_FALSE(use_color(false, Env{{"CLICOLOR", "1"}}, false)) << "CLICOLOR=1 forces nothing";
}

TEST(ColorChoice, ADumbTerminalGetsNoColour)
{
  EXPECT_FALSE(use_color(false, Env{{"TERM", "dumb"}}, true));
  EXPECT_TRUE(is_dumb_terminal(Env{{"TERM", "dumb"}}));
  EXPECT_FALSE(is_dumb_terminal(Env{{"TERM", "xterm"}}));
  EXPECT_FALSE(is_dumb_terminal(Env{{"TERM", "dumb-ish"}}));
  EXPECT_FALSE(is_dumb_terminal(Env{}));
}

} // namespace
} // namespace crun::cli
