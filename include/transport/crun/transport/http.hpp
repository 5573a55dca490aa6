#pragma once
// A small blocking HTTP/1.1 client for the engines' APIs, over unix sockets
// and tcp (optionally TLS). One HttpConnection is one connection: streaming
// and hijacked calls each take their own (docs/engine-apis.md §6).
//
// Errors, by when they happen:
//   Errc::engine_unavailable  cannot connect, or the connection fails or times
//                             out before the response head has arrived
//   Errc::protocol            the bytes received are not valid HTTP, or a body
//                             is larger than read_body_all's limit
//   Errc::engine_error        the connection breaks after the response head,
//                             or a body read outlasts its deadline (a
//                             BodyReadError: an engine that answered, then
//                             stalled)
//   Errc::invalid_input       unusable TLS files, attach over TLS
//   Errc::internal            the caller broke the call order below
// An HTTP error status (404, 500) is not an error here: send returns it.

#include <crun/core/error.hpp>
#include <crun/transport/endpoint.hpp>
#include <crun/transport/raw_stream.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace crun::transport {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method{};       ///< "GET", "POST", "HEAD", "DELETE"...
  std::string target{};       ///< path and query, already escaped: "/v1.41/images/json?all=1"
  HttpHeaders headers{};      ///< replace the defaults (Host, User-Agent) when they share a name
  std::string body{};         ///< sent with Content-Length (POST always sends one)
  std::string content_type{}; ///< sets Content-Type when not empty
};

struct HttpResponseHead {
  int status = 0;
  std::string reason{}; ///< "OK", "UPGRADED"; for messages only
  HttpHeaders headers{};

  /// The value of the first header called `name`, compared case-insensitively
  /// (Go canonicalizes "API-Version" to "Api-Version"); std::nullopt when
  /// absent. Never fails.
  std::optional<std::string> header(std::string_view name) const;
};

/// A TLS handshake that failed because the server's certificate was not
/// trusted (an Error with Errc::engine_unavailable, thrown by
/// HttpConnection::connect): callers that know where trust comes from (a
/// registry's certs.d) can word the fix.
class TlsVerifyError : public Error {
public:
  TlsVerifyError(std::string message, std::string reason)
    : Error(Errc::engine_unavailable, std::move(message)), m_reason(std::move(reason))
  {
  }
  /// OpenSSL's words for what was wrong: "unable to get local issuer
  /// certificate", "certificate has expired", "the certificate does not name
  /// the host". Never fails.
  const std::string& reason() const noexcept { return m_reason; }

private:
  std::string m_reason;
};

/// A connection that could not be made (refused, unresolvable, timed out):
/// Errc::engine_unavailable with a message about the engine, since most
/// connections are an engine's; a registry client re-words it from reason().
class ConnectError : public Error {
public:
  ConnectError(std::string message, std::string reason)
    : Error(Errc::engine_unavailable, std::move(message)), m_reason(std::move(reason))
  {
  }
  /// What failed, without naming what was connected to: "connection
  /// refused", "cannot resolve \"host\": host not found", "connecting timed
  /// out after 30000 ms". Never fails.
  const std::string& reason() const noexcept { return m_reason; }

private:
  std::string m_reason;
};

/// A response head that did not arrive within send's timeout:
/// Errc::engine_unavailable with a message about the engine; a registry
/// client re-words it from timeout().
class HeadTimeoutError : public Error {
public:
  HeadTimeoutError(std::string message, std::chrono::milliseconds timeout)
    : Error(Errc::engine_unavailable, std::move(message)), m_timeout(timeout)
  {
  }
  /// The timeout that expired. Never fails.
  std::chrono::milliseconds timeout() const noexcept { return m_timeout; }

private:
  std::chrono::milliseconds m_timeout;
};

/// A body read that failed after the head arrived: the connection broke or
/// the read outlasted its deadline. Errc::engine_error with a message about
/// the engine; a registry client re-words it from reason().
class BodyReadError : public Error {
public:
  BodyReadError(std::string message, std::string reason, bool timed_out)
    : Error(Errc::engine_error, std::move(message)), m_reason(std::move(reason)),
      m_timed_out(timed_out)
  {
  }
  /// What went wrong, without naming the peer: "nothing arrived for 30 s",
  /// "not all of it arrived within 30 s", "the connection closed before the
  /// end of the body". Never fails.
  const std::string& reason() const noexcept { return m_reason; }
  /// Whether the deadline expired (else the connection broke). Never fails.
  bool timed_out() const noexcept { return m_timed_out; }

private:
  std::string m_reason;
  bool m_timed_out;
};

/// When a body read gives up. `span` and `idle` only word the message: an
/// idle deadline is renewed by each read_body_some, an overall one is not.
struct BodyDeadline {
  std::chrono::steady_clock::time_point at{};
  std::chrono::milliseconds span{};
  bool idle = false;
};

