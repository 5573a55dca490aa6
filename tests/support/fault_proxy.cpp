#include "support/fault_proxy.hpp"

#include "support/socket_io.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace crun::test {
namespace {

// The request line of a request head ("GET /x HTTP/1.1"), split.
struct RequestLine {
  std::string method, target;
};

RequestLine request_line(const std::string& head)
{
  std::string line = head.substr(0, head.find("\r\n"));
  auto first = line.find(' ');
  auto last = line.rfind(' ');
  if (first == std::string::npos || last <= first) {
    return {line, ""};
  }
  return {line.substr(0, first), line.substr(first + 1, last - first - 1)};
}

bool matches(const Fault& fault, const RequestLine& line)
{
  if (!fault.method.empty() && fault.method != line.method) {
    return false;
  }
  return std::all_of(fault.in_target.begin(), fault.in_target.end(), [&](const std::string& part) {
    return line.target.find(part) != std::string::npos;
  });
}

// One connection's response side under a fault: what reaches the client.
class FaultyResponse {
public:
  explicit FaultyResponse(const Fault& fault) : m_fault(fault) {}

  // The bytes of `data` (from upstream) to pass on; sets `end` when the
  // connection is to be closed now.
  std::string pass(std::string_view data, bool& end)
  {
    if (m_fault.kind == Fault::Kind::stall_head) {
      return {};
    }
    std::string out;
    if (!m_head_done) {
      m_head.append(data);
      auto head_end = m_head.find("\r\n\r\n");
      if (head_end == std::string::npos) {
        return {};
      }
      m_head_done = true;
      out = m_head.substr(0, head_end + 4);
      data = std::string_view(m_head).substr(head_end + 4);
    }
    switch (m_fault.kind) {
    case Fault::Kind::corrupt_body:
      // Line ends are kept, so that a chunked body's framing is read, and
      // found wrong, rather than awaited.
      for (char c : data) {
        out += c == '\r' || c == '\n' ? c : 'x';
      }
      break;
    case Fault::Kind::stall_body:
    case Fault::Kind::truncate: {
      std::size_t take = std::min(data.size(), m_fault.body_bytes - m_body_sent);
      out.append(data.substr(0, take));
      m_body_sent += take;
      end = m_fault.kind == Fault::Kind::truncate && m_body_sent == m_fault.body_bytes;
      break;
    }
    default: break;
    }
    return out;
  }

private:
  const Fault& m_fault;
  std::string m_head;
  bool m_head_done = false;
  std::size_t m_body_sent = 0;
};

} // namespace

FaultProxy::FaultProxy(Listen listen, std::string upstream, Fault fault)
  : m_listen(listen), m_upstream(std::move(upstream)), m_fault(std::move(fault))
{
  if (listen == Listen::unix_socket) {
    m_dir = std::make_unique<TempDir>("crun-proxy");
    m_socket_path = m_dir->path() + "/engine.sock";
    m_listener = bind_unix(m_socket_path);
  } else {
    BoundSocket bound = bind_loopback();
    m_listener = bound.fd;
    m_port = bound.port;
  }
  EXPECT_EQ(::listen(m_listener, 64), 0) << std::strerror(errno);
  m_thread = std::thread([this] { serve(); });
}

FaultProxy::~FaultProxy()
{
  m_stop = true;
  if (m_thread.joinable()) {
    m_thread.join();
  }
  std::vector<std::thread> relays;
  {
    std::lock_guard lock(m_mutex);
    relays.swap(m_relays);
  }
  for (auto& relay : relays) {
    relay.join();
  }
  ::close(m_listener);
}

std::string FaultProxy::uri() const
{
  return m_listen == Listen::unix_socket ? "unix://" + m_socket_path : "tcp://" + host();
}

std::string FaultProxy::host() const
{
  return "127.0.0.1:" + std::to_string(m_port);
}

std::vector<std::string> FaultProxy::requests() const
{
  std::lock_guard lock(m_mutex);
  return m_requests;
}

void FaultProxy::serve()
{
  while (!m_stop) {
    pollfd waiting{m_listener, POLLIN, 0};
    if (::poll(&waiting, 1, 20) <= 0) {
      continue;
    }
    int client = ::accept(m_listener, nullptr, nullptr);
    if (client < 0) {
      continue;
    }
    std::lock_guard lock(m_mutex);
    m_relays.emplace_back([this, client] { relay(client); });
  }
}

int FaultProxy::connect_upstream() const
{
  if (m_listen == Listen::unix_socket) {
    int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, m_upstream.c_str(), sizeof(address.sun_path) - 1);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
      ::close(fd);
      return -1;
    }
    return fd;
  }
  auto colon = m_upstream.rfind(':');
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(std::stoi(m_upstream.substr(colon + 1))));
  ::inet_pton(AF_INET, m_upstream.substr(0, colon).c_str(), &address.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Forwards both ways until both sides have closed (a half-close is passed
// on: an attach closes its stdin and still reads), or, under a fault, until
// the client closes or the fault ends the connection.
void FaultProxy::relay(int client)
{
  int upstream = connect_upstream();
  if (upstream < 0) {
    ::close(client);
    return;
  }
  std::string request;   // the client's bytes until its first head is complete
  bool examined = false; // whether that head has been looked at
  std::unique_ptr<FaultyResponse> faulty;
  bool client_open = true;
  bool upstream_open = true;
  bool end = false;
  char buf[64 * 1024];
  while (!m_stop && !end && (client_open || upstream_open)) {
    pollfd fds[2] = {{client_open ? client : -1, POLLIN, 0},
                     {upstream_open ? upstream : -1, POLLIN, 0}};
    if (::poll(fds, 2, 50) <= 0) {
      continue;
    }
    if (fds[0].revents != 0) {
      ssize_t got = ::read(client, buf, sizeof buf);
      if (got <= 0) {
        client_open = false;
        end = faulty != nullptr; // a client that gave up: nothing more to do
        ::shutdown(upstream, SHUT_WR);
      } else if (examined) {
        end = !send_all(upstream, std::string_view(buf, static_cast<std::size_t>(got)));
      } else {
        request.append(buf, static_cast<std::size_t>(got));
        auto head_end = request.find("\r\n\r\n");
        if (head_end != std::string::npos) {
          examined = true;
          RequestLine line = request_line(request);
          {
            std::lock_guard lock(m_mutex);
            m_requests.push_back(line.method + " " + line.target);
          }
          if (matches(m_fault, line)) {
            ++m_faults;
            faulty = std::make_unique<FaultyResponse>(m_fault);
            if (m_fault.kind == Fault::Kind::close_early) {
              break;
            }
          }
          end = !send_all(upstream, request);
        }
      }
    }
    if (!end && fds[1].revents != 0) {
      ssize_t got = ::read(upstream, buf, sizeof buf);
      if (got <= 0) {
        upstream_open = false;
        // Under a stall the client must see silence, not an end.
        bool stalling = faulty && (m_fault.kind == Fault::Kind::stall_head ||
                                   m_fault.kind == Fault::Kind::stall_body);
        if (!stalling) {
          ::shutdown(client, SHUT_WR);
        }
      } else {
        std::string_view data(buf, static_cast<std::size_t>(got));
        std::string out = faulty ? faulty->pass(data, end) : std::string(data);
        if (!out.empty() && !send_all(client, out)) {
          end = true;
        }
      }
    }
  }
  ::close(upstream);
  ::close(client);
}

} // namespace crun::test
