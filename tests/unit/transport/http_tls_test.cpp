#include "support/error_of.hpp"
#include "support/fake_http_server.hpp"
#include "support/temp_dir.hpp"
#include "tls_fixture.hpp"

#include <crun/core/error.hpp>
#include <crun/transport/http.hpp>

#include <gtest/gtest.h>

namespace crun::transport {
namespace {

using namespace std::chrono_literals;
using crun::test::error_of;
using crun::test::FakeHttpServer;
using test::TlsServerSession;
using Listen = FakeHttpServer::Listen;

constexpr auto k_timeout = 5000ms;

class HttpTls : public ::testing::Test {
protected:
  void write_files(const char* server_names) { test::write_tls_files(m_dir.path(), server_names); }

  Endpoint endpoint(const FakeHttpServer& server, std::string_view host = "127.0.0.1") const
  {
    auto endpoint = Endpoint::parse(fmt::format("tcp://{}:{}", host, server.port()), /*tls=*/true);
    endpoint.ca_file = m_dir.path() + "/ca.pem";
    endpoint.cert_file = m_dir.path() + "/cert.pem";
    endpoint.key_file = m_dir.path() + "/key.pem";
    return endpoint;
  }

  // Serves one request over TLS with `response`; records the client's name.
  FakeHttpServer::ConnectionHandler serve(const std::string& response)
  {
    return [this, response](int fd) {
      TlsServerSession session(fd, m_dir.path());
      if (!session.ok()) {
        return;
      }
      m_client_name = session.peer_name();
      m_request = session.read_head();
      session.write(response);
    };
  }

  crun::test::TempDir m_dir;
  std::string m_client_name;
  std::string m_request;
};

TEST_F(HttpTls, TalksTlsWithAClientCertificate)
{
  write_files("DNS:localhost,IP:127.0.0.1");
  FakeHttpServer server(
    serve("HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Length: 2\r\n\r\nOK"), Listen::tcp);
  auto connection = HttpConnection::connect(endpoint(server), k_timeout);
  auto head = connection->send({.method = "GET", .target = "/_ping"}, k_timeout);
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(connection->read_body_all(), "OK");
  connection.reset();
  server.join();
  EXPECT_EQ(m_client_name, "crun-client");
  EXPECT_TRUE(m_request.starts_with("GET /_ping HTTP/1.1\r\n")) << m_request;
}

TEST_F(HttpTls, VerifiesTheHostNameByDnsName)
{
  write_files("DNS:localhost");
  FakeHttpServer server(serve("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"), Listen::tcp);
  auto connection = HttpConnection::connect(endpoint(server, "localhost"), k_timeout);
  EXPECT_EQ(connection->send({.method = "GET", .target = "/_ping"}, k_timeout).status, 200);
}

TEST_F(HttpTls, RejectsACertificateForAnotherHost)
{
  write_files("DNS:engine.example");
  FakeHttpServer server(serve("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"), Listen::tcp);
  auto error = error_of([&] { HttpConnection::connect(endpoint(server), k_timeout); });
  EXPECT_EQ(error.code(), Errc::engine_unavailable);
  EXPECT_TRUE(error.message().starts_with(
    fmt::format("tls handshake with the engine at tcp://127.0.0.1:{} failed: certificate "
                "verify failed: it is not issued for 127.0.0.1",
                server.port())))
    << error.message();
  // A distinct type, so that a registry can word the certs.d fix.
  try {
    HttpConnection::connect(endpoint(server), k_timeout);
    ADD_FAILURE() << "connected";
  } catch (const TlsVerifyError& refused) {
    EXPECT_EQ(refused.reason(), "it is not issued for 127.0.0.1");
  }
}

TEST_F(HttpTls, SkipsVerificationWhenAskedTo)
{
  write_files("DNS:engine.example");
  FakeHttpServer server(serve("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"), Listen::tcp);
  auto insecure = endpoint(server);
  insecure.tls_verify = false;
  auto connection = HttpConnection::connect(insecure, k_timeout);
  EXPECT_EQ(connection->send({.method = "GET", .target = "/_ping"}, k_timeout).status, 200);
}

TEST_F(HttpTls, MissingCaFileIsNamed)
{
  write_files("IP:127.0.0.1");
  FakeHttpServer server(serve(""), Listen::tcp);
  auto broken = endpoint(server);
  broken.ca_file = m_dir.path() + "/missing-ca.pem";
  auto error = error_of([&] { HttpConnection::connect(broken, k_timeout); });
  EXPECT_EQ(error.code(), Errc::invalid_input);
  EXPECT_TRUE(error.message().starts_with("cannot load the tls ca file " + broken.ca_file + ": "))
    << error.message();
}

TEST_F(HttpTls, CertificateWithoutKeyIsRejected)
{
  write_files("IP:127.0.0.1");
  FakeHttpServer server(serve(""), Listen::tcp);
  auto broken = endpoint(server);
  broken.key_file.clear();
  auto error = error_of([&] { HttpConnection::connect(broken, k_timeout); });
  EXPECT_EQ(error.code(), Errc::invalid_input);
  EXPECT_EQ(error.message(),
            "tls client authentication needs both a certificate and its key (cert \"" +
              broken.cert_file + "\", key \"\"): provide cert.pem and key.pem together");
}

TEST_F(HttpTls, PlainHttpServerFailsTheHandshake)
{
  write_files("IP:127.0.0.1");
  FakeHttpServer server(
    [](int fd) {
      crun::test::send_all(fd, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
      crun::test::read_until_eof(fd);
    },
    Listen::tcp);
  auto error = error_of([&] { HttpConnection::connect(endpoint(server), k_timeout); });
  EXPECT_EQ(error.code(), Errc::engine_unavailable);
  EXPECT_TRUE(error.message().starts_with("tls handshake with the engine at")) << error.message();
}

TEST_F(HttpTls, AttachOverTlsIsRefusedClearly)
{
  write_files("IP:127.0.0.1");
  FakeHttpServer server(
    serve("HTTP/1.1 101 UPGRADED\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n"), Listen::tcp);
  auto connection = HttpConnection::connect(endpoint(server), k_timeout);
  EXPECT_EQ(connection->send({.method = "POST", .target = "/v1.41/containers/c/attach"}).status,
            101);
  auto error = error_of([&] { connection->upgrade(); });
  EXPECT_EQ(error.code(), Errc::invalid_input);
  EXPECT_EQ(error.message(), fmt::format("attaching over tls is not supported yet (the engine at "
                                         "tcp://127.0.0.1:{}): use the engine's unix socket",
                                         server.port()));
}

} // namespace
} // namespace crun::transport
