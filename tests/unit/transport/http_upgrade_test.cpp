#include "support/error_of.hpp"
#include "support/fake_http_server.hpp"

#include <crun/core/error.hpp>
#include <crun/transport/http.hpp>

#include <gtest/gtest.h>

namespace crun::transport {
namespace {

using namespace std::chrono_literals;
using crun::test::error_of;
using crun::test::FakeHttpServer;
using crun::test::read_request;
using crun::test::read_until_eof;
using crun::test::send_all;
using Listen = FakeHttpServer::Listen;

constexpr auto k_timeout = 5000ms;

/// A connection to the fake engine `server`.
std::unique_ptr<HttpConnection> connect_to(const FakeHttpServer& server)
{
  return HttpConnection::connect(Endpoint::parse(server.uri()), k_timeout);
}

const HttpRequest k_attach{
  .method = "POST",
  .target = "/v1.41/containers/c1/attach?stream=1&stdin=1&stdout=1&stderr=1",
  .headers = {{"Connection", "Upgrade"}, {"Upgrade", "tcp"}},
  .body = {},
  .content_type = {},
};

std::string read_exactly(RawStream& stream, std::size_t n)
{
  std::string data;
  char buf[7]; // small and odd, to cross the read-ahead boundary
  while (data.size() < n) {
    std::size_t got = stream.read_some(buf, std::min(sizeof(buf), n - data.size()));
    if (got == 0) {
      break;
    }
    data.append(buf, got);
  }
  return data;
}

std::string read_to_end(RawStream& stream)
{
  std::string data;
  char buf[4096];
  while (std::size_t got = stream.read_some(buf, sizeof(buf))) {
    data.append(buf, got);
  }
  return data;
}

TEST(HttpUpgrade, BytesSentWithThe101HeadComeFirst)
{
  std::string request;
  FakeHttpServer server(
    [&](int fd) {
      request = read_request(fd);
      // One write: the head and the first stream bytes arrive in one read.
      send_all(fd, "HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\n"
                   "Connection: Upgrade\r\nUpgrade: tcp\r\n\r\nfirst bytes of the stream");
      std::string ping(4, '\0');
      ASSERT_EQ(::recv(fd, ping.data(), ping.size(), MSG_WAITALL), 4);
      EXPECT_EQ(ping, "ping");
      send_all(fd, "pong");
    },
    Listen::unix_socket);
  auto connection = connect_to(server);
  auto head = connection->send(k_attach, k_timeout);
  EXPECT_EQ(head.status, 101);
  EXPECT_EQ(head.header("upgrade"), "tcp");
  auto stream = connection->upgrade();
  EXPECT_EQ(read_exactly(*stream, 25), "first bytes of the stream");
  stream->write_all("ping");
  EXPECT_EQ(read_to_end(*stream), "pong");
  server.join();
  EXPECT_NE(request.find("\r\nUpgrade: tcp\r\n"), std::string::npos) << request;
  EXPECT_NE(request.find("\r\nConnection: Upgrade\r\n"), std::string::npos) << request;
}

TEST(HttpUpgrade, HijackWith200OkAlsoKeepsTheBytesAfterTheHead)
{
  const std::string frame("\x01\x00\x00\x00\x00\x00\x00\x03hi\n", 11);
  FakeHttpServer server(
    [&](int fd) {
      read_request(fd);
      send_all(fd, "HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.raw-stream\r\n\r\n" +
                     frame);
    },
    Listen::unix_socket);
  auto connection = connect_to(server);
  EXPECT_EQ(connection->send(k_attach).status, 200);
  auto stream = connection->upgrade();
  EXPECT_EQ(read_to_end(*stream), frame);
}

TEST(HttpUpgrade, HalfCloseReachesTheEngineAsEofWhileItCanStillWrite)
{
  FakeHttpServer server(
    [](int fd) {
      read_request(fd);
      send_all(fd, "HTTP/1.1 101 UPGRADED\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n");
      std::string input = read_until_eof(fd); // ends only by the client's shutdown_write
      send_all(fd, "got: " + input);
    },
    Listen::unix_socket);
  auto connection = connect_to(server);
  connection->send(k_attach);
  auto stream = connection->upgrade();
  stream->write_all("stdin line 1\n");
  stream->write_all("stdin line 2\n");
  stream->shutdown_write();
  EXPECT_EQ(read_to_end(*stream), "got: stdin line 1\nstdin line 2\n");
  EXPECT_EQ(error_of([&] { stream->write_all("too late"); }).code(), Errc::engine_error);
}

TEST(HttpUpgrade, OneReaderAndOneWriterRunAtOnce)
{
  // An echoing engine: everything written comes back, while the writer is
  // still writing (the stdin and stdout pumps of `run -i`).
  FakeHttpServer server(
    [](int fd) {
      read_request(fd);
      send_all(fd, "HTTP/1.1 101 UPGRADED\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n");
      char buf[8192];
      for (;;) {
        ssize_t got = ::recv(fd, buf, sizeof(buf), 0);
        if (got <= 0 || !send_all(fd, std::string_view(buf, static_cast<std::size_t>(got)))) {
          return;
        }
      }
    },
    Listen::unix_socket);
  auto connection = connect_to(server);
  connection->send(k_attach);
  auto stream = connection->upgrade();

  std::string echoed;
  std::thread reader([&] { echoed = read_to_end(*stream); });
  std::string sent;
  for (int i = 0; i < 2000; ++i) {
    std::string piece = fmt::format("{:06}", i) + std::string(500, static_cast<char>('a' + i % 26));
    stream->write_all(piece);
    sent += piece;
  }
  stream->shutdown_write();
  reader.join();
  EXPECT_EQ(echoed.size(), sent.size());
  EXPECT_TRUE(echoed == sent);
}

TEST(HttpUpgrade, NeedsA101Or200Head)
{
  FakeHttpServer server(
    [](int fd) {
      read_request(fd);
      send_all(fd, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
      read_until_eof(fd);
    },
    Listen::unix_socket);
  auto connection = connect_to(server);
  EXPECT_EQ(error_of([&] { connection->upgrade(); }).code(), Errc::internal) << "before send";
  EXPECT_EQ(connection->send(k_attach).status, 404);
  auto error = error_of([&] { connection->upgrade(); });
  EXPECT_EQ(error.code(), Errc::internal);
  EXPECT_EQ(error.message(), "cannot take over the connection to " + server.uri() +
                               ": upgrade needs a 101 or 200 response head");
}

} // namespace
} // namespace crun::transport
