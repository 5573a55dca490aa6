#pragma once
// The lock file on disk (the format is core/lock_file.hpp): where it is,
// reading it, and writing it so that no reader ever sees half a file.

#include <crun/backends/pull_flow.hpp>
#include <crun/cli/command.hpp>
#include <crun/core/lock_file.hpp>

#include <filesystem>
#include <optional>
#include <string>

namespace crun::cli {

/// Where the lock is: the policy's `lockfile` > --lockfile > CRUN_ANY_LOCKFILE > the first
/// `crun-any.lock` found walking up from `start` (the working directory when
/// empty) to the filesystem root, as git finds `.git`. `explicit_choice` is
/// true for the first two, which name the file whether it exists or not.
struct LockLocation {
  std::filesystem::path path;
  bool explicit_choice = false;
};

/// The lock of ctx, or std::nullopt when none is named and none is found.
/// Throws Error(Errc::policy_denied) when --lockfile or CRUN_ANY_LOCKFILE
/// names another file than the policy's `lockfile`; Error(Errc::internal)
/// when the working directory cannot be read.
std::optional<LockLocation> locate_lock(const Context& ctx, std::filesystem::path start = {});

/// Reads and parses the lock at `path`. Throws Error(Errc::invalid_input)
/// when it cannot be read ("cannot read the lock file <path>: <reason>") or
/// does not parse (core::parse_lock_file, naming `path`).
core::LockFile read_lock(const std::filesystem::path& path);

/// The lock that pull, run and verify use: locate_lock() read, or
/// std::nullopt when there is none. A lock named by --lockfile or
/// CRUN_ANY_LOCKFILE that does not exist is an error (Errc::invalid_input),
/// not silence. Throws as read_lock().
struct LoadedLock {
  std::filesystem::path path;
  core::LockFile lock;
};
std::optional<LoadedLock> load_lock(const Context& ctx);

/// What pull and run take from `loaded` (load_lock()'s, as the session read
/// it; null when there is none) for `ref` on `platform`
/// (backends::decide_from_lock), saying so on ctx's stderr in one line
/// unless `quiet`: "crun-any: using the lock <file>: <ref> -> <digest> for
/// <platform>". std::nullopt when there is no lock or it does not hold
/// `ref`. Throws as decide_from_lock().
std::optional<backends::LockedPull> consult_lock(const Context& ctx, const LoadedLock* loaded,
                                                 const core::ImageRef& ref,
                                                 const core::Platform& platform, bool quiet);

/// Replaces (or creates) `path` with `text` atomically: a temporary file in
/// the same directory, written and fsynced, renamed over `path`, and the
/// directory fsynced, so a crash or failure leaves the old file or the new
/// one, never a mix, and no temporary file behind. A file with no write
/// permission bit is never replaced (even by root, whom the kernel would
/// let): Error(Errc::file_error) "the lock file <path> is read-only: ...".
/// Throws Error(Errc::file_error) naming `path` and the reason for any
/// other failure (directory not writable, disk full, rename refused).
void write_file_atomically(const std::filesystem::path& path, const std::string& text);

} // namespace crun::cli
