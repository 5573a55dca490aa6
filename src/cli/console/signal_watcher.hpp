#pragma once
// Delivers the process's signals to a handler in an ordinary thread: the
// signal handlers only write the number into a pipe (async-signal-safe), and
// a thread reads it. POSIX only (sigaction, pipe, poll): Linux and macOS.

#include <chrono>
#include <csignal>
#include <functional>
#include <optional>
#include <thread>

namespace crun::cli {

class SignalWatcher {
public:
  using Handler = std::function<std::optional<std::chrono::milliseconds>(int signal)>;

  SignalWatcher() = default;
  ~SignalWatcher() { stop(); }
  SignalWatcher(const SignalWatcher&) = delete;
  SignalWatcher& operator=(const SignalWatcher&) = delete;

  /// Installs handlers for SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2
  /// and SIGWINCH and starts the thread that calls `handler` for each;
  /// `handler(0)` when the delay it last returned has passed. One watcher at
  /// a time per process. Throws Error(Errc::internal) when the pipe or
  /// thread cannot be made.
  void start(Handler handler);
  /// Stops the thread and restores the previous handlers and signal mask.
  /// Idempotent; never throws; must be called from the thread that called
  /// start(), never from the handler.
  void stop();
  /// Calls the handler with `signal` as if the process had received it,
  /// from any thread (a pump that found the output gone sends SIGPIPE, which
  /// crun-any itself ignores). Does nothing unless started; never throws.
  void notify(int signal);

private:
  void loop();

  Handler m_handler;
  std::thread m_thread;
  int m_stop_pipe[2] = {-1, -1};
  sigset_t m_saved_mask{};
  bool m_running = false;
};

} // namespace crun::cli
