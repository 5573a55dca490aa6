#include <crun/transport/raw_stream.hpp>

#include "system_error_text.hpp"

#include <crun/core/error.hpp>

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace crun::transport {

namespace {

// Linux has no SO_NOSIGPIPE and says so per call; macOS (and the BSDs) say it
// once per socket, in the constructor.
#if defined(MSG_NOSIGNAL)
constexpr int k_send_flags = MSG_NOSIGNAL;
#else
constexpr int k_send_flags = 0;
#endif

void prepare_socket(int fd)
{
  if (fd < 0) {
    return;
  }
  // Asio left the socket non-blocking; the pumps want plain blocking calls.
  int flags = ::fcntl(fd, F_GETFL);
  if (flags != -1 && (flags & O_NONBLOCK)) {
    ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  }
  // Engines' sockets must not leak into processes we spawn.
  int fd_flags = ::fcntl(fd, F_GETFD);
  if (fd_flags != -1) {
    ::fcntl(fd, F_SETFD, fd_flags | FD_CLOEXEC);
  }
#if defined(SO_NOSIGPIPE)
  int on = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &on, sizeof(on));
#endif
}

} // namespace

RawStream::RawStream(int fd, std::string read_ahead, std::string peer)
  : m_fd(fd), m_read_ahead(std::move(read_ahead)), m_peer(std::move(peer))
{
  prepare_socket(m_fd);
}

RawStream::~RawStream()
{
  close();
}

std::size_t RawStream::read_some(char* buf, std::size_t n)
{
  if (n == 0) {
    return 0;
  }
  if (m_read_ahead_pos < m_read_ahead.size()) {
    std::size_t count = std::min(n, m_read_ahead.size() - m_read_ahead_pos);
    std::memcpy(buf, m_read_ahead.data() + m_read_ahead_pos, count);
    m_read_ahead_pos += count;
    if (m_read_ahead_pos == m_read_ahead.size()) {
      std::string().swap(m_read_ahead);
      m_read_ahead_pos = 0;
    }
    return count;
  }
  if (m_fd < 0) {
    return 0;
  }
  for (;;) {
    ssize_t got = ::recv(m_fd, buf, n, 0);
    if (got >= 0) {
      return static_cast<std::size_t>(got);
    }
    int error = errno;
    if (error == EINTR) {
      continue;
    }
    // A reset or a shut-down socket ends the stream; see the header.
    if (error == ECONNRESET || error == ENOTCONN || error == EBADF) {
      return 0;
    }
    fail(Errc::engine_error, "cannot read from the engine at {}: {}", m_peer,
         detail::errno_text(error));
  }
}

void RawStream::write_all(std::string_view data)
{
  while (!data.empty()) {
    ssize_t sent = m_fd < 0 ? -1 : ::send(m_fd, data.data(), data.size(), k_send_flags);
    if (sent >= 0) {
      data.remove_prefix(static_cast<std::size_t>(sent));
      continue;
    }
    int error = m_fd < 0 ? EBADF : errno;
    if (error == EINTR) {
      continue;
    }
    if (error == EPIPE || error == ECONNRESET || error == ENOTCONN || error == EBADF) {
      fail(Errc::engine_error, "cannot write to the engine at {}: the stream is closed ({})",
           m_peer, detail::errno_text(error));
    }
    fail(Errc::engine_error, "cannot write to the engine at {}: {}", m_peer,
         detail::errno_text(error));
  }
}

void RawStream::shutdown_write()
{
  if (m_fd >= 0) {
    ::shutdown(m_fd, SHUT_WR);
  }
}

void RawStream::shutdown()
{
  if (m_fd >= 0) {
    ::shutdown(m_fd, SHUT_RDWR);
  }
}

void RawStream::close()
{
  if (m_fd >= 0) {
    ::close(m_fd);
    m_fd = -1;
  }
}

} // namespace crun::transport
