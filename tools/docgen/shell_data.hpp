#pragma once
// What the bash and zsh scripts share: the command tree as `case` tables in
// shell functions, which both shells read alike.

#include <crun/docgen/command_model.hpp>

#include <string>
#include <string_view>

namespace crun::docgen {

/// `text` in single quotes for a POSIX shell.
std::string sh_quote(std::string_view text);

/// The space-separated words of `words`.
std::string join_words(const std::vector<std::string>& words);

/// The commands a completion offers below `command`: all but the refused.
std::vector<const CommandModel*> completed_subcommands(const CommandModel& command);

/// The functions __crun_any_subcommands PATH, __crun_any_options PATH,
/// __crun_any_valued PATH, __crun_any_values PATH OPTION ("@file" for a
/// path), __crun_any_images PATH and __crun_any_stops PATH, where PATH is
/// the command's words ("policy check"; "" for crun-any itself).
std::string sh_data_functions(const CommandModel& root);

} // namespace crun::docgen
