#pragma once
// Private to src/transport: HttpConnection over one Asio stream (a unix
// socket, a tcp socket or a Beast ssl_stream). Each connection owns its
// io_context; every operation is an async op run with run_until(deadline),
// so that all timeouts work the same way and abort cleanly by closing the
// socket. Only connect.cpp instantiates it, which keeps Boost out of the
// public headers and the build of everything else.

#include "asio_error_text.hpp"

#include <crun/core/error.hpp>
#include <crun/transport/http.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <limits>

namespace crun::transport::detail {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using boost::system::error_code;
using Clock = std::chrono::steady_clock;
using Deadline = std::optional<Clock::time_point>;

template <class Stream>
inline constexpr bool k_is_tls = false;
template <class Next>
inline constexpr bool k_is_tls<beast::ssl_stream<Next>> = true;

// Engines' heads are small; this only stops a runaway peer.
inline constexpr std::uint32_t k_header_limit = 64 * 1024;
// Bounds the read buffer (the head plus one socket read), so that memory
// stays flat however long a body streams.
inline constexpr std::size_t k_read_buffer_limit = 1024 * 1024;

template <class Stream>
class AsioConnection final : public HttpConnection {
public:
  /// `tls` is required for an ssl_stream and ignored otherwise.
  AsioConnection(Endpoint endpoint, std::unique_ptr<net::ssl::context> tls)
    : m_endpoint(std::move(endpoint)), m_tls(std::move(tls)),
      m_stream(make_stream(m_io, m_tls.get()))
  {
  }

  net::io_context& io() { return m_io; }
  Stream& stream() { return m_stream; }
  auto& socket() { return beast::get_lowest_layer(m_stream); }

  /// Runs the pending operations until they finish or `deadline` passes; on
  /// timeout calls `cancel`, lets the aborted handlers run, and returns false.
  template <class Cancel>
  bool run(Deadline deadline, Cancel&& cancel)
  {
    m_io.restart();
    if (!deadline) {
      m_io.run();
      return true;
    }
    m_io.run_until(*deadline);
    if (m_io.stopped()) {
      return true;
    }
    cancel();
    m_io.run();
    return false;
  }
  bool run(Deadline deadline)
  {
    return run(deadline, [this] { close_socket(); });
  }

  void close_socket() noexcept
  {
    error_code ignored;
    socket().close(ignored);
  }

private:
  enum class State { ready, in_response, upgraded, engine_closed, broken };

  static Stream make_stream(net::io_context& io, net::ssl::context* tls)
  {
    if constexpr (k_is_tls<Stream>) {
      return Stream(io, *tls);
    } else {
      (void)tls;
      return Stream(io);
    }
  }

  // Every failure after connect closes the connection: a half-read response
  // cannot be resynchronised.
  template <typename... Args>
  [[noreturn]] void fail_closed(Errc code, fmt::format_string<Args...> format, Args&&... args)
  {
    m_state = State::broken;
    close_socket();
    fail(code, format, std::forward<Args>(args)...);
  }

  std::string host_header() const
  {
    if (m_endpoint.kind == Endpoint::Kind::unix_socket) {
      return "api.moby.localhost"; // a valid name, as Go clients send; never the path
    }
    bool ipv6 = m_endpoint.host.find(':') != std::string::npos;
    return fmt::format("{}{}{}:{}", ipv6 ? "[" : "", m_endpoint.host, ipv6 ? "]" : "",
                       m_endpoint.port);
  }

