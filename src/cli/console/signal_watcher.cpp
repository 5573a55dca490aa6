#include "signal_watcher.hpp"

#include <crun/core/error.hpp>

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstring>

namespace crun::cli {
namespace {

constexpr int k_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH};
constexpr int k_signal_count = sizeof(k_signals) / sizeof(k_signals[0]);

// The write end of the signal pipe; the handlers below only use it.
volatile sig_atomic_t g_signal_fd = -1;
int g_signal_pipe[2] = {-1, -1};
struct sigaction g_previous[k_signal_count];

extern "C" void on_signal(int signal)
{
  int saved = errno;
  auto byte = static_cast<unsigned char>(signal);
  if (g_signal_fd >= 0) {
    [[maybe_unused]] auto ignored = ::write(g_signal_fd, &byte, 1);
  }
  errno = saved;
}

void make_pipe(int fds[2])
{
  if (::pipe(fds) != 0) {
    fail(Errc::internal, "cannot create a pipe for signals: {}", std::strerror(errno));
  }
  for (int i = 0; i < 2; ++i) {
    ::fcntl(fds[i], F_SETFD, FD_CLOEXEC);
    ::fcntl(fds[i], F_SETFL, ::fcntl(fds[i], F_GETFL) | O_NONBLOCK);
  }
}

void close_pipe(int fds[2])
{
  for (int i = 0; i < 2; ++i) {
    if (fds[i] >= 0) {
      ::close(fds[i]);
      fds[i] = -1;
    }
  }
}

} // namespace

void SignalWatcher::start(Handler handler)
{
  if (m_running) {
    fail(Errc::internal, "signal watcher started twice");
  }
  m_handler = std::move(handler);
  make_pipe(g_signal_pipe);
  make_pipe(m_stop_pipe);
  g_signal_fd = g_signal_pipe[1];
  // Only the watcher's thread takes these signals: blocked here, in the
  // caller, they are blocked in every thread it starts afterwards too, so no
  // blocking call elsewhere (a socket read, a poll) is cut short by EINTR.
  sigset_t set;
  sigemptyset(&set);
  for (int signal : k_signals) {
    sigaddset(&set, signal);
  }
  ::pthread_sigmask(SIG_BLOCK, &set, &m_saved_mask);
  for (int i = 0; i < k_signal_count; ++i) {
    struct sigaction action{};
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    ::sigaction(k_signals[i], &action, &g_previous[i]);
  }
  m_running = true;
  m_thread = std::thread([this, set] {
    ::pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
    loop();
  });
}

void SignalWatcher::loop()
{
  using Clock = std::chrono::steady_clock;
  // When the handler is to be called with 0; only meaningful while armed.
  Clock::time_point deadline{};
  bool armed = false;
  auto arm = [&](std::optional<std::chrono::milliseconds> delay) {
    if (delay) {
      deadline = Clock::now() + *delay;
      armed = true;
    }
  };
  while (true) {
    int timeout_ms = -1;
    if (armed) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      timeout_ms = static_cast<int>(std::max<std::int64_t>(0, left.count()));
    }
    pollfd fds[2] = {{g_signal_pipe[0], POLLIN, 0}, {m_stop_pipe[0], POLLIN, 0}};
    int ready = ::poll(fds, 2, timeout_ms);
    if (ready < 0 && errno == EINTR) {
      continue;
    }
    if (fds[1].revents != 0) {
      return;
    }
    if (ready == 0 && armed) {
      armed = false;
      arm(m_handler(0));
      continue;
    }
    unsigned char byte = 0;
    while (::read(g_signal_pipe[0], &byte, 1) == 1) {
      arm(m_handler(byte));
    }
  }
}

void SignalWatcher::notify(int signal)
{
  // The same path as a real signal: one byte into the pipe the thread polls.
  on_signal(signal);
}

void SignalWatcher::stop()
{
  if (!m_running) {
    return;
  }
  m_running = false;
  unsigned char byte = 0;
  [[maybe_unused]] auto ignored = ::write(m_stop_pipe[1], &byte, 1);
  if (m_thread.joinable()) {
    m_thread.join();
  }
  for (int i = 0; i < k_signal_count; ++i) {
    ::sigaction(k_signals[i], &g_previous[i], nullptr);
  }
  ::pthread_sigmask(SIG_SETMASK, &m_saved_mask, nullptr);
  g_signal_fd = -1;
  close_pipe(g_signal_pipe);
  close_pipe(m_stop_pipe);
}

} // namespace crun::cli
