#pragma once
// The one in-process HTTP server of the unit tests: a listening socket on
// 127.0.0.1 (or on a unix path in a fresh directory) and one thread that
// accepts connections one at a time. Either it answers parsed requests
// (registry, engines: a handler maps a FakeRequest to a FakeResponse, sent
// with Content-Length and Connection: close), or it hands each connection to
// a handler that reads and writes the bytes itself (the transport tests:
// chunking, upgrades, TLS, misbehaving engines). Plain POSIX sockets
// (cpp-httplib would do, but Debian 12 ships it as a shared library, not a
// header-only one).

#include "support/socket_io.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace crun::test {

inline std::string percent_decode(std::string_view text)
{
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += text[i] == '+' ? ' ' : text[i];
    }
  }
  return out;
}

inline std::map<std::string, std::string> parse_form(std::string_view text)
{
  std::map<std::string, std::string> params;
  while (!text.empty()) {
    auto amp = text.find('&');
    auto pair = text.substr(0, amp);
    auto eq = pair.find('=');
    params[percent_decode(pair.substr(0, eq))] =
      eq == std::string_view::npos ? "" : percent_decode(pair.substr(eq + 1));
    text = amp == std::string_view::npos ? std::string_view{} : text.substr(amp + 1);
  }
  return params;
}

struct FakeRequest {
  std::string method;
  std::string target;
  std::string path;                           ///< target without the query
  std::map<std::string, std::string> params;  ///< query, and a form body's fields
  std::map<std::string, std::string> headers; ///< names lower-cased
  std::string body;

  std::string header(const std::string& name) const
  {
    auto it = headers.find(lower(name));
    return it == headers.end() ? std::string() : it->second;
  }
  std::string param(const std::string& name) const
  {
    auto it = params.find(name);
    return it == params.end() ? std::string() : it->second;
  }
};

/// The request in `data` (what read_request read); nullopt when the head is
/// incomplete (the client closed without a request).
inline std::optional<FakeRequest> parse_request(const std::string& data)
{
  auto head_end = data.find("\r\n\r\n");
  if (head_end == std::string::npos) {
    return std::nullopt;
  }
  FakeRequest request;
  std::string head = data.substr(0, head_end);
  auto line_end = head.find("\r\n");
  std::string request_line = head.substr(0, line_end);
  auto space = request_line.find(' ');
  request.method = request_line.substr(0, space);
  request.target = request_line.substr(space + 1, request_line.rfind(' ') - space - 1);
  auto query = request.target.find('?');
  request.path = request.target.substr(0, query);
  if (query != std::string::npos) {
    request.params = parse_form(std::string_view(request.target).substr(query + 1));
  }
  std::size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
  while (pos < head.size()) {
    auto end = head.find("\r\n", pos);
    std::string field = head.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    auto colon = field.find(':');
    std::string value = field.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    request.headers[lower(field.substr(0, colon))] = value;
    pos = end == std::string::npos ? head.size() : end + 2;
  }
  request.body = data.substr(head_end + 4);
  if (request.header("Content-Type") == "application/x-www-form-urlencoded") {
    for (auto& [name, value] : parse_form(request.body)) {
      request.params[name] = value;
    }
  }
  return request;
}

struct FakeResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers{};
  std::string body{};
};

class FakeHttpServer {
public:
  using Handler = std::function<FakeResponse(const FakeRequest&)>;
  using ConnectionHandler = std::function<void(int fd)>;
  enum class Listen { tcp, unix_socket };

  /// On 127.0.0.1: reads one request per connection, records it, and sends
  /// `handler`'s response (no body for HEAD), then closes the connection.
  explicit FakeHttpServer(Handler handler)
    : FakeHttpServer([this, answer = std::move(handler)](int fd) { respond(fd, answer); },
                     Listen::tcp)
  {
  }

  /// On `listen`: runs `handler` on each accepted connection, one after the
  /// other, and closes the connection when it returns.
  FakeHttpServer(ConnectionHandler handler, Listen listen) : m_handler(std::move(handler))
  {
    if (listen == Listen::unix_socket) {
      m_dir = std::make_unique<TempDir>("crun-fake");
      m_socket_path = m_dir->path() + "/engine.sock";
      m_listener = bind_unix(m_socket_path);
    } else {
      BoundSocket bound = bind_loopback();
      m_listener = bound.fd;
      m_port = bound.port;
    }
    EXPECT_EQ(::listen(m_listener, 16), 0);
    m_thread = std::thread([this] { serve(); });
  }

  ~FakeHttpServer() { join(); }
  FakeHttpServer(const FakeHttpServer&) = delete;
  FakeHttpServer& operator=(const FakeHttpServer&) = delete;

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

  /// The TCP port (0 on a unix socket).
  std::uint16_t port() const { return m_port; }
  /// "127.0.0.1:<port>": a registry host, spoken to over plain HTTP.
  std::string host() const { return "127.0.0.1:" + std::to_string(m_port); }
  /// The unix socket's path ("" on TCP).
  const std::string& socket_path() const { return m_socket_path; }
  /// As an engine endpoint: "unix://<path>" or "tcp://127.0.0.1:<port>".
  std::string uri() const
  {
    return m_socket_path.empty() ? "tcp://" + host() : "unix://" + m_socket_path;
  }
  /// The requests answered so far (parsed requests only).
  std::vector<FakeRequest> requests() const
  {
    std::lock_guard lock(m_mutex);
    return m_requests;
  }

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

  void respond(int fd, const Handler& handler)
  {
    auto request = parse_request(read_request(fd));
    if (!request) {
      return; // a connection closed without a request
    }
    {
      std::lock_guard lock(m_mutex);
      m_requests.push_back(*request);
    }
    FakeResponse response = handler(*request);
    std::string out = "HTTP/1.1 " + std::to_string(response.status) + " Fake\r\n";
    for (const auto& [name, value] : response.headers) {
      out += name + ": " + value + "\r\n";
    }
    out += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
    out += "Connection: close\r\n\r\n";
    if (request->method != "HEAD") {
      out += response.body;
    }
    send_all(fd, out);
  }

  std::unique_ptr<TempDir> m_dir; ///< holds the unix socket
  ConnectionHandler m_handler;
  std::string m_socket_path;
  std::uint16_t m_port = 0;
  int m_listener = -1;
  std::atomic<bool> m_stop{false};
  mutable std::mutex m_mutex;
  std::vector<FakeRequest> m_requests;
  std::thread m_thread;
};

} // namespace crun::test