/// "30 s" for whole seconds, else "300 ms": how messages state a timeout.
/// Never fails.
std::string duration_text(std::chrono::milliseconds span);

inline constexpr std::size_t k_default_body_limit = 64 * 1024 * 1024;

/// One connection to an engine. Threads: used by one thread at a time;
/// separate connections share nothing (each has its own io_context), so
/// threads can each use their own, e.g. a signal forwarder beside a wait.
class HttpConnection {
public:
  virtual ~HttpConnection() = default;

  /// Connects to `endpoint` (and completes the TLS handshake) within
  /// `timeout`. Fails fast when the socket is missing or refuses.
  /// Throws Error(Errc::engine_unavailable) naming the endpoint and, where
  /// there is one, the fix: "cannot connect to the engine at
  /// unix:///x.sock: no such file (is the engine running?)";
  /// Error(Errc::invalid_input) when a TLS file cannot be loaded.
  /// A DNS lookup that hangs can outlast `timeout` (getaddrinfo cannot be
  /// interrupted); numeric addresses and unix sockets cannot.
  static std::unique_ptr<HttpConnection> connect(const Endpoint& endpoint,
                                                 std::chrono::milliseconds timeout);

  /// Sends `request` (Host: api.moby.localhost on unix sockets, as Go clients
  /// do, host:port on tcp; the endpoint's base_path prefixed to the target)
  /// and reads the response head only. `timeout`, when set, bounds the write
  /// and the head together; without it send waits as long as the engine takes
  /// (the wait call). A connection can carry another request once the previous
  /// body has been read to its end, unless the engine closed it.
  /// Throws Error(Errc::engine_unavailable) on a failed write or a
  /// connection closed before the head; HeadTimeoutError (the same code) on
  /// the timeout ("did not answer ... within 300 ms"); Error(Errc::protocol) on an invalid head;
  /// Error(Errc::internal) for an empty method or a target not starting with '/', after upgrade(),
  /// or while the previous body is unread. After any error
  /// the connection is closed and every later call fails.
  HttpResponseHead send(const HttpRequest& request,
                        std::optional<std::chrono::milliseconds> timeout = {})
  {
    return do_send(request, timeout);
  }

  /// Reads the next piece of the body (chunked, Content-Length or until
  /// close) into `buf`, up to `n` bytes, returning as soon as any body bytes
  /// are available: a pull's progress flows through line by line with flat
  /// memory. Returns 0 at the end of the body (at once for HEAD, 204, 304,
  /// 101). `idle`, when set, is how long it waits for the next bytes;
  /// without it, it waits as long as the engine takes (a wait, an attach).
  /// Throws BodyReadError (Errc::engine_error) when the connection breaks
  /// before the end, or when nothing arrives within `idle` ("the engine at
  /// unix:///x.sock stopped sending the response to GET /v1.41/images/x/json:
  /// nothing arrived for 30 s"); Error(Errc::protocol) on bad chunk framing;
  /// Error(Errc::internal) without a preceding send. After any error the
  /// connection is closed.
  std::size_t read_body_some(char* buf, std::size_t n,
                             std::optional<std::chrono::milliseconds> idle = {})
  {
    std::optional<BodyDeadline> deadline;
    if (idle) {
      deadline = BodyDeadline{std::chrono::steady_clock::now() + *idle, *idle, true};
    }
    return do_read_body_some(buf, n, deadline);
  }

  /// The whole (small, JSON) body, within `overall` when it is set. Throws
  /// as read_body_some (BodyReadError "... not all of it arrived within 30
  /// s" past `overall`), and Error(Errc::protocol) when the body exceeds
  /// `limit` bytes.
  std::string read_body_all(std::size_t limit = k_default_body_limit,
                            std::optional<std::chrono::milliseconds> overall = {});

  /// Hands the connection over as a raw bidirectional stream after a
  /// `101 Switching Protocols`, or the `200 OK` both engines answer a
  /// hijack without Upgrade headers. Bytes that arrived with the head come
  /// first from the stream. This object is spent afterwards.
  /// Throws Error(Errc::internal) unless called right after a send that
  /// returned 101 or 200; Error(Errc::invalid_input) over TLS (not supported
  /// yet); Error(Errc::engine_error) if the socket cannot be detached.
  std::unique_ptr<RawStream> upgrade() { return do_upgrade(); }

  /// The endpoint this connection talks to. Never fails.
  const Endpoint& endpoint() const noexcept { return do_endpoint(); }

private:
  // Implemented by the real connection and by test fakes.
  virtual HttpResponseHead do_send(const HttpRequest& request,
                                   std::optional<std::chrono::milliseconds> timeout) = 0;
  virtual std::size_t do_read_body_some(char* buf, std::size_t n,
                                        const std::optional<BodyDeadline>& deadline) = 0;
  virtual std::unique_ptr<RawStream> do_upgrade() = 0;
  virtual const Endpoint& do_endpoint() const noexcept = 0;
};

} // namespace crun::transport
