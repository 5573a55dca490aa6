// HttpConnection::connect: opens the socket (and the TLS session) to an
// endpoint within a deadline, and turns every failure into one message that
// names the endpoint and what to check.

#include <boost/asio/connect.hpp>

#include "asio_connection.hpp"

#include <crun/core/error.hpp>
#include <crun/transport/http.hpp>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>

#include <fcntl.h>
#include <sys/un.h>

#include <cerrno>

namespace crun::transport {

namespace {

using detail::Clock;
using detail::error_code;
namespace net = detail::net;
using UnixConnection = detail::AsioConnection<net::local::stream_protocol::socket>;
using TcpConnection = detail::AsioConnection<net::ip::tcp::socket>;
using TlsConnection = detail::AsioConnection<detail::beast::ssl_stream<net::ip::tcp::socket>>;

// What to check, for the failures that have an obvious suspect.
std::string hint_for(const error_code& ec)
{
  if (ec == net::error::connection_refused ||
      ec == boost::system::errc::no_such_file_or_directory) {
    return " (is the engine running?)";
  }
  if (ec == net::error::access_denied || ec == boost::system::errc::permission_denied) {
    return " (does your user have access to the socket?)";
  }
  if (ec == net::error::host_unreachable || ec == net::error::network_unreachable) {
    return " (is the host reachable?)";
  }
  return {};
}

[[noreturn]] void fail_connect(const Endpoint& endpoint, const error_code& ec)
{
  std::string reason = detail::error_text(ec);
  throw ConnectError(
    fmt::format("cannot connect to the engine at {}: {}{}", endpoint.str(), reason, hint_for(ec)),
    reason);
}

[[noreturn]] void fail_timeout(const Endpoint& endpoint, std::string_view step,
                               std::chrono::milliseconds timeout)
{
  std::string reason = fmt::format("{} timed out after {} ms", step, timeout.count());
  throw ConnectError(fmt::format("cannot connect to the engine at {}: {} (is the engine running "
                                 "and reachable?)",
                                 endpoint.str(), reason),
                     reason);
}

// Engines' sockets must not leak into processes we spawn (Asio does not set
// close-on-exec on every platform).
void set_close_on_exec(int fd)
{
  int flags = ::fcntl(fd, F_GETFD);
  if (flags != -1) {
    ::fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
  }
}

std::unique_ptr<HttpConnection> connect_unix(const Endpoint& endpoint, Clock::time_point deadline,
                                             std::chrono::milliseconds timeout)
{
  if (endpoint.path.size() >= sizeof(sockaddr_un{}.sun_path)) {
    fail(Errc::invalid_input,
         "socket path {} is too long: a unix socket address holds at most {} bytes", endpoint.path,
         sizeof(sockaddr_un{}.sun_path) - 1);
  }
  auto connection = std::make_unique<UnixConnection>(endpoint, nullptr);
  error_code connect_error;
  connection->socket().async_connect(net::local::stream_protocol::endpoint(endpoint.path),
                                     [&](error_code ec) { connect_error = ec; });
  if (!connection->run(deadline)) {
    fail_timeout(endpoint, "connecting", timeout);
  }
  if (connect_error) {
    fail_connect(endpoint, connect_error);
  }
  set_close_on_exec(connection->socket().native_handle());
  return connection;
}

// Resolves and connects the tcp socket under `connection`; shared by plain
// and TLS connections.
template <class Connection>
void connect_socket(Connection& connection, const Endpoint& endpoint, Clock::time_point deadline,
                    std::chrono::milliseconds timeout)
{
  net::ip::tcp::resolver resolver(connection.io());
  net::ip::tcp::resolver::results_type addresses;
  error_code resolve_error;
  resolver.async_resolve(endpoint.host, std::to_string(endpoint.port),
                         [&](error_code ec, net::ip::tcp::resolver::results_type results) {
                           resolve_error = ec;
                           addresses = std::move(results);
                         });
  if (!connection.run(deadline, [&] { resolver.cancel(); })) {
    fail_timeout(endpoint, fmt::format("resolving \"{}\"", endpoint.host), timeout);
  }
  if (resolve_error) {
    std::string reason =
      fmt::format("cannot resolve \"{}\": {}", endpoint.host, detail::error_text(resolve_error));
    throw ConnectError(
      fmt::format("cannot connect to the engine at {}: {}", endpoint.str(), reason), reason);
  }

  error_code connect_error;
  net::async_connect(connection.socket(), addresses,
                     [&](error_code ec, const net::ip::tcp::endpoint&) { connect_error = ec; });
  if (!connection.run(deadline)) {
    fail_timeout(endpoint, "connecting", timeout);
  }
  if (connect_error) {
    fail_connect(endpoint, connect_error);
  }
  set_close_on_exec(connection.socket().native_handle());
  error_code ignored;
  connection.socket().set_option(net::ip::tcp::no_delay(true), ignored); // small requests
}

std::unique_ptr<HttpConnection> connect_tcp(const Endpoint& endpoint, Clock::time_point deadline,
                                            std::chrono::milliseconds timeout)
{
  auto connection = std::make_unique<TcpConnection>(endpoint, nullptr);
  connect_socket(*connection, endpoint, deadline, timeout);
  return connection;
}

std::unique_ptr<net::ssl::context> make_tls_context(const Endpoint& endpoint)
{
  auto context = std::make_unique<net::ssl::context>(net::ssl::context::tls_client);
  SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION);
  error_code ec;
  if (endpoint.tls_verify) {
    if (!endpoint.ca_file.empty()) {
      context->load_verify_file(endpoint.ca_file, ec);
      if (ec) {
        fail(Errc::invalid_input, "cannot load the tls ca file {}: {}", endpoint.ca_file,
             detail::error_text(ec));
      }
    } else {
      context->set_default_verify_paths(ec); // no system store: verification fails clearly later
    }
    for (const auto& file : endpoint.extra_ca_files) {
      context->load_verify_file(file, ec);
      if (ec) {
        fail(Errc::invalid_input, "cannot load the tls ca file {}: {}", file,
             detail::error_text(ec));
      }
    }
    context->set_verify_mode(net::ssl::verify_peer);
  } else {
    context->set_verify_mode(net::ssl::verify_none);
  }
  if (endpoint.cert_file.empty() != endpoint.key_file.empty()) {
    fail(Errc::invalid_input,
         "tls client authentication needs both a certificate and its key (cert \"{}\", key "
         "\"{}\"): provide cert.pem and key.pem together",
         endpoint.cert_file, endpoint.key_file);
  }
  if (!endpoint.cert_file.empty()) {
    context->use_certificate_chain_file(endpoint.cert_file, ec);
    if (ec) {
      fail(Errc::invalid_input, "cannot load the tls client certificate {}: {}", endpoint.cert_file,
           detail::error_text(ec));
    }
    context->use_private_key_file(endpoint.key_file, net::ssl::context::pem, ec);
    if (ec) {
      fail(Errc::invalid_input, "cannot load the tls client key {}: {}", endpoint.key_file,
           detail::error_text(ec));
    }
  }
  return context;
}

std::unique_ptr<HttpConnection> connect_tls(const Endpoint& endpoint, Clock::time_point deadline,
                                            std::chrono::milliseconds timeout)
{
  auto connection = std::make_unique<TlsConnection>(endpoint, make_tls_context(endpoint));
  connect_socket(*connection, endpoint, deadline, timeout);

  auto& stream = connection->stream();
  error_code not_an_address;
  net::ip::make_address(endpoint.host, not_an_address);
  if (not_an_address) {
    // SNI: servers with several certificates pick by name; IPs are not sent.
    SSL_set_tlsext_host_name(stream.native_handle(), endpoint.host.c_str());
  }
  if (endpoint.tls_verify) {
    stream.set_verify_callback(net::ssl::host_name_verification(endpoint.host));
  }
  error_code handshake_error;
  stream.async_handshake(net::ssl::stream_base::client,
                         [&](error_code ec) { handshake_error = ec; });
  if (!connection->run(deadline)) {
    fail_timeout(endpoint, "the tls handshake", timeout);
  }
  if (handshake_error) {
    long verify_result = SSL_get_verify_result(stream.native_handle());
    if (endpoint.tls_verify && verify_result != X509_V_OK) {
      // Asio's host name check reports its refusal as "unspecified".
      std::string reason = verify_result == X509_V_ERR_UNSPECIFIED
                             ? fmt::format("it is not issued for {}", endpoint.host)
                             : X509_verify_cert_error_string(verify_result);
      throw TlsVerifyError(
        fmt::format("tls handshake with the engine at {} failed: certificate verify failed: {} "
                    "(check the ca file{})",
                    endpoint.str(), reason, endpoint.ca_file.empty() ? "" : " " + endpoint.ca_file),
        reason);
    }
    std::string reason =
      fmt::format("the tls handshake failed: {}", detail::error_text(handshake_error));
    throw ConnectError(fmt::format("tls handshake with the engine at {} failed: {} (check the ca "
                                   "file{} and the client certificate)",
                                   endpoint.str(), detail::error_text(handshake_error),
                                   endpoint.ca_file.empty() ? "" : " " + endpoint.ca_file),
                       reason);
  }
  return connection;
}

} // namespace

std::unique_ptr<HttpConnection> HttpConnection::connect(const Endpoint& endpoint,
                                                        std::chrono::milliseconds timeout)
{
  auto deadline = Clock::now() + timeout;
  try {
    if (endpoint.kind == Endpoint::Kind::unix_socket) {
      return connect_unix(endpoint, deadline, timeout);
    }
    return endpoint.tls ? connect_tls(endpoint, deadline, timeout)
                        : connect_tcp(endpoint, deadline, timeout);
  } catch (const boost::system::system_error& error) {
    // Asio's throwing corners (a context it cannot create): not ours to leak.
    fail_connect(endpoint, error.code());
  }
}

} // namespace crun::transport
