#pragma once
// The order of an exec, shared by the API engines (Docker, Podman):
//   create the exec -> start it (the hijacked stream) -> (resize under -t)
//   -> output drained -> the exit code read.
// Pure over two interfaces, ExecApi (the engine) and RunConsole (the user's
// terminal, streams and signals: the same console as run's), so it is tested
// with fakes of both.
//
// Signals are not forwarded: the docker CLI does not forward them to an
// exec'd process either (the engines have no API to signal one). Ctrl-C (or
// SIGTERM, SIGHUP, SIGQUIT) ends crun-any with 128+N and the process runs on;
// under -t the terminal is raw, so Ctrl-C is a byte the process's terminal
// receives. SIGWINCH resizes the process's terminal under -t.

#include <crun/backends/exec_spec.hpp>
#include <crun/backends/run_sequence.hpp>
#include <crun/core/error.hpp>
#include <crun/transport/byte_stream.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace crun::backends {

/// The engine side of an exec. Every method throws crun::Error.
class ExecApi {
public:
  virtual ~ExecApi() = default;
  /// Creates the exec in spec.container; returns the exec's ID. Throws
  /// Error(Errc::not_found) naming the container and how to list the
  /// engine's containers when there is no such container;
  /// Error(Errc::engine_error) naming it and "start it first" when it is not
  /// running.
  virtual std::string create(const ExecSpec& spec) = 0;
  /// Starts the exec attached; returns the hijacked stream of its stdio
  /// (multiplexed unless spec.tty).
  virtual std::unique_ptr<transport::ByteStream> start(const std::string& exec_id,
                                                       const ExecSpec& spec) = 0;
  /// Starts the exec detached (-d): returns once the engine has started it.
  virtual void start_detached(const std::string& exec_id, const ExecSpec& spec) = 0;
  virtual void resize(const std::string& exec_id, unsigned rows, unsigned cols) = 0;
  /// Blocks (briefly: its output has ended) until the engine reports the
  /// exec's exit code, and returns it.
  virtual int exit_code(const std::string& exec_id) = 0;
  /// The Errc of the engine's text for a process that could not be started:
  /// command_not_found, command_not_executable, or engine_error when the
  /// text says neither (HttpDialect::classify_start_error).
  virtual Errc classify_start_error(std::string_view text) = 0;
};

/// Whether `text` (the start of an exec's output) is the container runtime's
/// report that the process could not be started ("OCI runtime exec failed:
/// ...", Docker; "... OCI runtime attempted to invoke a command that was not
/// found", "OCI permission denied", Podman), rather than the process's own
/// output. Never fails.
bool is_runtime_exec_failure(std::string_view text);

/// The first line of `text` that reports the failure, without "Error: " and
/// trailing blanks, at most 500 bytes. Never fails.
std::string runtime_failure_line(std::string_view text);

/// Runs `spec` through `api` and `console`; returns the process's exit code
/// (0 for a detached exec once started; 128+N when the engine reports a
/// death by signal N as such, as both test engines do). When the engine
/// reports 126 or 127 and the output began with the runtime's report that the
/// process could not be started (is_runtime_exec_failure), throws
/// Error(Errc::command_not_found) (exit 127) or
/// Error(Errc::command_not_executable) (126) as classify_start_error says,
/// "cannot run NAME in container C: <the runtime's line>"; Docker 20.10
/// reports a missing command as 126, which thus becomes 127 as run's does.
/// The runtime's text also reaches stdout or stderr as the engine sent it.
/// Throws as api's calls (no such container: not_found; not running:
/// engine_error), and finish_output's broken_pipe / output_error.
int exec_sequence(ExecApi& api, const ExecSpec& spec, RunConsole& console);

} // namespace crun::backends
