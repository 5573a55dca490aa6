#pragma once
// A file descriptor that is closed when it goes out of scope.

#include <unistd.h>

namespace crun::transport {

class UniqueFd {
public:
  explicit UniqueFd(int fd = -1) : m_fd(fd) {}
  ~UniqueFd() { reset(); }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  UniqueFd(UniqueFd&& other) noexcept : m_fd(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept
  {
    reset(other.release());
    return *this;
  }

  int get() const { return m_fd; }
  /// Gives up the descriptor without closing it. Never fails.
  int release() noexcept
  {
    int fd = m_fd;
    m_fd = -1;
    return fd;
  }
  /// Closes the descriptor held (if any) and holds `fd` instead. Never fails.
  void reset(int fd = -1)
  {
    if (m_fd >= 0) {
      ::close(m_fd);
    }
    m_fd = fd;
  }

private:
  int m_fd;
};

} // namespace crun::transport
