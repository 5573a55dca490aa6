#pragma once
// The factory of each command; src/cli/command_table.cpp lists them.

#include <crun/cli/command.hpp>
#include <crun/core/policy.hpp>

namespace crun::cli {

void add_pull_command(CLI::App& app, std::vector<CommandEntry>& out);
void add_run_command(CLI::App& app, std::vector<CommandEntry>& out);
void add_inspect_command(CLI::App& app, std::vector<CommandEntry>& out);
void add_exec_command(CLI::App& app, std::vector<CommandEntry>& out);
void add_lock_command(CLI::App& app, std::vector<CommandEntry>& out);
void add_verify_command(CLI::App& app, std::vector<CommandEntry>& out);
void add_policy_command(CLI::App& app, std::vector<CommandEntry>& out);
void add_ps_command(CLI::App& app, std::vector<CommandEntry>& out);
void add_stop_command(CLI::App& app, std::vector<CommandEntry>& out);
void add_rm_command(CLI::App& app, std::vector<CommandEntry>& out);
void add_logs_command(CLI::App& app, std::vector<CommandEntry>& out);
void add_wait_command(CLI::App& app, std::vector<CommandEntry>& out);
void add_images_command(CLI::App& app, std::vector<CommandEntry>& out);
void add_rmi_command(CLI::App& app, std::vector<CommandEntry>& out);
void add_doctor_command(CLI::App& app, std::vector<CommandEntry>& out);
void add_version_command(CLI::App& app, std::vector<CommandEntry>& out);
void add_completion_command(CLI::App& app, std::vector<CommandEntry>& out);
void add_refused_verbs(CLI::App& app, std::vector<CommandEntry>& out);

/// Refuses `verb` ({"images", "load"}): Error(Errc::policy_denied) naming
/// the built-in pull_only rule when it is one of core::default_blocked_verbs,
/// else Error(Errc::usage) "crun-any has no `...` command".
[[noreturn]] void refuse_verb(const core::VerbPath& verb);

} // namespace crun::cli
