#include "terminal.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

namespace crun::cli {

std::optional<WindowSize> window_size(int fd)
{
  winsize size{};
  if (::isatty(fd) != 1 || ::ioctl(fd, TIOCGWINSZ, &size) != 0 || size.ws_row == 0) {
    return std::nullopt;
  }
  return WindowSize{size.ws_row, size.ws_col};
}

void RawMode::enter(int fd)
{
  if (m_fd >= 0 || ::isatty(fd) != 1 || ::tcgetattr(fd, &m_saved) != 0) {
    return;
  }
  termios raw = m_saved;
  ::cfmakeraw(&raw);
  if (::tcsetattr(fd, TCSANOW, &raw) == 0) {
    m_fd = fd;
  }
}

void RawMode::restore() noexcept
{
  if (m_fd >= 0) {
    ::tcsetattr(m_fd, TCSANOW, &m_saved);
    m_fd = -1;
  }
}

} // namespace crun::cli
