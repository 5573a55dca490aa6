// EngineProber against a local socket that answers with a fixed head and
// then holds the connection open: what it may wait for, and what not.

#include <crun/backends/selection/prober.hpp>

#include "support/error_of.hpp"
#include "support/fake_http_server.hpp"
#include "support/socket_io.hpp"

#include <crun/transport/endpoint.hpp>

#include <gtest/gtest.h>

#include <poll.h>

#include <chrono>
#include <string>

namespace crun::backends::selection {
namespace {

using namespace std::chrono_literals;
using test::error_of;
using test::FakeHttpServer;

// A server that reads the request's head, writes `answer` (which may be
// nothing, or a head that promises a body it never sends), and keeps the
// connection until the client closes it, or 10 s.
FakeHttpServer::ConnectionHandler answering(const std::string& answer)
{
  return [answer](int fd) {
    test::read_request(fd);
    test::send_all(fd, answer);
    pollfd closed{fd, POLLIN, 0};
    if (::poll(&closed, 1, 10000) > 0) {
      test::read_until_eof(fd);
    }
  };
}

// A server on a unix socket, answering every connection as `answering` does.
struct Server {
  explicit Server(const std::string& answer)
    : fake(answering(answer), FakeHttpServer::Listen::unix_socket)
  {
  }
  transport::Endpoint endpoint() const { return transport::Endpoint::parse(fake.uri()); }
  FakeHttpServer fake;
};

// Each head promises a body that never comes.
TEST(EngineProber, ReadsTheHeadOnlySoThatAStalledBodyCannotHoldItUp)
{
  const struct {
    std::string head;
    ProbeResult expected;
  } rows[] = {
    {"Api-Version: 1.41\r\nServer: Docker/20.10.24+dfsg1 (linux)\r\n",
     {ProbeResult::Kind::docker, "1.41", "", "Docker/20.10.24+dfsg1 (linux)"}},
    {"Api-Version: 1.41\r\nLibpod-Api-Version: 4.3.1\r\nServer: Libpod/4.3.1 (linux)\r\n",
     {ProbeResult::Kind::podman, "1.41", "4.3.1", "Libpod/4.3.1 (linux)"}},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.head);
    Server server("HTTP/1.1 200 OK\r\n" + row.head + "Content-Length: 1000\r\n\r\n");
    ProbeResult result = EngineProber().probe(server.endpoint(), 300ms);
    EXPECT_EQ(result.kind, row.expected.kind);
    EXPECT_EQ(result.api_version, row.expected.api_version);
    EXPECT_EQ(result.libpod_version, row.expected.libpod_version);
    EXPECT_EQ(result.server, row.expected.server);
  }
}

TEST(EngineProber, GivesUpOnASocketThatNeverAnswers)
{
  Server server("");
  auto error = error_of([&] { EngineProber().probe(server.endpoint(), 300ms); });
  EXPECT_EQ(error.code(), Errc::engine_unavailable);
  EXPECT_EQ(error.message(), "the engine at " + server.endpoint().str() +
                               " did not answer GET /_ping within 300 ms");
}

TEST(EngineProber, SaysWhatAnsweredWhenItIsNoEngine)
{
  Server web("HTTP/1.1 404 Not Found\r\nContent-Length: 1000\r\n\r\n");
  auto error = error_of([&] { EngineProber().probe(web.endpoint(), 300ms); });
  EXPECT_EQ(error.code(), Errc::protocol);
  EXPECT_EQ(error.message(), "the server at " + web.endpoint().str() +
                               " answered /_ping without an Api-Version header: it is no "
                               "container engine");

  Server failing("HTTP/1.1 500 Internal Server Error\r\nApi-Version: 1.41\r\n"
                 "Content-Length: 1000\r\n\r\n");
  error = error_of([&] { EngineProber().probe(failing.endpoint(), 300ms); });
  EXPECT_EQ(error.code(), Errc::engine_error);
  EXPECT_EQ(error.message(), "the engine at " + failing.endpoint().str() +
                               " answered /_ping with HTTP 500 Internal Server Error");
}

} // namespace
} // namespace crun::backends::selection
