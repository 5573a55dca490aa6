#include <crun/cli/commands.hpp>

namespace crun::cli {

std::span<const CommandFactory> command_factories()
{
  static const CommandFactory k_table[] = {
    add_pull_command,       add_run_command,    add_exec_command,   add_inspect_command,
    add_ps_command,         add_stop_command,   add_rm_command,     add_logs_command,
    add_wait_command,       add_images_command, add_rmi_command,    add_lock_command,
    add_verify_command,     add_policy_command, add_doctor_command, add_version_command,
    add_completion_command, add_refused_verbs,
  };
  return k_table;
}

} // namespace crun::cli
