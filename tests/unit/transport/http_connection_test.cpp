#include "support/error_of.hpp"
#include "support/fake_http_server.hpp"
#include "support/socket_io.hpp"
#include "support/temp_dir.hpp"

#include <crun/core/error.hpp>
#include <crun/transport/http.hpp>

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/resource.h>

#include <future>

namespace crun::transport {
namespace {

using namespace std::chrono_literals;
using crun::test::error_of;
using crun::test::FakeHttpServer;
using crun::test::read_request;
using crun::test::read_until_eof;
using crun::test::send_all;
using crun::test::TempDir;
using Listen = FakeHttpServer::Listen;
using Clock = std::chrono::steady_clock;

constexpr auto k_timeout = 5000ms;
// Long enough that a test which waited for it fails its bound of half of it,
// and no loaded machine reaches that bound otherwise.
constexpr auto k_long_timeout = 60000ms;

/// A connection to the fake engine `server`.
std::unique_ptr<HttpConnection> connect_to(const FakeHttpServer& server)
{
  return HttpConnection::connect(Endpoint::parse(server.uri()), k_timeout);
}

std::string read_body_in_pieces(HttpConnection& connection, std::size_t piece,
                                std::size_t* largest = nullptr)
{
  std::string body;
  std::string buf(piece, '\0');
  while (std::size_t got = connection.read_body_some(buf.data(), buf.size())) {
    if (largest) {
      *largest = std::max(*largest, got);
    }
    body.append(buf.data(), got);
  }
  return body;
}

long max_rss_kib()
{
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
#if defined(__APPLE__)
  return usage.ru_maxrss / 1024; // bytes on macOS
#else
  return usage.ru_maxrss; // KiB on Linux
#endif
}

TEST(HttpResponseHead, FindsHeadersCaseInsensitively)
{
  HttpResponseHead head;
  head.headers = {{"Api-Version", "1.41"}, {"Libpod-Api-Version", "4.3.1"}, {"api-version", "x"}};
  EXPECT_EQ(head.header("API-Version"), "1.41");
  EXPECT_EQ(head.header("api-version"), "1.41");
  EXPECT_EQ(head.header("LIBPOD-API-VERSION"), "4.3.1");
  EXPECT_EQ(head.header("Libpod-Api-Versio"), std::nullopt);
}

TEST(HttpConnection, SendsTheRequestAndReadsAContentLengthBody)
{
  std::string request;
  FakeHttpServer server(
    [&](int fd) {
      request = read_request(fd);
      send_all(fd,
               "HTTP/1.1 201 Created\r\napi-version: 1.41\r\nLibpod-API-Version: 4.3.1\r\n"
               "Content-Type: application/json\r\nContent-Length: 15\r\n\r\n{\"Id\":\"abc123\"}");
    },
    Listen::unix_socket);
  auto connection = connect_to(server);
  auto head = connection->send({.method = "POST",
                                .target = "/v1.41/containers/create?name=job1",
                                .headers = {{"X-Registry-Auth", "e30="}},
                                .body = "{}",
                                .content_type = "application/json"});
  EXPECT_EQ(head.status, 201);
  EXPECT_EQ(head.reason, "Created");
  EXPECT_EQ(head.header("API-Version"), "1.41");
  EXPECT_EQ(head.header("libpod-api-version"), "4.3.1");
  EXPECT_EQ(head.header("Content-type"), "application/json");
  EXPECT_EQ(head.header("Docker-Experimental"), std::nullopt);
  EXPECT_EQ(connection->read_body_all(), "{\"Id\":\"abc123\"}");
  EXPECT_EQ(connection->read_body_some(nullptr, 0), 0u);
  server.join();

  EXPECT_TRUE(request.starts_with("POST /v1.41/containers/create?name=job1 HTTP/1.1\r\n"))
    << request;
  EXPECT_NE(request.find("\r\nHost: api.moby.localhost\r\n"), std::string::npos) << request;
  EXPECT_NE(request.find("\r\nContent-Type: application/json\r\n"), std::string::npos);
  EXPECT_NE(request.find("\r\nX-Registry-Auth: e30=\r\n"), std::string::npos);
  EXPECT_NE(request.find("\r\nUser-Agent: crun-any/"), std::string::npos);
  EXPECT_TRUE(request.ends_with("\r\nContent-Length: 2\r\n\r\n{}")) << request;
}

TEST(HttpConnection, ReadsAChunkedBodySplitAcrossWrites)
{
  FakeHttpServer server(
    [](int fd) {
      read_request(fd);
      for (std::string_view piece : {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r",
                                     "\nhel", "lo\r\n", "6;ext=1\r\n wor", "ld\r\n0", "\r\n\r\n"}) {
        send_all(fd, piece);
        std::this_thread::sleep_for(5ms);
      }
      read_until_eof(fd);
    },
    Listen::unix_socket);
  auto connection = connect_to(server);
  auto head = connection->send({.method = "GET", .target = "/x"});
  EXPECT_EQ(head.status, 200);
  std::size_t largest = 0;
  EXPECT_EQ(read_body_in_pieces(*connection, 3, &largest), "hello world");
  EXPECT_LE(largest, 3u);
}

TEST(HttpConnection, ReadsABodySentOneByteAtATime)
{
  const std::string response = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                               "7\r\nline 1\n\r\n7\r\nline 2\n\r\n0\r\n\r\n";
  FakeHttpServer server(
    [&](int fd) {
      read_request(fd);
      for (char c : response) {
        send_all(fd, std::string_view(&c, 1));
        std::this_thread::sleep_for(200us);
      }
      read_until_eof(fd);
    },
    Listen::unix_socket);
  auto connection = connect_to(server);
  EXPECT_EQ(connection->send({.method = "GET", .target = "/x"}).status, 200);
  EXPECT_EQ(read_body_in_pieces(*connection, 64 * 1024), "line 1\nline 2\n");
}

TEST(HttpConnection, ReturnsBodyPiecesAsSoonAsTheyArrive)
{
  // The server sends the rest only once the client has seen the first line:
  // a client that waited for its buffer to fill would get both at once.
  std::promise<void> first_line_seen;
  auto seen = first_line_seen.get_future();
  FakeHttpServer server(
    [&](int fd) {
      read_request(fd);
      send_all(fd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                   "f\r\n{\"status\":\"a\"}\n\r\n");
      EXPECT_EQ(seen.wait_for(k_long_timeout), std::future_status::ready);
      send_all(fd, "f\r\n{\"status\":\"b\"}\n\r\n0\r\n\r\n");
      read_until_eof(fd);
    },
    Listen::unix_socket);
  auto connection = connect_to(server);
  connection->send({.method = "POST", .target = "/v1.41/images/create?fromImage=alpine"});
  std::string buf(64 * 1024, '\0');
  std::size_t got = connection->read_body_some(buf.data(), buf.size());
  EXPECT_EQ(buf.substr(0, got), "{\"status\":\"a\"}\n");
  first_line_seen.set_value();
  EXPECT_EQ(read_body_in_pieces(*connection, 1024), "{\"status\":\"b\"}\n");
}

TEST(HttpConnection, StreamsA200MegabyteBodyWithFlatMemory)
{
  constexpr std::size_t k_chunk = 64 * 1024;
  constexpr std::size_t k_total = 200 * 1024 * 1024;
  FakeHttpServer server(
    [&](int fd) {
      read_request(fd);
      send_all(fd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
      std::string chunk = fmt::format("{:x}\r\n", k_chunk) + std::string(k_chunk, 'p') + "\r\n";
      for (std::size_t sent = 0; sent < k_total; sent += k_chunk) {
        if (!send_all(fd, chunk)) {
          return;
        }
      }
      send_all(fd, "0\r\n\r\n");
      read_until_eof(fd);
    },
    Listen::unix_socket);
  auto connection = connect_to(server);
  EXPECT_EQ(connection->send({.method = "GET", .target = "/big"}).status, 200);

  long rss_before = max_rss_kib();
  std::string buf(k_chunk, '\0');
  std::size_t total = 0;
  bool all_p = true;
  while (std::size_t got = connection->read_body_some(buf.data(), buf.size())) {
    total += got;
    all_p = all_p && buf[0] == 'p' && buf[got - 1] == 'p';
  }
  long growth_kib = max_rss_kib() - rss_before;
  EXPECT_EQ(total, k_total);
  EXPECT_TRUE(all_p);
  EXPECT_LT(growth_kib, 16 * 1024) << "the body was buffered, not streamed";
}

TEST(HttpConnection, ReadsABodyThatEndsWhenTheEngineCloses)
{
  FakeHttpServer server(
    [](int fd) {
      read_request(fd);
      send_all(fd, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil");
      std::this_thread::sleep_for(5ms);
      send_all(fd, " close");
    },
    Listen::unix_socket);
  auto connection = connect_to(server);
  connection->send({.method = "GET", .target = "/logs"});
  EXPECT_EQ(connection->read_body_all(), "until close");
  auto error = error_of([&] { connection->send({.method = "GET", .target = "/again"}); });
  EXPECT_EQ(error.code(), Errc::internal);
  EXPECT_NE(error.message().find("closed the connection after GET /logs; connect again"),
            std::string::npos)
    << error.message();
}

TEST(HttpConnection, CarriesSeveralRequestsOnOneConnection)
{
  std::vector<std::string> requests;
  FakeHttpServer server(
    [&](int fd) {
      requests.push_back(read_request(fd));
      send_all(fd, "HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Length: 2\r\n\r\n");
      requests.push_back(read_request(fd));
      send_all(fd, "HTTP/1.1 204 No Content\r\n\r\n");
      requests.push_back(read_request(fd));
      send_all(fd, "HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot found");
      read_until_eof(fd);
    },
    Listen::unix_socket);
  auto connection = connect_to(server);
  // HEAD: Content-Length announces a body that is not sent.
  EXPECT_EQ(connection->send({.method = "HEAD", .target = "/_ping"}, k_timeout).status, 200);
  char buf[16];
  EXPECT_EQ(connection->read_body_some(buf, sizeof(buf)), 0u);
  // 204: no body, and the caller need not read it to send again.
  EXPECT_EQ(connection->send({.method = "POST", .target = "/v1.41/containers/x/start"}).status,
            204);
  auto head = connection->send({.method = "DELETE", .target = "/v1.41/containers/x"});
  EXPECT_EQ(head.status, 404);
  EXPECT_EQ(connection->read_body_all(), "not found");
  connection.reset();
  server.join();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_TRUE(requests[0].starts_with("HEAD /_ping HTTP/1.1\r\n"));
  EXPECT_TRUE(requests[1].starts_with("POST /v1.41/containers/x/start HTTP/1.1\r\n"));
  EXPECT_NE(requests[1].find("\r\nContent-Length: 0\r\n"), std::string::npos) << requests[1];
  EXPECT_TRUE(requests[2].starts_with("DELETE /v1.41/containers/x HTTP/1.1\r\n"));
}

TEST(HttpConnection, RefusesToSendWhileABodyIsUnread)
{
  FakeHttpServer server(
    [](int fd) {
      read_request(fd);
      send_all(fd, "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nbody");
      read_until_eof(fd);
    },
    Listen::unix_socket);
  auto connection = connect_to(server);
  connection->send({.method = "GET", .target = "/first"});
  auto error = error_of([&] { connection->send({.method = "GET", .target = "/second"}); });
  EXPECT_EQ(error.code(), Errc::internal);
  EXPECT_EQ(error.message(), fmt::format("cannot send GET /second to {}: the previous response "
                                         "body (GET /first) is unread",
                                         server.uri()));
}

TEST(HttpConnection, ReadBodyAllEnforcesItsLimit)
{
  FakeHttpServer server(
    [](int fd) {
      read_request(fd);
      send_all(fd, "HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\n01234567890123456789");
      read_until_eof(fd);
    },
    Listen::unix_socket);
  auto connection = connect_to(server);
  connection->send({.method = "GET", .target = "/x"});
  auto error = error_of([&] { connection->read_body_all(10); });
  EXPECT_EQ(error.code(), Errc::protocol);
  EXPECT_EQ(error.message(), fmt::format("the response body from the engine at {} is larger "
                                         "than 10 bytes",
                                         server.uri()));
}

TEST(HttpConnection, InvalidResponseIsAProtocolError)
{
  FakeHttpServer server(
    [](int fd) {
      read_request(fd);
      send_all(fd, "SSH-2.0-OpenSSH_9.2\r\n\r\n");
      read_until_eof(fd);
    },
    Listen::unix_socket);
  auto connection = connect_to(server);
  auto error = error_of([&] { connection->send({.method = "GET", .target = "/_ping"}); });
  EXPECT_EQ(error.code(), Errc::protocol);
  EXPECT_TRUE(error.message().starts_with(
    fmt::format("the engine at {} sent an invalid http response to GET /_ping: ", server.uri())))
    << error.message();
}

TEST(HttpConnection, EngineClosingBeforeTheHeadIsUnavailable)
{
  FakeHttpServer server([](int fd) { read_request(fd); }, Listen::unix_socket);
  auto connection = connect_to(server);
  auto error = error_of([&] { connection->send({.method = "GET", .target = "/_ping"}); });
  EXPECT_EQ(error.code(), Errc::engine_unavailable);
  EXPECT_EQ(error.message(), fmt::format("the engine at {} did not answer GET /_ping: connection "
                                         "closed by the engine",
                                         server.uri()));
}

TEST(HttpConnection, TruncatedBodyIsAnEngineError)
{
  FakeHttpServer server(
    [](int fd) {
      read_request(fd);
      send_all(fd, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
    },
    Listen::unix_socket);
  auto connection = connect_to(server);
  connection->send({.method = "GET", .target = "/v1.41/images/x/json"});
  auto error = error_of([&] { connection->read_body_all(); });
  EXPECT_EQ(error.code(), Errc::engine_error);
  EXPECT_EQ(error.message(),
            fmt::format("lost the connection to the engine at {} while reading the response to "
                        "GET /v1.41/images/x/json: connection closed by the engine",
                        server.uri()));
}

/// The BodyReadError that `f` throws; a test failure if it throws none.
template <class F>
BodyReadError body_error_of(F&& f)
{
  try {
    f();
  } catch (const BodyReadError& error) {
    return error;
  }
  ADD_FAILURE() << "no BodyReadError thrown";
  return BodyReadError("", "", false);
}

TEST(HttpConnection, TruncatedBodySaysTheConnectionClosedEarly)
{
  FakeHttpServer server(
    [](int fd) {
      read_request(fd);
      send_all(fd, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
    },
    Listen::unix_socket);
  auto connection = connect_to(server);
  connection->send({.method = "GET", .target = "/v1.41/images/x/json"});
  auto error = body_error_of([&] { connection->read_body_all(1024, k_long_timeout); });
  EXPECT_FALSE(error.timed_out());
  EXPECT_EQ(error.reason(), "the connection closed before the end of the body");
}

TEST(HttpConnection, BodyReadsWithDeadlinesReadWholeBodies)
{
  FakeHttpServer server(
    [](int fd) {
      for (int i = 0; i < 2; ++i) {
        read_request(fd);
        for (std::string_view piece : {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r",
                                       "\nhel", "lo\r\n", "6\r\n wor", "ld\r\n0", "\r\n\r\n"}) {
          send_all(fd, piece);
          std::this_thread::sleep_for(5ms);
        }
      }
      read_until_eof(fd);
    },
    Listen::unix_socket);
  auto connection = connect_to(server);
  connection->send({.method = "GET", .target = "/x"}, k_timeout);
  EXPECT_EQ(connection->read_body_all(1024, k_long_timeout), "hello world");
  connection->send({.method = "GET", .target = "/y"}, k_timeout);
  std::string body;
  char buf[4];
  while (std::size_t got = connection->read_body_some(buf, sizeof buf, k_long_timeout)) {
    body.append(buf, got);
  }
  EXPECT_EQ(body, "hello world");
}

TEST(HttpConnection, ReadBodySomeGivesUpWhenNothingArrivesForItsIdleTimeout)
{
  FakeHttpServer server(
    [](int fd) {
      read_request(fd);
      // The head and one chunk, then silence with the connection open.
      send_all(fd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
      read_until_eof(fd);
    },
    Listen::unix_socket);
  auto connection = connect_to(server);
  connection->send({.method = "POST", .target = "/v1.41/images/create?fromImage=x"}, k_timeout);
  char buf[64];
  ASSERT_EQ(connection->read_body_some(buf, sizeof buf, 300ms), 5u);
  auto start = Clock::now();
  auto error = body_error_of([&] { connection->read_body_some(buf, sizeof buf, 300ms); });
  // Never early; without the deadline it would not return at all.
  EXPECT_GE(Clock::now() - start, 290ms);
  EXPECT_EQ(error.code(), Errc::engine_error);
  EXPECT_TRUE(error.timed_out());
  EXPECT_EQ(error.message(),
            fmt::format("the engine at {} stopped sending the response to POST "
                        "/v1.41/images/create?fromImage=x: nothing arrived for 300 ms",
                        server.uri()));
  // The connection is closed (the server sees EOF and returns) and spent.
  EXPECT_EQ(error_of([&] { connection->read_body_some(buf, sizeof buf); }).code(), Errc::internal);
  server.join();
}

TEST(HttpConnection, ReadBodyAllGivesUpAtItsOverallDeadlineThoughBytesKeepComing)
{
  FakeHttpServer server(
    [](int fd) {
      read_request(fd);
      // A byte every 20 ms of a body that would take 20 s: never idle.
      if (!send_all(fd, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")) {
        return;
      }
      for (int i = 0; i < 1000 && send_all(fd, "x"); ++i) {
        std::this_thread::sleep_for(20ms);
      }
    },
    Listen::tcp);
  auto connection = connect_to(server);
  connection->send({.method = "GET", .target = "/v1.41/images/x/json"}, k_timeout);
  auto start = Clock::now();
  auto error = body_error_of([&] { connection->read_body_all(4096, 2s); });
  auto elapsed = Clock::now() - start;
  EXPECT_GE(elapsed, 1990ms);
  EXPECT_LT(elapsed, k_long_timeout / 2);
  EXPECT_TRUE(error.timed_out());
  EXPECT_EQ(error.message(), fmt::format("the engine at {} stopped sending the response to GET "
                                         "/v1.41/images/x/json: not all of it arrived within 2 s",
                                         server.uri()));
  server.join();
}

TEST(HttpConnection, BadChunkFramingIsAProtocolError)
{
  FakeHttpServer server(
    [](int fd) {
      read_request(fd);
      send_all(fd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nab\r\n");
      read_until_eof(fd);
    },
    Listen::unix_socket);
  auto connection = connect_to(server);
  connection->send({.method = "GET", .target = "/x"});
  EXPECT_EQ(error_of([&] { connection->read_body_all(); }).code(), Errc::protocol);
}

TEST(HttpConnection, MissingSocketFailsImmediatelyNamingThePath)
{
  TempDir dir;
  auto endpoint = Endpoint::parse("unix://" + dir.path() + "/nope.sock");
  auto start = Clock::now();
  auto error = error_of([&] { HttpConnection::connect(endpoint, k_long_timeout); });
  EXPECT_LT(Clock::now() - start, k_long_timeout / 2) << "it waited for the timeout";
  EXPECT_EQ(error.code(), Errc::engine_unavailable);
  EXPECT_EQ(error.message(), "cannot connect to the engine at unix://" + dir.path() +
                               "/nope.sock: no such file (is the engine running?)");
}

TEST(HttpConnection, SocketWithoutListenerIsRefusedImmediately)
{
  TempDir dir;
  std::string path = dir.path() + "/stale.sock";
  ::close(crun::test::bind_unix(path)); // the file stays, as after an engine crash

  auto start = Clock::now();
  auto error =
    error_of([&] { HttpConnection::connect(Endpoint::parse("unix://" + path), k_long_timeout); });
  EXPECT_LT(Clock::now() - start, k_long_timeout / 2) << "it waited for the timeout";
  EXPECT_EQ(error.code(), Errc::engine_unavailable);
  EXPECT_EQ(error.message(), "cannot connect to the engine at unix://" + path +
                               ": connection refused (is the engine running?)");
}

TEST(HttpConnection, SendTimesOutWhenTheEngineNeverAnswers)
{
  FakeHttpServer server([](int fd) { read_until_eof(fd); }, Listen::unix_socket);
  auto connection = connect_to(server);
  auto start = Clock::now();
  auto error = error_of([&] { connection->send({.method = "GET", .target = "/_ping"}, 300ms); });
  // Never early. No upper bound: a loaded machine only makes it later, and
  // without its timeout send would not return at all.
  EXPECT_GE(Clock::now() - start, 290ms);
  EXPECT_EQ(error.code(), Errc::engine_unavailable);
  EXPECT_EQ(error.message(),
            fmt::format("the engine at {} did not answer GET /_ping within 300 ms", server.uri()));
  // The connection is closed (the server sees EOF) and stays unusable.
  auto again = error_of([&] { connection->send({.method = "GET", .target = "/_ping"}); });
  EXPECT_EQ(again.code(), Errc::internal);
}

TEST(HttpConnection, TcpClosedPortFailsFast)
{
  crun::test::BoundSocket bound = crun::test::bind_loopback();
  ::close(bound.fd); // bound, never listened: the port is closed
  auto endpoint = Endpoint::parse(fmt::format("tcp://127.0.0.1:{}", bound.port));

  auto start = Clock::now();
  auto error = error_of([&] { HttpConnection::connect(endpoint, k_long_timeout); });
  EXPECT_LT(Clock::now() - start, k_long_timeout / 2) << "it waited for the timeout";
  EXPECT_EQ(error.code(), Errc::engine_unavailable);
  EXPECT_EQ(error.message(), "cannot connect to the engine at " + endpoint.str() +
                               ": connection refused (is the engine running?)");
}

TEST(HttpConnection, TcpConnectTimesOutWhenTheEngineDoesNotAccept)
{
  // A listener with a full accept queue drops further SYNs on Linux, which
  // looks like an unreachable host to the client.
  crun::test::BoundSocket listener = crun::test::bind_loopback();
  ASSERT_EQ(::listen(listener.fd, 0), 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(listener.port);
  std::vector<int> fillers;
  for (int i = 0; i < 4; ++i) {
    int filler = ::socket(AF_INET, SOCK_STREAM, 0);
    ::fcntl(filler, F_SETFL, ::fcntl(filler, F_GETFL) | O_NONBLOCK);
    // Non-blocking: it answers EINPROGRESS; the queue entry is what counts.
    (void)::connect(filler, reinterpret_cast<sockaddr*>(&address), sizeof(address));
    fillers.push_back(filler);
  }
  std::this_thread::sleep_for(50ms);
  auto endpoint = Endpoint::parse(fmt::format("tcp://127.0.0.1:{}", listener.port));

  auto start = Clock::now();
  std::optional<Error> error;
  try {
    HttpConnection::connect(endpoint, 300ms);
  } catch (const Error& e) {
    error = e;
  }
  auto elapsed = Clock::now() - start;
  for (int filler : fillers) {
    ::close(filler);
  }
  ::close(listener.fd);
  if (!error || error->message().find("refused") != std::string::npos) {
    GTEST_SKIP() << "this kernel does not drop connections beyond the accept queue";
  }
  // Without the timeout the kernel retries the SYN for minutes.
  EXPECT_LT(elapsed, k_long_timeout / 2);
  EXPECT_EQ(error->code(), Errc::engine_unavailable);
  EXPECT_EQ(error->message(), "cannot connect to the engine at " + endpoint.str() +
                                ": connecting timed out after 300 ms (is the engine running "
                                "and reachable?)");
}

TEST(HttpConnection, TcpSendsHostPortAndPrefixesTheBasePath)
{
  std::string request;
  FakeHttpServer server(
    [&](int fd) {
      request = read_request(fd);
      send_all(fd, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK");
    },
    Listen::tcp);
  auto connection = HttpConnection::connect(Endpoint::parse(server.uri() + "/base/"), k_timeout);
  EXPECT_EQ(connection->endpoint().base_path, "/base");
  EXPECT_EQ(connection->send({.method = "GET", .target = "/v1.41/version"}, k_timeout).status, 200);
  EXPECT_EQ(connection->read_body_all(), "OK");
  server.join();
  EXPECT_TRUE(request.starts_with("GET /base/v1.41/version HTTP/1.1\r\n")) << request;
  EXPECT_NE(request.find(fmt::format("\r\nHost: 127.0.0.1:{}\r\n", server.port())),
            std::string::npos)
    << request;
}

TEST(HttpConnection, RejectsARequestWithoutMethodOrAbsoluteTarget)
{
  FakeHttpServer server([](int fd) { read_until_eof(fd); }, Listen::unix_socket);
  auto connection = connect_to(server);
  auto error = error_of([&] { connection->send({.method = "GET", .target = "v1.41/version"}); });
  EXPECT_EQ(error.code(), Errc::internal);
  EXPECT_EQ(error.message(), fmt::format("invalid request \"GET v1.41/version\" for {}: needs a "
                                         "method and a target starting with '/'",
                                         server.uri()));
  EXPECT_EQ(error_of([&] { connection->send({.method = "", .target = "/x"}); }).code(),
            Errc::internal);
}

} // namespace
} // namespace crun::transport
