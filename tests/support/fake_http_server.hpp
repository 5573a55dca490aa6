#pragma once
// A tiny HTTP/1.1 server on 127.0.0.1 for unit tests (registry, engines):
// plain POSIX sockets, one thread, one connection at a time (the client is
// sequential), every answer with Content-Length and Connection: close.
// (cpp-httplib would do, but Debian 12 ships it as a shared library, not a
// header-only one.)

#include <gtest/gtest.h>

#include <atomic>
#include <cctype>
#include <cerrno>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace crun::test {

#if defined(MSG_NOSIGNAL)
inline constexpr int k_fake_send_flags = MSG_NOSIGNAL;
#else
inline constexpr int k_fake_send_flags = 0;
#endif

inline std::string lower(std::string text)
{
  for (auto& c : text) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return text;
}

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

struct FakeResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers{};
  std::string body{};
};

class FakeHttpServer {
public:
  using Handler = std::function<FakeResponse(const FakeRequest&)>;

  explicit FakeHttpServer(Handler handler) : m_handler(std::move(handler))
  {
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
    EXPECT_EQ(::listen(m_listener, 16), 0);
    m_thread = std::thread([this] { serve(); });
  }
  ~FakeHttpServer()
  {
    m_stop = true;
    m_thread.join();
    ::close(m_listener);
  }
  FakeHttpServer(const FakeHttpServer&) = delete;
  FakeHttpServer& operator=(const FakeHttpServer&) = delete;

  std::uint16_t port() const { return m_port; }
  /// "127.0.0.1:<port>": the registry host, spoken to over plain HTTP.
  std::string host() const { return "127.0.0.1:" + std::to_string(m_port); }
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
      if (fd >= 0) {
        handle(fd);
        ::close(fd);
      }
    }
  }

  void handle(int fd)
  {
    std::string data;
    char buf[4096];
    std::size_t head_end = std::string::npos;
    while ((head_end = data.find("\r\n\r\n")) == std::string::npos) {
      ssize_t got = ::recv(fd, buf, sizeof(buf), 0);
      if (got <= 0) {
        return; // a connection closed without a request
      }
      data.append(buf, static_cast<std::size_t>(got));
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
      std::string field =
          head.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
      auto colon = field.find(':');
      std::string value = field.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      request.headers[lower(field.substr(0, colon))] = value;
      pos = end == std::string::npos ? head.size() : end + 2;
    }
    std::size_t length = request.headers.count("content-length")
                             ? std::stoul(request.headers["content-length"])
                             : 0;
    request.body = data.substr(head_end + 4);
    while (request.body.size() < length) {
      ssize_t got = ::recv(fd, buf, sizeof(buf), 0);
      if (got <= 0) {
        break;
      }
      request.body.append(buf, static_cast<std::size_t>(got));
    }
    if (request.header("Content-Type") == "application/x-www-form-urlencoded") {
      for (auto& [name, value] : parse_form(request.body)) {
        request.params[name] = value;
      }
    }
    {
      std::lock_guard lock(m_mutex);
      m_requests.push_back(request);
    }

    FakeResponse response = m_handler(request);
    std::string out = "HTTP/1.1 " + std::to_string(response.status) + " Fake\r\n";
    for (const auto& [name, value] : response.headers) {
      out += name + ": " + value + "\r\n";
    }
    out += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
    out += "Connection: close\r\n\r\n";
    if (request.method != "HEAD") {
      out += response.body;
    }
    std::string_view rest = out;
    while (!rest.empty()) {
      ssize_t sent = ::send(fd, rest.data(), rest.size(), k_fake_send_flags);
      if (sent <= 0) {
        break;
      }
      rest.remove_prefix(static_cast<std::size_t>(sent));
    }
  }

  Handler m_handler;
  int m_listener = -1;
  std::uint16_t m_port = 0;
  std::atomic<bool> m_stop{false};
  mutable std::mutex m_mutex;
  std::vector<FakeRequest> m_requests;
  std::thread m_thread;
};

} // namespace crun::test
