#pragma once
// The one exit-code table of crun-any, exactly as README.md documents it.
// Codes are never renumbered.

#include <crun/core/error.hpp>

namespace crun {

// The table's names read as `exit_code::ok`; a k_ prefix would add nothing.
// NOLINTBEGIN(readability-identifier-naming)
namespace exit_code {
inline constexpr int ok = 0;
inline constexpr int failed = 1;    ///< not found, verify mismatch, engine error
inline constexpr int usage = 2;     ///< usage or bad input
inline constexpr int policy = 3;    ///< refused by policy, or the policy is malformed
inline constexpr int no_engine = 4; ///< no engine reachable
/// run: crun-any, the policy or the engine failed before the command ran
inline constexpr int run_failed = 125;
inline constexpr int run_cannot_invoke = 126;
inline constexpr int run_not_found = 127;
inline constexpr int run_signal_base = 128; ///< run: killed by signal N gives 128+N
/// run: the reader of crun-any's stdout or stderr went away (EPIPE); the
/// container was killed (and removed under --rm). 128+SIGPIPE: what a shell
/// sees when the docker CLI dies of the broken pipe.
inline constexpr int run_broken_pipe = 141;
} // namespace exit_code
// NOLINTEND(readability-identifier-naming)

/// Which column of the table applies: `run` reserves 125-127 so that the
/// container's own exit codes stay unambiguous; every other command uses 0-4.
enum class CommandKind { run, other };

/// The exit code for a failure of kind `code` in a command of kind `kind`.
int exit_code_for(Errc code, CommandKind kind) noexcept;

} // namespace crun
