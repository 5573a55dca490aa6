#pragma once
// crun-any's whole command line as one CLI11 tree: the description, the
// exit-code footer, the global options and every command of
// command_factories(). The frame (app.cpp) parses with it; the build's
// documentation generator (tools/docgen) walks it for the completions and
// the man pages, so that neither keeps a copy of a name or a help text.

#include <crun/cli/command.hpp>

#include <memory>
#include <span>
#include <string_view>
#include <vector>

namespace crun::cli {

/// The app and the commands bound to its subcommands (CommandEntry).
struct CommandTree {
  std::unique_ptr<CLI::App> app;
  std::vector<CommandEntry> entries;
};

/// Builds the tree, the global options bound to `global` (which must outlive
/// it). Never fails.
CommandTree make_command_tree(GlobalOptions& global);

/// What `crun-any --help` says crun-any is.
std::string_view program_description() noexcept;

/// The values `--backend` accepts (its IsMember check).
std::span<const std::string_view> backend_names() noexcept;

/// One row of the exit-code table as the documentation states it: a code of
/// exit_codes.hpp (exit_code::run_signal_base stands for 128+N).
struct ExitStatusDoc {
  int code;
  std::string_view meaning;
};

/// The exit codes of every command but `run` and `exec`, then theirs
/// (`--help`'s footer says the same in prose).
std::span<const ExitStatusDoc> exit_status_docs() noexcept;
std::span<const ExitStatusDoc> run_exit_status_docs() noexcept;

} // namespace crun::cli
