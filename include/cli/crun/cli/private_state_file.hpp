#pragma once
// The files crun-any keeps for itself under the user's state and cache
// directories (the pull record, the engine platform cache): best effort
// both ways, in a directory only the user can enter, said on stderr only
// with -v.

#include <crun/cli/command.hpp>

#include <filesystem>
#include <optional>
#include <string>

namespace crun::cli {

/// The whole file, or std::nullopt when it is missing or unreadable. Never
/// throws (except std::bad_alloc).
std::optional<std::string> read_private_state_file(const std::filesystem::path& path);

/// Replaces `path` with `text` atomically (write_file_atomically), creating
/// its directory and making it private to the user (0700). Throws as
/// write_file_atomically().
void write_private_state_file(const std::filesystem::path& path, const std::string& text);

/// "crun-any: <text>" on stderr when -v was given. Never fails.
void note_verbose(const Context& ctx, const std::string& text);

} // namespace crun::cli
