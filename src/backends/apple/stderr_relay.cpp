#include "stderr_relay.hpp"

#include <poll.h>
#include <unistd.h>

#include <cerrno>

namespace crun::backends::apple {
namespace {

std::int64_t now_ms()
{
  return std::chrono::duration_cast<std::chrono::milliseconds>(
           std::chrono::steady_clock::now().time_since_epoch())
    .count();
}

// False when `fd` cannot take it (its reader went away, it is full).
bool write_all(int fd, const char* data, std::size_t size)
{
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return false;
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

} // namespace

StderrRelay::StderrRelay(transport::UniqueFd pipe, int out)
  : m_pipe(std::move(pipe)), m_out(out), m_thread([this] { loop(); })
{
}

StderrRelay::~StderrRelay()
{
  finish();
}

void StderrRelay::loop()
{
  char buffer[16 * 1024];
  while (true) {
    pollfd fd{m_pipe.get(), POLLIN, 0};
    int ready = ::poll(&fd, 1, 100);
    if (ready < 0 && errno != EINTR) {
      return;
    }
    if (ready > 0) {
      ssize_t n = ::read(m_pipe.get(), buffer, sizeof buffer);
      if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
        continue;
      }
      if (n <= 0) {
        return; // the end of the child's stderr
      }
      auto size = static_cast<std::size_t>(n);
      bool written = write_all(m_out, buffer, size);
      {
        std::lock_guard lock(m_mutex);
        m_tail.append(buffer, size);
        if (m_tail.size() > k_tail_bytes) {
          m_tail.erase(0, m_tail.size() - k_tail_bytes);
        }
      }
      if (!written) {
        // crun-any's stderr is gone: the pipe is closed, so the CLI meets
        // the broken pipe itself, as it does on the stdout it inherits, and
        // the run ends instead of relaying into nothing forever.
        m_pipe.reset();
        return;
      }
      continue;
    }
    if (m_finishing.load() && now_ms() >= m_deadline_ms.load()) {
      return;
    }
  }
}

void StderrRelay::finish(std::chrono::milliseconds linger) noexcept
{
  if (!m_finishing.load()) {
    m_deadline_ms.store(now_ms() + linger.count()); // before the flag the loop reads
    m_finishing.store(true);
  }
  if (m_thread.joinable()) {
    m_thread.join();
  }
}

std::string StderrRelay::tail() const
{
  std::lock_guard lock(m_mutex);
  return m_tail;
}

} // namespace crun::backends::apple
