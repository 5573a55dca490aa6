#pragma once
// The team policy on disk (docs/policy.md): which files hold it, in which
// precedence, and reading them so that the admin file cannot be loosened,
// replaced or swapped. The rules themselves are core's (policy*.hpp).

#include <crun/cli/command.hpp>
#include <crun/core/env.hpp>
#include <crun/core/policy.hpp>
#include <crun/core/policy_merge.hpp>

#include <filesystem>
#include <optional>
#include <vector>

namespace crun::cli {

/// The machine's fixed paths, resolved in this one place so tests can move them.
struct SystemPaths {
  /// Linux /etc/crun-any/policy.json; macOS /Library/Application Support/crun-any/policy.json
  std::filesystem::path admin_policy;
  std::filesystem::path binfmt_misc; ///< /proc/sys/fs/binfmt_misc
  bool test_root = false;            ///< true when CRUN_ANY_TEST_ROOT was honoured
};

/// The real paths; or, when the environment variable CRUN_ANY_TEST_ROOT
/// names a directory AND the real admin file does not exist, the same paths
/// under that directory (<root>/etc/crun-any/policy.json on Linux,
/// <root>/Library/Application Support/crun-any/policy.json on macOS,
/// <root>/proc/sys/fs/binfmt_misc). "Does not exist" is lstat() failing with
/// ENOENT or ENOTDIR only (entry_exists): a dangling symlink, a directory,
/// EACCES etc. count as existing, so the variable can never replace or
/// loosen a real admin file. Never fails.
SystemPaths system_paths(const Env& env);

namespace detail {
/// system_paths() with the real paths given, so that tests can take the
/// branch where a real admin file exists. Never fails.
SystemPaths system_paths(const Env& env, const std::filesystem::path& real_admin_policy,
                         const std::filesystem::path& real_binfmt_misc);
} // namespace detail

struct PolicyFile {
  core::PolicyLevel level;
  std::filesystem::path path;
  core::PolicyText part; ///< policy_member for the user config, whole_file otherwise
};

/// The name of the project's policy file, found walking up.
inline constexpr std::string_view k_project_policy_name = ".crun-any.json";

/// The policy files in precedence order: the admin file (if it exists, as
/// above), the project's `.crun-any.json` (the first entry of that name
/// found walking up from `start`, the working directory when empty, to /;
/// any entry counts, so a directory or dangling link of that name fails
/// closed when read instead of being passed by), the user config
/// (user_config_path(env), if it exists), then --policy
/// (ctx.global.policy_file) and CRUN_ANY_POLICY (both level override_file,
/// each must exist: a named file that is missing is an error).
/// Throws Error(Errc::policy_invalid) for a named file that does not exist;
/// Error(Errc::internal) when the working directory cannot be read.
std::vector<PolicyFile> find_policy_files(const Context& ctx, const SystemPaths& paths,
                                          std::filesystem::path start = {});

struct LoadedPolicy {
  core::Policy effective; ///< merge_policies of every file read (an empty Policy when none)
  /// The files read, in precedence order: every file find_policy_files()
  /// listed, including a user config without a `policy` member (read and
  /// checked, contributing an empty layer).
  std::vector<PolicyFile> files;
  /// The policy's `lockfile`, resolved: a relative value is relative to the
  /// directory of the file that set it (its first source). std::nullopt
  /// when no policy sets one.
  std::optional<std::filesystem::path> lockfile;
};

/// Finds, reads, checks, parses and merges the policy. Fails closed: throws
/// Error(Errc::policy_invalid), naming the file, when
///  - the admin file is not a regular file, is not owned by root (uid 0),
///    or is writable by group or others; or its directory is not owned by
///    root or is writable by group or others (a user who can write the
///    directory can replace the file). The message says that every command
///    refuses and gives the admin's fix (`chown root:root ... && chmod 644 ...`);
///  - any file cannot be read (permission denied, a directory, a dangling
///    link, an I/O error): "cannot read the policy file <path>: <strerror>";
///  - a file does not parse (parse_policy's messages, with file:line:column);
///  - the merge finds a contradiction (merge_policies' message, naming both).
/// The admin file is opened once (following symlinks: device management may
/// link it), checked with fstat and read from that same descriptor, so it
/// cannot be swapped between the check and the read; its directory, as
/// written, is checked with stat.
LoadedPolicy load_policy(const Context& ctx, const SystemPaths& paths,
                         std::filesystem::path start = {});

} // namespace crun::cli