  void check_can_send(const HttpRequest& request)
  {
    if (request.method.empty() || !request.target.starts_with('/')) {
      fail(Errc::internal,
           "invalid request \"{} {}\" for {}: needs a method and a target "
           "starting with '/'",
           request.method, request.target, m_endpoint.str());
    }
    if (m_state == State::in_response && m_parser->is_done()) {
      // A body that ended with the connection leaves nothing to reuse.
      bool reusable = m_parser->get().keep_alive() && !m_parser->need_eof();
      m_state = reusable ? State::ready : State::engine_closed;
    }
    switch (m_state) {
    case State::ready: return;
    case State::in_response:
      fail(Errc::internal, "cannot send {} {} to {}: the previous response body ({}) is unread",
           request.method, request.target, m_endpoint.str(), m_request_line);
    case State::upgraded:
      fail(Errc::internal, "cannot send {} {} to {}: the connection was upgraded", request.method,
           request.target, m_endpoint.str());
    case State::engine_closed:
      fail(Errc::internal,
           "cannot send {} {} to {}: the engine closed the connection after {}; connect again",
           request.method, request.target, m_endpoint.str(), m_request_line);
    case State::broken:
      fail(Errc::internal, "cannot send {} {} to {}: the connection failed earlier; connect again",
           request.method, request.target, m_endpoint.str());
    }
  }

