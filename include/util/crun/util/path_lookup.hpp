#pragma once
// Finding a program in PATH as execvp would, with one difference on
// purpose: only absolute PATH entries are searched. An empty entry (a
// leading, trailing or doubled ":") means the working directory to execvp,
// and a relative one a directory below it; a program found there depends on
// where crun-any was started, which would let a file planted in a project
// directory run as `podman` or as a credential helper.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crun::util {

/// What execvp searches when PATH is unset (glibc's and macOS's default).
inline constexpr std::string_view k_default_search_path = "/usr/local/bin:/usr/bin:/bin";

/// The paths `name` is looked for at, in the order of `search_path` (a PATH
/// value): one per absolute entry, duplicates kept. Empty when `name` is
/// empty, "." or "..", or holds a "/". Never throws (except std::bad_alloc).
std::vector<std::string> path_candidates(std::string_view name, std::string_view search_path);

/// Whether `path` is a regular file (symlinks followed) that this process
/// may execute. Never fails.
bool is_executable_file(const std::string& path);

/// The first of path_candidates(name, search_path) that is an executable
/// file; for a `name` holding a "/", `name` itself when it is an absolute
/// path to an executable file (a relative one is never run). std::nullopt
/// when there is none. Never throws (except std::bad_alloc).
std::optional<std::string> find_executable(std::string_view name, std::string_view search_path);

} // namespace crun::util
