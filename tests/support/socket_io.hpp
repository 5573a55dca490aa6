#pragma once
// Blocking socket helpers for the in-process fakes of the unit tests: whole
// writes that never raise SIGPIPE, one HTTP request read exactly (so that the
// bytes after it stay in the socket), reads to end of file, and sockets bound
// on loopback or on a unix path. Plain POSIX, for the server side only.

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace crun::test {

#if defined(MSG_NOSIGNAL)
inline constexpr int k_send_flags = MSG_NOSIGNAL;
#else
inline constexpr int k_send_flags = 0;
#endif

inline std::string lower(std::string text)
{
  for (auto& c : text) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return text;
}

/// Sends all of `data`; false when the peer is gone.
inline bool send_all(int fd, std::string_view data)
{
  while (!data.empty()) {
    ssize_t sent = ::send(fd, data.data(), data.size(), k_send_flags);
    if (sent < 0 && errno == EINTR) {
      continue;
    }
    if (sent <= 0) {
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(sent));
  }
  return true;
}

/// The Content-Length field of an HTTP head (any case); 0 without one.
inline std::size_t content_length(std::string_view head)
{
  std::string text = lower(std::string(head));
  auto at = text.find("\r\ncontent-length:");
  return at == std::string::npos ? 0 : std::stoul(text.substr(at + 17));
}

/// Reads one request: the head up to the blank line, then a Content-Length
/// body. Less (no blank line, a short body) when the peer closes first.
inline std::string read_request(int fd)
{
  std::string data;
  char buf[4096];
  std::size_t head_end = std::string::npos;
  std::size_t total = std::string::npos;
  while (total == std::string::npos || data.size() < total) {
    // One byte at a time until the head is complete, so that bytes of a
    // following request or stream stay in the socket.
    std::size_t want = head_end == std::string::npos ? 1 : total - data.size();
    ssize_t got = ::recv(fd, buf, std::min(want, sizeof(buf)), 0);
    if (got < 0 && errno == EINTR) {
      continue;
    }
    if (got <= 0) {
      break;
    }
    data.append(buf, static_cast<std::size_t>(got));
    if (head_end == std::string::npos) {
      head_end = data.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        total = head_end + 4 + content_length(std::string_view(data).substr(0, head_end));
      }
    }
  }
  return data;
}

/// Reads until the peer shuts down its side.
inline std::string read_until_eof(int fd)
{
  std::string data;
  char buf[4096];
  for (;;) {
    ssize_t got = ::recv(fd, buf, sizeof(buf), 0);
    if (got < 0 && errno == EINTR) {
      continue;
    }
    if (got <= 0) {
      return data;
    }
    data.append(buf, static_cast<std::size_t>(got));
  }
}

/// A TCP socket and the port it is bound to.
struct BoundSocket {
  int fd = -1;
  std::uint16_t port = 0;
};

/// A TCP socket bound to a free port of 127.0.0.1, not yet listening; a
/// test failure if binding fails.
inline BoundSocket bind_loopback()
{
  BoundSocket bound;
  bound.fd = ::socket(AF_INET, SOCK_STREAM, 0);
  int on = 1;
  ::setsockopt(bound.fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::bind(bound.fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0)
    << "bind 127.0.0.1: " << std::strerror(errno);
  socklen_t size = sizeof(address);
  ::getsockname(bound.fd, reinterpret_cast<sockaddr*>(&address), &size);
  bound.port = ntohs(address.sin_port);
  return bound;
}

/// A unix stream socket bound to `path` (which must not exist), not yet
/// listening; a test failure if binding fails.
inline int bind_unix(const std::string& path)
{
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  EXPECT_LT(path.size(), sizeof(address.sun_path)) << path;
  std::strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0)
    << "bind " << path << ": " << std::strerror(errno);
  return fd;
}

} // namespace crun::test
