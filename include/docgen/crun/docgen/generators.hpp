#pragma once
// The generated files: a completion script per shell and a man page per
// command, each a pure function of the command model.

#include <crun/docgen/command_model.hpp>

#include <string>

namespace crun::docgen {

/// The bash completion script (share/bash-completion/completions/crun-any).
std::string bash_completion(const CommandModel& root);

/// The zsh completion function (_crun-any, for a directory in $fpath).
std::string zsh_completion(const CommandModel& root);

/// The fish completions (vendor_completions.d/crun-any.fish).
std::string fish_completion(const CommandModel& root);

/// The roff man page of `command` (section 1); `root` gives crun-any's own
/// page its command list and every page its SEE ALSO. Throws
/// std::invalid_argument when `command` has no entry in command_docs().
std::string man_page(const CommandModel& root, const CommandModel& command);

} // namespace crun::docgen
