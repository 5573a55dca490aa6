#pragma once
// The order of a run, shared by the API engines (Docker, Podman):
//   create (on a missing image: pull, create again) -> attach -> wait -> start
//   -> (resize, forwarded signals) -> the wait's result -> output drained
//   -> removal under --rm.
// Attaching and registering the wait before start means no output and no exit
// is ever missed (docker/cli run.go). The order lives here once, pure over two
// interfaces: ContainerApi (the engine) and RunConsole (the user's terminal,
// streams and signals), so it is tested with fakes of both.

#include <crun/backends/run_spec.hpp>
#include <crun/transport/byte_stream.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace crun::backends {

/// A wait registered with the engine; its result arrives when the container
/// exits (or is removed).
class PendingWait {
public:
  virtual ~PendingWait() = default;
  /// Blocks until the engine answers; returns the container's exit status.
  /// Throws Error(Errc::engine_error) when the engine reports a failure.
  virtual int result() = 0;
};

/// A container the engine has just created.
struct CreatedContainer {
  std::string id;
  std::vector<std::string> warnings; ///< what the engine had to say about the create
};

/// The engine side of a run. Every method throws crun::Error.
class ContainerApi {
public:
  virtual ~ContainerApi() = default;
  /// Creates the container; returns its ID and the engine's warnings.
  /// Throws Error(Errc::not_found) when the image (for spec.platform) is not
  /// present locally.
  virtual CreatedContainer create(const RunSpec& spec) = 0;
  /// Attaches to the container's streams (stdin too when `spec.interactive`):
  /// the engine's hijacked connection (transport::RawStream) for the HTTP
  /// engines, a child's pipes (transport::PipeStream) for a CLI-driven one.
  virtual std::unique_ptr<transport::ByteStream> attach(const std::string& id,
                                                        const RunSpec& spec) = 0;
  /// Registers a wait; returns once the engine will report the exit.
  virtual std::unique_ptr<PendingWait> wait(const std::string& id, const RunSpec& spec) = 0;
  /// Starts the container. Throws Error(Errc::command_not_found) or
  /// Error(Errc::command_not_executable) when its command cannot run.
  virtual void start(const std::string& id) = 0;
  /// Sends `signal` (a number) to the container's main process.
  virtual void kill(const std::string& id, int signal) = 0;
  virtual void resize(const std::string& id, unsigned rows, unsigned cols) = 0;
  /// Removes the container and its anonymous volumes, forcing a running one;
  /// an already removed container is not an error.
  virtual void remove(const std::string& id) = 0;
};

struct TerminalSize {
  unsigned rows = 0;
  unsigned cols = 0;
};

/// The user's side of a run: standard streams, terminal and signals.
class RunConsole {
public:
  virtual ~RunConsole() = default;
  /// Prints a detached container's ID on stdout.
  virtual void print_id(const std::string& id) = 0;
  /// Starts moving bytes: the container's output from `stream` to stdout and
  /// stderr (demultiplexed unless `tty`), and, when `forward_stdin`, stdin to
  /// `stream`, half-closing it at stdin's end. Returns at once.
  virtual void start_io(transport::ByteStream& stream, bool tty, bool forward_stdin) = 0;
  /// Blocks until the container's output has ended and is written out.
  /// Throws Error(Errc::broken_pipe) when stdout or stderr lost its reader
  /// (EPIPE), Error(Errc::output_error) when it could not be written
  /// otherwise (full, closed); the output is still read to its end meanwhile
  /// (and dropped), so the container never blocks on it.
  virtual void finish_output() = 0;
  /// Stops every pump and restores the terminal; safe to call twice.
  virtual void stop_io() = 0;
  /// Puts the terminal in raw mode until stop_io() (only for -t on a tty).
  virtual void enter_raw_mode() = 0;
  /// The terminal's size, when stdout is a terminal.
  virtual std::optional<TerminalSize> terminal_size() = 0;
  /// Calls `handler(signal)` from another thread for each SIGINT, SIGTERM,
  /// SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 and SIGWINCH crun-any receives, until
  /// stop_io(); `handler(0)` once the delay it last returned (if any) has
  /// passed. Those signals no longer end the process meanwhile. Also
  /// `handler(SIGPIPE)` once when a write of the container's output fails
  /// (not a real signal: crun-any ignores SIGPIPE), which stops the run.
  virtual void watch_signals(
    std::function<std::optional<std::chrono::milliseconds>(int signal)> handler) = 0;
  /// Restores the terminal and ends the process with `code` at once (an
  /// interrupt before any container exists: nothing to clean up). Called
  /// from the signal thread; the real console does not return.
  virtual void exit_now(int code) = 0;
  /// Writes a diagnostic line on stderr.
  virtual void warn(const std::string& line) = 0;
};

struct RunOptions {
  /// After a forwarded SIGINT/SIGTERM/SIGHUP, how long the container gets to
  /// exit before it is killed (a second signal kills it at once).
  std::chrono::milliseconds stop_grace{10000};
  /// The engine's CLI ("docker", "podman"), named in the advice to remove a
  /// container by hand; empty when there is none to name.
  std::string engine_cli;
};

/// Runs `spec` through `api`, calling `pull` when the image is missing and
/// the pull policy allows it. Returns the container's exit status (0 for a
/// detached run once started). A container created here is removed on every
/// failure path under --rm (and after a failed start with --rm), and killed
/// and removed when crun-any is interrupted. The first SIGINT or SIGTERM
/// forwarded to a container run without -t prints once on stderr
/// (console.warn) "crun-any: stopping container NAME (press Ctrl-C again to
/// kill it)", NAME being --name or the short ID. Once the container has
/// exited, a removal under --rm that fails is a warning naming the container,
/// the reason and `<engine_cli> rm -f ID`: the container's exit status
/// stands. The engine's create warnings
/// are printed as the docker CLI does, "WARNING: <text>" on stderr
/// (console.warn). When the container's output cannot be written (stdout
/// or stderr lost its reader, or is full), the container is killed at once
/// (SIGKILL), removed under --rm, and finish_output's error is thrown:
/// broken_pipe (run exits 141, as a shell sees for the docker CLI) or
/// output_error (125). Throws crun::Error: not_found
/// when the image is missing and --pull=never; command_not_found /
/// command_not_executable when start fails for the command; engine errors as
/// they come.
int run_sequence(ContainerApi& api, const RunSpec& spec, RunConsole& console,
                 const std::function<void()>& pull, const RunOptions& options = {});

} // namespace crun::backends
