#include <crun/transport/http.hpp>

#include "test_server.hpp"

#include <crun/core/error.hpp>

#include <gtest/gtest.h>

namespace crun::transport {
namespace {

using namespace std::chrono_literals;
using test::read_request;
using test::read_until_eof;
using test::send_all;
using test::TestServer;

constexpr auto k_timeout = 5000ms;

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
  TestServer server([&](int fd) {
    request = read_request(fd);
    // One write: the head and the first stream bytes arrive in one read.
    send_all(fd, "HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\n"
                 "Connection: Upgrade\r\nUpgrade: tcp\r\n\r\nfirst bytes of the stream");
    std::string ping(4, '\0');
    ASSERT_EQ(::recv(fd, ping.data(), ping.size(), MSG_WAITALL), 4);
    EXPECT_EQ(ping, "ping");
    send_all(fd, "pong");
  });
  auto connection = HttpConnection::connect(server.endpoint(), k_timeout);
  auto head = connection->send(k_attach, 1000ms);
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
  TestServer server([&](int fd) {
    read_request(fd);
    send_all(fd, "HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.raw-stream\r\n\r\n" +
                     frame);
  });
  auto connection = HttpConnection::connect(server.endpoint(), k_timeout);
  EXPECT_EQ(connection->send(k_attach).status, 200);
  auto stream = connection->upgrade();
  EXPECT_EQ(read_to_end(*stream), frame);
}

TEST(HttpUpgrade, HalfCloseReachesTheEngineAsEofWhileItCanStillWrite)
{
  TestServer server([](int fd) {
    read_request(fd);
    send_all(fd, "HTTP/1.1 101 UPGRADED\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n");
    std::string input = read_until_eof(fd); // ends only by the client's shutdown_write
    send_all(fd, "got: " + input);
  });
  auto connection = HttpConnection::connect(server.endpoint(), k_timeout);
  connection->send(k_attach);
  auto stream = connection->upgrade();
  stream->write_all("stdin line 1\n");
  stream->write_all("stdin line 2\n");
  stream->shutdown_write();
  EXPECT_EQ(read_to_end(*stream), "got: stdin line 1\nstdin line 2\n");
  auto error = [&] {
    try {
      stream->write_all("too late");
    } catch (const Error& e) {
      return e;
    }
    return Error(Errc::internal, "no error");
  }();
  EXPECT_EQ(error.code(), Errc::engine_error);
}

TEST(HttpUpgrade, OneReaderAndOneWriterRunAtOnce)
{
  // An echoing engine: everything written comes back, while the writer is
  // still writing (the stdin and stdout pumps of `run -i`).
  TestServer server([](int fd) {
    read_request(fd);
    send_all(fd, "HTTP/1.1 101 UPGRADED\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n");
    char buf[8192];
    for (;;) {
      ssize_t got = ::recv(fd, buf, sizeof(buf), 0);
      if (got <= 0 || !send_all(fd, std::string_view(buf, static_cast<std::size_t>(got)))) {
        return;
      }
    }
  });
  auto connection = HttpConnection::connect(server.endpoint(), k_timeout);
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
  TestServer server([](int fd) {
    read_request(fd);
    send_all(fd, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
    read_until_eof(fd);
  });
  auto connection = HttpConnection::connect(server.endpoint(), k_timeout);
  try {
    connection->upgrade();
    ADD_FAILURE() << "upgrade before send";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), Errc::internal);
  }
  EXPECT_EQ(connection->send(k_attach).status, 404);
  try {
    connection->upgrade();
    ADD_FAILURE() << "upgrade after 404";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), Errc::internal);
    EXPECT_EQ(error.message(), "cannot take over the connection to " + server.endpoint().str() +
                                   ": upgrade needs a 101 or 200 response head");
  }
}

} // namespace
} // namespace crun::transport