  HttpResponseHead do_send(const HttpRequest& request,
                           std::optional<std::chrono::milliseconds> timeout) override
  {
    check_can_send(request);
    std::string target = m_endpoint.kind == Endpoint::Kind::tcp
                           ? m_endpoint.base_path + request.target
                           : request.target;
    m_request_line = request.method + " " + target;

    http::request<http::string_body> message;
    message.version(11);
    message.method_string(request.method);
    message.target(target);
    message.set(http::field::host, host_header());
    message.set(http::field::user_agent, "crun-any/" CRUN_ANY_VERSION);
    if (!request.content_type.empty()) {
      message.set(http::field::content_type, request.content_type);
    }
    for (const auto& [name, value] : request.headers) {
      message.set(name, value);
    }
    message.body() = request.body;
    message.prepare_payload();

    m_parser.emplace();
    m_parser->header_limit(k_header_limit);
    // Pull bodies stream for hours. Not boost::none: Beast 1.74 compares a
    // Content-Length against an empty optional and rejects every such body.
    m_parser->body_limit(std::numeric_limits<std::uint64_t>::max());
    if (request.method == "HEAD") {
      m_parser->skip(true);
    }

    error_code write_error;
    error_code read_error;
    http::async_write(m_stream, message, [&](error_code ec, std::size_t) {
      write_error = ec;
      if (!ec) {
        http::async_read_header(m_stream, m_buffer, *m_parser,
                                [&](error_code ec2, std::size_t) { read_error = ec2; });
      }
    });
    Deadline deadline;
    if (timeout) {
      deadline = Clock::now() + *timeout;
    }
    if (!run(deadline)) {
      m_state = State::broken;
      close_socket();
      throw HeadTimeoutError(fmt::format("the engine at {} did not answer {} within {}",
                                         m_endpoint.str(), m_request_line, duration_text(*timeout)),
                             *timeout);
    }
    if (write_error) {
      fail_closed(Errc::engine_unavailable, "cannot send {} to the engine at {}: {}",
                  m_request_line, m_endpoint.str(), error_text(write_error));
    }
    if (read_error) {
      if (is_http_parse_error(read_error)) {
        fail_closed(Errc::protocol, "the engine at {} sent an invalid http response to {}: {}",
                    m_endpoint.str(), m_request_line, error_text(read_error));
      }
      fail_closed(Errc::engine_unavailable, "the engine at {} did not answer {}: {}",
                  m_endpoint.str(), m_request_line, error_text(read_error));
    }
    m_state = State::in_response;

    const auto& response = m_parser->get();
    HttpResponseHead head;
    head.status = static_cast<int>(response.result_int());
    head.reason = std::string(response.reason());
    for (const auto& field : response) {
      head.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    return head;
  }

  std::size_t do_read_body_some(char* buf, std::size_t n,
                                const std::optional<BodyDeadline>& deadline) override
  {
    if (m_state != State::in_response) {
      fail(Errc::internal, "cannot read a response body from {}: no response is being read",
           m_endpoint.str());
    }
    while (n > 0 && !m_parser->is_done()) {
      auto& body = m_parser->get().body();
      body.data = buf;
      body.size = n;
      error_code read_error;
      // read_some parses what is buffered before it reads the socket, and
      // returns after one socket read: pieces come out as they arrive.
      // Without a deadline the synchronous form does (it is several times
      // cheaper per piece than an async op run to completion); with one, the
      // async form run until the deadline, which closes the socket.
      bool in_time = true;
      if (deadline) {
        http::async_read_some(m_stream, m_buffer, *m_parser,
                              [&](error_code ec, std::size_t) { read_error = ec; });
        in_time = run(deadline->at);
      } else {
        http::read_some(m_stream, m_buffer, *m_parser, read_error);
      }
      std::size_t got = n - body.size;
      body.data = nullptr;
      body.size = 0;
      if (!in_time) {
        fail_body(
          true,
          fmt::format("the engine at {} stopped sending the response to {}", m_endpoint.str(),
                      m_request_line),
          deadline->idle
            ? fmt::format("nothing arrived for {}", duration_text(deadline->span))
            : fmt::format("not all of it arrived within {}", duration_text(deadline->span)));
      }
      if (read_error == http::error::need_buffer) {
        read_error = {};
      }
      if (read_error) {
        if (is_http_parse_error(read_error)) {
          fail_closed(Errc::protocol, "the engine at {} sent an invalid response body to {}: {}",
                      m_endpoint.str(), m_request_line, error_text(read_error));
        }
        fail_body(false,
                  fmt::format("lost the connection to the engine at {} while reading the "
                              "response to {}",
                              m_endpoint.str(), m_request_line),
                  is_closed_early(read_error) ? "the connection closed before the end of the body"
                                              : error_text(read_error),
                  error_text(read_error));
      }
      if (got > 0) {
        return got;
      }
    }
    return 0;
  }

  // Throws BodyReadError "<what>: <text>" (text defaults to reason) after
  // closing the connection: `timed_out` for a deadline that expired.
  [[noreturn]] void fail_body(bool timed_out, const std::string& what, const std::string& reason,
                              std::optional<std::string> text = {})
  {
    m_state = State::broken;
    close_socket();
    throw BodyReadError(fmt::format("{}: {}", what, text ? *text : reason), reason, timed_out);
  }

  std::unique_ptr<RawStream> do_upgrade() override
  {
    int status = m_state == State::in_response ? static_cast<int>(m_parser->get().result_int()) : 0;
    if (status != 101 && status != 200) {
      fail(Errc::internal,
           "cannot take over the connection to {}: upgrade needs a 101 or 200 response head",
           m_endpoint.str());
    }
    if constexpr (k_is_tls<Stream>) {
      fail(Errc::invalid_input,
           "attaching over tls is not supported yet (the engine at {}): use the engine's unix "
           "socket",
           m_endpoint.str());
    } else {
      // The head was parsed alone, so whatever follows it in the buffer is
      // the start of the raw stream (docs/engine-apis.md §4.3).
      auto leftover = m_buffer.data();
      std::string read_ahead(static_cast<const char*>(leftover.data()), leftover.size());
      m_buffer.consume(m_buffer.size());
      error_code ec;
      int fd = socket().release(ec);
      if (ec) {
        fail_closed(Errc::engine_error, "cannot take over the connection to {}: {}",
                    m_endpoint.str(), error_text(ec));
      }
      m_state = State::upgraded;
      return std::make_unique<RawStream>(fd, std::move(read_ahead), m_endpoint.str());
    }
  }

  const Endpoint& do_endpoint() const noexcept override { return m_endpoint; }

  Endpoint m_endpoint;
  net::io_context m_io{1}; // one thread runs it: the caller's
  std::unique_ptr<net::ssl::context> m_tls;
  Stream m_stream;
  beast::flat_buffer m_buffer{k_read_buffer_limit};
  std::optional<http::response_parser<http::buffer_body>> m_parser;
  std::string m_request_line; // "GET /v1.41/version", for messages
  State m_state = State::ready;
};

} // namespace crun::transport::detail
