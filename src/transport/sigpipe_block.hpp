#pragma once
// Writing to a pipe whose reader has gone raises SIGPIPE, which would end
// crun-any where it is not ignored (and a test binary always): the signal
// is blocked in this thread (it is sent to the writing thread) while the
// object lives, and one the writes left pending is consumed. POSIX.

#include <pthread.h>

#include <csignal>

namespace crun::transport::detail {

class SigpipeBlock {
public:
  SigpipeBlock()
  {
    sigemptyset(&m_pipe_only);
    sigaddset(&m_pipe_only, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &m_pipe_only, &m_old_mask);
  }
  ~SigpipeBlock()
  {
    sigset_t pending;
    sigpending(&pending);
    if (m_raised && sigismember(&pending, SIGPIPE) && !sigismember(&m_old_mask, SIGPIPE)) {
      int signal = 0;
      sigwait(&m_pipe_only, &signal);
    }
    pthread_sigmask(SIG_SETMASK, &m_old_mask, nullptr);
  }
  SigpipeBlock(const SigpipeBlock&) = delete;
  SigpipeBlock& operator=(const SigpipeBlock&) = delete;

  /// Notes that a write failed with EPIPE, so a pending SIGPIPE is ours to
  /// consume. Never fails.
  void raised() { m_raised = true; }

private:
  sigset_t m_pipe_only;
  sigset_t m_old_mask;
  bool m_raised = false;
};

} // namespace crun::transport::detail
