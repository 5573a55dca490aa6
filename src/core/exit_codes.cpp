#include <crun/core/exit_codes.hpp>

namespace crun {

int exit_code_for(Errc code, CommandKind kind) noexcept
{
  if (kind == CommandKind::run) {
    switch (code) {
    case Errc::command_not_executable: return exit_code::run_cannot_invoke;
    case Errc::command_not_found: return exit_code::run_not_found;
    case Errc::broken_pipe: return exit_code::run_broken_pipe;
    default: return exit_code::run_failed;
    }
  }
  switch (code) {
  case Errc::usage:
  case Errc::invalid_input: return exit_code::usage;
  case Errc::policy_denied:
  case Errc::policy_invalid: return exit_code::policy;
  case Errc::engine_unavailable: return exit_code::no_engine;
  case Errc::registry_unreachable:
  case Errc::not_found:
  case Errc::engine_error:
  case Errc::protocol:
  case Errc::internal:
  case Errc::mismatch:
  case Errc::file_error:
  case Errc::command_not_executable:
  case Errc::command_not_found:
  case Errc::broken_pipe:
  case Errc::output_error: return exit_code::failed;
  }
  return exit_code::failed;
}

} // namespace crun
