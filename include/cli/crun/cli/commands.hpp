#pragma once
// The factory of each command; src/cli/command_table.cpp lists them.

#include <crun/cli/command.hpp>

namespace crun::cli {

void add_pull_command(CLI::App& app, std::vector<CommandEntry>& out);
void add_run_command(CLI::App& app, std::vector<CommandEntry>& out);
void add_inspect_command(CLI::App& app, std::vector<CommandEntry>& out);
void add_exec_command(CLI::App& app, std::vector<CommandEntry>& out);
void add_lock_command(CLI::App& app, std::vector<CommandEntry>& out);
void add_verify_command(CLI::App& app, std::vector<CommandEntry>& out);
void add_policy_command(CLI::App& app, std::vector<CommandEntry>& out);
void add_doctor_command(CLI::App& app, std::vector<CommandEntry>& out);
void add_version_command(CLI::App& app, std::vector<CommandEntry>& out);
void add_refused_verbs(CLI::App& app, std::vector<CommandEntry>& out);

} // namespace crun::cli
