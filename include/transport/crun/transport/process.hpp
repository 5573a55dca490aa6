#pragma once
// Child processes: the one place crun-any forks and execs. A child is
// started from an argument vector (never a shell) with an explicit
// environment; each of its stdin, stdout and stderr is inherited, /dev/null,
// a pipe to this process, or a copy of a descriptor of the caller's (a log
// file); every other descriptor is closed in it, and its signal mask and
// ignored signals are reset to the defaults. Two ways to use one:
//   start_process  a ChildProcess to drive: signal it, wait for it, or leave
//                  it running (the on-demand Podman service);
//   run_process    (run_process.hpp) run to its end with input written and
//                  output captured, within a timeout (credential helpers).
// A pseudo-terminal is one more ChildStream mode: the streams that ask for
// it share one new terminal, which becomes the child's controlling terminal
// (in a session of its own), and this process keeps the terminal's other
// end (ChildProcess::terminal()) as it keeps a pipe's. POSIX.

#include <crun/core/env.hpp>
#include <crun/transport/unique_fd.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace crun::transport {

/// Where one of a child's standard streams goes.
struct ChildStream {
  enum class Mode {
    inherit,    ///< this process's own stream
    null,       ///< /dev/null
    pipe,       ///< a pipe; this process holds the other end (ChildProcess)
    descriptor, ///< a copy of `fd`, which stays the caller's
    terminal,   ///< a new pseudo-terminal; this process holds its controller
  };
  Mode mode = Mode::null;
  int fd = -1; ///< for Mode::descriptor

  static ChildStream inherit() { return {Mode::inherit, -1}; }
  static ChildStream null() { return {Mode::null, -1}; }
  static ChildStream pipe() { return {Mode::pipe, -1}; }
  static ChildStream descriptor(int fd) { return {Mode::descriptor, fd}; }
  static ChildStream terminal() { return {Mode::terminal, -1}; }
};

struct ProcessSpec {
  /// The program's path, run as it is: no PATH search (find it first with
  /// util::find_executable).
  std::string executable{};
  /// The arguments, argv[0] included (by convention the program's name);
  /// empty means {executable}.
  std::vector<std::string> argv{};
  /// The child's whole environment.
  Env env{};
  ChildStream in = ChildStream::null();
  ChildStream out = ChildStream::null();
  ChildStream err = ChildStream::null();
  /// Starts it in a session of its own (setsid): it has no controlling
  /// terminal, so a ^C typed in crun-any's terminal does not reach it.
  /// Implied when a stream is ChildStream::terminal(), whose terminal then
  /// becomes its controlling terminal.
  bool new_session = false;
  /// The new terminal's size, for ChildStream::terminal(); 0 leaves the
  /// system's default.
  unsigned short terminal_rows = 0;
  unsigned short terminal_cols = 0;
};

/// How a child ended.
struct ExitStatus {
  int code = 0;   ///< its exit code, when it exited
  int signal = 0; ///< the signal that killed it; 0 when it exited

  /// As a shell reports it: the exit code, or 128 + the signal. Never fails.
  int shell_code() const noexcept { return signal != 0 ? 128 + signal : code; }
  /// "exit 3", "killed by signal 9". Never fails.
  std::string str() const;

  bool operator==(const ExitStatus&) const = default;
};

/// Why a child could not be started.
struct StartFailure {
  std::string call{}; ///< what failed: "execve", "fork", "pipe", "open /dev/null", "dup2", ...
  int error = 0;      ///< its errno: ENOENT for a missing program, EACCES for one not executable

  /// strerror for execve ("No such file or directory"), "<call>: <strerror>"
  /// for the rest ("fork: Resource temporarily unavailable"). Never fails.
  std::string str() const;
};

/// A started child. Killed (SIGKILL) and reaped when destroyed while still
/// running, unless released, so that an error on the way leaves no process
/// behind.
class ChildProcess {
public:
  ChildProcess(int pid, UniqueFd in, UniqueFd out, UniqueFd err,
               UniqueFd terminal = UniqueFd()) noexcept;
  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess();

  /// Its process ID. Never fails.
  int pid() const noexcept { return m_pid; }
  /// This process's end of each ChildStream::pipe() (-1 for the other
  /// modes): write to stdin_pipe(), reset() it for the child's end of input;
  /// read stdout_pipe() and stderr_pipe() to their end. Never fails.
  UniqueFd& stdin_pipe() noexcept { return m_in; }
  UniqueFd& stdout_pipe() noexcept { return m_out; }
  UniqueFd& stderr_pipe() noexcept { return m_err; }
  /// The controlling side of the child's pseudo-terminal (-1 without one):
  /// what the child writes to its terminal is read here, what is written
  /// here is its terminal's input. Never fails.
  UniqueFd& terminal() noexcept { return m_terminal; }

  /// How it ended, reaping it, or std::nullopt while it runs. Never fails.
  std::optional<ExitStatus> try_wait() noexcept;
  /// Waits until it ends. Never fails.
  ExitStatus wait() noexcept;
  /// Sends it `signal`; nothing once it has been reaped (its ID may be
  /// another process's by then). Never fails.
  void send_signal(int signal) noexcept;
  /// SIGTERM, then SIGKILL when it has not ended within `grace`; returns
  /// how it ended. Never fails.
  ExitStatus stop(std::chrono::milliseconds grace) noexcept;
  /// Leaves it running on its own: it is neither killed nor reaped here
  /// (a detached service; once crun-any exits, init reaps it). The pipes
  /// are closed. Never fails.
  void release() noexcept;

private:
  int m_pid = -1;
  std::optional<ExitStatus> m_status{}; // set once reaped
  UniqueFd m_in;
  UniqueFd m_out;
  UniqueFd m_err;
  UniqueFd m_terminal;
};

/// Starts `spec`. Returns the running child, or why it could not be started:
/// a program that is missing or may not be executed is known here (the
/// child reports execve's errno through a close-on-exec pipe), not as an
/// exit status of 127. A pseudo-terminal that cannot be made is a
/// StartFailure too ("posix_openpt", "grantpt", "open terminal", "ioctl
/// TIOCSCTTY"). Never throws (except std::bad_alloc).
std::variant<ChildProcess, StartFailure> start_process(const ProcessSpec& spec);

} // namespace crun::transport
