#include <crun/core/exit_codes.hpp>

#include <gtest/gtest.h>

namespace crun {
namespace {

// The table of README.md, row by row. Codes are never renumbered.
TEST(ExitCodes, OtherCommandsFollowTheDocumentedTable)
{
  const struct {
    Errc code;
    int expected;
  } rows[] = {
    {Errc::not_found, 1},
    {Errc::engine_error, 1},
    {Errc::protocol, 1},
    {Errc::internal, 1},
    {Errc::mismatch, 1},
    {Errc::file_error, 1},
    {Errc::registry_unreachable, 1},
    {Errc::broken_pipe, 1},
    {Errc::output_error, 1},
    {Errc::usage, 2},
    {Errc::invalid_input, 2},
    {Errc::policy_denied, 3},
    {Errc::policy_invalid, 3},
    {Errc::engine_unavailable, 4},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(std::string(errc_name(row.code)));
    EXPECT_EQ(exit_code_for(row.code, CommandKind::other), row.expected);
  }
}

TEST(ExitCodes, RunFailuresBeforeTheCommandAre125)
{
  for (Errc code :
       {Errc::usage, Errc::invalid_input, Errc::policy_denied, Errc::engine_unavailable,
        Errc::not_found, Errc::engine_error, Errc::protocol, Errc::internal, Errc::mismatch,
        Errc::file_error, Errc::policy_invalid, Errc::registry_unreachable, Errc::output_error}) {
    SCOPED_TRACE(std::string(errc_name(code)));
    EXPECT_EQ(exit_code_for(code, CommandKind::run), 125);
  }
}

// The docker CLI dies of SIGPIPE when its reader goes away; a shell sees 141.
TEST(ExitCodes, RunWhoseReaderWentAwayIs141)
{
  EXPECT_EQ(exit_code_for(Errc::broken_pipe, CommandKind::run), 141);
}

TEST(ExitCodes, RunCommandThatCannotBeInvokedIs126AndMissingIs127)
{
  EXPECT_EQ(exit_code_for(Errc::command_not_executable, CommandKind::run), 126);
  EXPECT_EQ(exit_code_for(Errc::command_not_found, CommandKind::run), 127);
}

} // namespace
} // namespace crun
