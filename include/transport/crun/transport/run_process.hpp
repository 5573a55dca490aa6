#pragma once
// Running a child to its end: its input written and its output read at
// the same time, in one poll loop, so that neither side's pipe buffer
// (64 KiB on Linux) can block the other, within an optional timeout.

#include <crun/transport/process.hpp>

#include <chrono>
#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace crun::transport {

struct RunLimits {
  /// The child is killed (SIGKILL) when it has not ended by then.
  std::optional<std::chrono::milliseconds> timeout{};
  /// It is killed once its stdout and stderr together pass this many bytes.
  std::size_t output_limit = std::numeric_limits<std::size_t>::max();
};

struct CompletedProcess {
  ExitStatus status{};
  std::string out{};       ///< everything it wrote to stdout, when a pipe
  std::string err{};       ///< everything it wrote to stderr, when a pipe
  bool timed_out = false;  ///< killed at the timeout
  bool over_limit = false; ///< killed for writing more than output_limit
};

/// Starts `spec` and runs it to its end: `input` is written to its stdin
/// (then closed, so that it sees the end of its input) when spec.in is a
/// pipe; its stdout and stderr are captured when they are pipes, to their
/// end (when the child, and anything it started, has closed them). A child
/// that closes its stdin early is no error: the rest of `input` is dropped.
/// Returns what it wrote and how it ended, or why it could not be started
/// (see start_process). Throws Error(Errc::internal) when `input` is not
/// empty and spec.in is not a pipe; otherwise never (except std::bad_alloc).
std::variant<CompletedProcess, StartFailure> run_process(const ProcessSpec& spec,
                                                         std::string_view input,
                                                         const RunLimits& limits = {});

} // namespace crun::transport
