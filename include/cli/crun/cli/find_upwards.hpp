#pragma once
// Finding a file by walking up from a directory to the filesystem root, as
// git finds `.git`: the lock (`crun-any.lock`) and the project policy
// (`.crun-any.json`) are both found this way.

#include <filesystem>
#include <optional>
#include <string_view>

namespace crun::cli {

/// What counts as a match on the way up.
enum class UpwardMatch {
  regular_file, ///< a regular file (or a link to one); anything else is passed by
  any_entry,    ///< any entry at all (entry_exists): fail-closed readers then refuse what is
                ///< not a readable file instead of silently looking further up
};

/// True unless lstat() fails with ENOENT or ENOTDIR: a dangling symlink, a
/// directory, or an entry that cannot be examined (EACCES, EIO) all exist,
/// so that a caller enforcing a file never takes "cannot look" for "absent".
/// Never fails.
bool entry_exists(const std::filesystem::path& path);

/// The first `start/name`, `start/../name`, ... up to `/name` that matches
/// `match`; std::nullopt when none does. `start` empty means the working
/// directory. Throws Error(Errc::internal) when the working directory cannot
/// be read.
std::optional<std::filesystem::path> find_upwards(std::string_view name,
                                                  std::filesystem::path start, UpwardMatch match);

} // namespace crun::cli
