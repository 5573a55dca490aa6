#pragma once
// An in-process server for the transport tests: plain POSIX sockets, a
// listening socket on a unix path in a fresh temp dir (or on 127.0.0.1), and
// one thread that accepts connections and hands each to a handler.

#include <crun/transport/endpoint.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace crun::transport::test {

#if defined(MSG_NOSIGNAL)
inline constexpr int k_send_flags = MSG_NOSIGNAL;
#else
inline constexpr int k_send_flags = 0;
#endif

/// A fresh directory under /tmp (short, for sun_path), removed with its files.
class TempDir {
public:
  TempDir()
  {
    char name[] = "/tmp/crun-transport-XXXXXX";
    if (!::mkdtemp(name)) {
      ADD_FAILURE() << "mkdtemp: " << std::strerror(errno);
    }
    m_path = name;
  }
  ~TempDir()
  {
    std::string command = "rm -rf '" + m_path + "'";
    if (std::system(command.c_str()) != 0) {
      ADD_FAILURE() << "cannot remove " << m_path;
    }
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return m_path; }

private:
  std::string m_path;
};

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

/// Reads one request: the head up to the blank line, then a Content-Length body.
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
        std::size_t length = 0;
        auto at = data.find("Content-Length: ");
        if (at != std::string::npos && at < head_end) {
          length = std::stoul(data.substr(at + 16));
        }
        total = head_end + 4 + length;
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

class TestServer {
public:
  using Handler = std::function<void(int fd)>;
  enum class Kind { unix_socket, tcp };

  /// Listens on `kind` and runs `handler` for each accepted connection, one
  /// after the other, closing the connection when the handler returns.
  explicit TestServer(Handler handler, Kind kind = Kind::unix_socket)
      : m_handler(std::move(handler))
  {
    if (kind == Kind::unix_socket) {
      m_path = m_dir.path() + "/engine.sock";
      m_listener = ::socket(AF_UNIX, SOCK_STREAM, 0);
      sockaddr_un address{};
      address.sun_family = AF_UNIX;
      std::strncpy(address.sun_path, m_path.c_str(), sizeof(address.sun_path) - 1);
      EXPECT_EQ(::bind(m_listener, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
    } else {
      m_listener = ::socket(AF_INET, SOCK_STREAM, 0);
      int on = 1;
      ::setsockopt(m_listener, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
      sockaddr_in address{};
      address.sin_family = AF_INET;
      address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      EXPECT_EQ(::bind(m_listener, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
      socklen_t size = sizeof(address);
      ::getsockname(m_listener, reinterpret_cast<sockaddr*>(&address), &size);
      m_port = ntohs(address.sin_port);
    }
    EXPECT_EQ(::listen(m_listener, 8), 0);
    m_thread = std::thread([this] { serve(); });
  }

  ~TestServer() { join(); }
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  /// Stops accepting and waits for the running handler to return.
  void join()
  {
    m_stop = true;
    if (m_thread.joinable()) {
      m_thread.join();
    }
    if (m_listener >= 0) {
      ::close(m_listener);
      m_listener = -1;
    }
  }

  Endpoint endpoint(std::string_view base_path = {}) const
  {
    if (!m_path.empty()) {
      return Endpoint::parse("unix://" + m_path);
    }
    return Endpoint::parse("tcp://127.0.0.1:" + std::to_string(m_port) + std::string(base_path));
  }
  const std::string& path() const { return m_path; }
  std::uint16_t port() const { return m_port; }

private:
  void serve()
  {
    while (!m_stop) {
      pollfd waiting{m_listener, POLLIN, 0};
      if (::poll(&waiting, 1, 20) <= 0) {
        continue;
      }
      int fd = ::accept(m_listener, nullptr, nullptr);
      if (fd < 0) {
        continue;
      }
#if defined(SO_NOSIGPIPE)
      int on = 1;
      ::setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &on, sizeof(on));
#endif
      m_handler(fd);
      ::close(fd);
    }
  }

  TempDir m_dir;
  Handler m_handler;
  std::string m_path;
  std::uint16_t m_port = 0;
  int m_listener = -1;
  std::atomic<bool> m_stop{false};
  std::thread m_thread;
};

} // namespace crun::transport::test
