// Test support: a fault-injecting proxy in front of a real engine socket or
// registry port. It forwards every connection byte for byte, except those
// whose first request matches a Fault: there it stalls, truncates or
// corrupts the response, or closes before answering, so that the
// integration tests can drive crun-any against an engine or registry that
// misbehaves at a chosen call (issue 11: every read has a deadline).
//
// crun-any makes one connection per call, so only the first request line of
// a connection is looked at; hijacked (attach) connections are forwarded as
// they are. Plain POSIX sockets, one thread per connection.
#pragma once

#include "support/temp_dir.hpp"

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace crun::test {

struct Fault {
  enum class Kind {
    stall_head,   // the request reaches upstream; no byte of the answer comes back
    close_early,  // the connection is closed once the request is read
    stall_body,   // the head and `body_bytes` of the body, then nothing (kept open)
    truncate,     // the head and `body_bytes` of the body, then the connection closes
    corrupt_body, // the head, then every body byte but CR and LF replaced by 'x'
  };
  Kind kind = Kind::stall_body;
  std::string method;                 // "GET"; empty: any
  std::vector<std::string> in_target; // substrings the request target must all contain
  std::size_t body_bytes = 0;         // for stall_body and truncate
};

class FaultProxy {
public:
  enum class Listen { unix_socket, tcp };

  /// Listens on a unix socket in a fresh directory, or on a free port of
  /// 127.0.0.1, and forwards to the unix socket at `upstream` ("/x.sock") or
  /// to "127.0.0.1:<port>" (`upstream` is "host:port" for tcp). Every
  /// matching request gets `fault`. A test failure when it cannot listen.
  FaultProxy(Listen listen, std::string upstream, Fault fault);
  /// Stops accepting, closes every connection and joins the threads.
  ~FaultProxy();
  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;

  /// "unix://<path>" or "tcp://127.0.0.1:<port>".
  std::string uri() const;
  /// "127.0.0.1:<port>" (tcp only).
  std::string host() const;
  /// How many requests got the fault so far.
  int faults() const { return m_faults.load(); }
  /// The first request line of every connection so far ("GET /v1.41/...").
  std::vector<std::string> requests() const;

private:
  void serve();
  void relay(int client);
  int connect_upstream() const;

  Listen m_listen;
  std::string m_upstream;
  Fault m_fault;
  std::unique_ptr<TempDir> m_dir;
  std::string m_socket_path;
  std::uint16_t m_port = 0;
  int m_listener = -1;
  std::atomic<bool> m_stop{false};
  std::atomic<int> m_faults{0};
  mutable std::mutex m_mutex;
  std::vector<std::string> m_requests;
  std::vector<std::thread> m_relays; // guarded by m_mutex
  std::thread m_thread;
};

} // namespace crun::test
