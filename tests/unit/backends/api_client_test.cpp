// ApiClient over a fake engine: what reaches the user when an engine answers
// with an error, with something that is not JSON, or with JSON of a shape the
// decoders did not expect (a protocol error naming the call and the
// endpoint, never an internal error).
#include <crun/backends/api_client.hpp>

#include "backends_test_support.hpp"
#include "support/error_of.hpp"

#include <crun/core/error.hpp>

#include <gtest/gtest.h>

#include <string>
#include <utility>

namespace crun::backends {
namespace {

using namespace crun::test;
using crun::test::error_of;

nlohmann::json as_is(const nlohmann::json& doc)
{
  return doc;
}

struct ApiClientTest : ::testing::Test {
  FakeResponse answer{200, {}, "{}"};
  FakeHttpServer server{[this](const FakeRequest&) { return answer; }};
  ApiClient client{transport::Endpoint::parse("tcp://" + server.host()), ApiTimeouts{}};

  std::string endpoint() const { return "tcp://" + server.host(); }

  template <class Decode>
  auto inspect(Decode decode)
  {
    return client.call_json(inspect_request(), "inspect image x", decode);
  }
  template <class Decode>
  auto find(Decode decode)
  {
    return client.find_json(inspect_request(), "inspect image x", decode);
  }

  static transport::HttpRequest inspect_request()
  {
    transport::HttpRequest req;
    req.method = "GET";
    req.target = "/v1.41/images/x/json";
    return req;
  }
};

TEST_F(ApiClientTest, ABodyThatIsNotJsonNamesTheCallAndTheEndpoint)
{
  answer = FakeResponse{200, {}, "<html>502 Bad Gateway</html>\nmore"};
  Error error = error_of([&] { inspect(as_is); });
  EXPECT_EQ(error.code(), Errc::protocol);
  EXPECT_EQ(error.message(), "cannot inspect image x: the engine at " + endpoint() +
                               " answered with something that is not JSON: "
                               "<html>502 Bad Gateway</html>");
}

TEST_F(ApiClientTest, AFieldOfAnUnexpectedTypeIsAProtocolErrorNotAnInternalOne)
{
  answer = FakeResponse{200, {}, R"({"Id": 5})"};
  // A decoder that trusts the shape, as the tolerant ones never do.
  auto strict = [](const nlohmann::json& doc) { return doc.at("Id").get<std::string>(); };
  Error error = error_of([&] { inspect(strict); });
  EXPECT_EQ(error.code(), Errc::protocol);
  EXPECT_EQ(error.message(), "cannot inspect image x: the engine at " + endpoint() +
                               " answered with JSON of an unexpected shape: "
                               "[json.exception.type_error.302] type must be string, "
                               "but is number");

  answer = FakeResponse{200, {}, "[]"};
  Error missing = error_of([&] { find(strict); });
  EXPECT_EQ(missing.code(), Errc::protocol);
  EXPECT_EQ(missing.message(), "cannot inspect image x: the engine at " + endpoint() +
                                 " answered with JSON of an unexpected shape: "
                                 "[json.exception.type_error.304] cannot use at() with array");
}

TEST_F(ApiClientTest, FindIsNothingOn404AndTheDecodedAnswerOtherwise)
{
  answer = FakeResponse{404, {}, R"({"message":"No such image: x"})"};
  EXPECT_EQ(find(as_is), std::nullopt);
  EXPECT_EQ(client.find(inspect_request(), "inspect image x"), std::nullopt);

  answer = FakeResponse{200, {}, R"({"Id": "sha256:ab"})"};
  EXPECT_EQ(find([](const nlohmann::json& doc) { return doc.at("Id").get<std::string>(); }),
            "sha256:ab");

  answer = FakeResponse{500, {}, "not json"};
  Error error = error_of([&] { find(as_is); });
  EXPECT_EQ(error.code(), Errc::engine_error);
  EXPECT_EQ(error.message(), "cannot inspect image x: not json");
}

TEST_F(ApiClientTest, ErrorsComeFromTheEngineMessage)
{
  Error e = api_error(404, fixture("docker/create-error-no-such-image.json"), "create a container");
  EXPECT_EQ(e.code(), Errc::not_found);
  EXPECT_EQ(e.message(), "cannot create a container: No such image: 127.0.0.1:5857/bench/nope:1");
  Error plain = api_error(500, "Internal Server Error\nmore", "pull x");
  EXPECT_EQ(plain.code(), Errc::engine_error);
  EXPECT_EQ(plain.message(), "cannot pull x: Internal Server Error");
  EXPECT_EQ(api_error(503, "", "ping").message(), "cannot ping: HTTP 503");
}

struct PullStream : ApiClientTest {
  std::vector<core::PullEvent> events;

  void pull()
  {
    transport::HttpRequest req;
    req.method = "POST";
    req.target = "/v1.41/images/create";
    client.stream_pull(req, "pull x for linux/amd64", core::decode_docker_pull,
                       [this](const core::PullEvent& event) { events.push_back(event); });
  }
};

TEST_F(PullStream, EventsArriveAndAnInBandErrorIsAnEngineError)
{
  answer = FakeResponse{200, {}, fixture("docker/pull-multi-arm64.jsonl")};
  pull();
  EXPECT_FALSE(events.empty());

  answer = FakeResponse{200, {}, fixture("docker/pull-error-platform.jsonl")};
  Error error = error_of([&] { pull(); });
  EXPECT_EQ(error.code(), Errc::engine_error);
  EXPECT_EQ(error.message(), "cannot pull x for linux/amd64: no matching manifest for linux/s390x "
                             "in the manifest list entries");
}

TEST_F(PullStream, ALineThatIsNotJsonNamesTheCallAndTheEndpoint)
{
  answer = FakeResponse{200, {}, "{\"status\":\"Pulling\"}\r\n<html>oops</html>\r\n"};
  Error error = error_of([&] { pull(); });
  EXPECT_EQ(error.code(), Errc::protocol);
  EXPECT_EQ(error.message(), "cannot pull x for linux/amd64: the engine at " + endpoint() +
                               " answered with a broken stream: engine JSON stream line 2 is not "
                               "JSON: \"<html>oops</html>\"");
  EXPECT_EQ(events.size(), 1u); // what came before was shown
}

TEST_F(PullStream, AStreamCutShortNamesTheCallAndTheEndpoint)
{
  answer = FakeResponse{200, {}, "{\"status\":\"Pulling\"}\r\n{\"status\":"};
  Error error = error_of([&] { pull(); });
  EXPECT_EQ(error.code(), Errc::protocol);
  EXPECT_EQ(error.message(), "cannot pull x for linux/amd64: the engine at " + endpoint() +
                               " answered with a broken stream: engine JSON stream ended in the "
                               "middle of line 2 (truncated response): \"{\\\"status\\\":\"");
}

// An engine that sends a head, then part of the body, then nothing, with
// the connection left open.
struct StallingEngine {
  explicit StallingEngine(std::string response)
    : server(
        [response = std::move(response)](int fd) {
          read_request(fd);
          send_all(fd, response);
          read_until_eof(fd);
        },
        FakeHttpServer::Listen::tcp)
  {
  }
  ApiClient client(ApiTimeouts timeouts) const
  {
    return ApiClient(transport::Endpoint::parse(server.uri()), timeouts);
  }
  FakeHttpServer server;
};

TEST(ApiClientDeadlines, AShortCallWhoseBodyStallsEndsAtTheCallTimeout)
{
  StallingEngine engine("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"Id\"");
  ApiTimeouts timeouts;
  timeouts.call = std::chrono::milliseconds(300);
  transport::HttpRequest req{"GET", "/v1.41/images/x/json"};
  auto started = std::chrono::steady_clock::now();
  Error error = error_of([&] { engine.client(timeouts).call(req, "inspect image x"); });
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(30));
  EXPECT_EQ(error.code(), Errc::engine_error);
  EXPECT_EQ(error.message(), "the engine at " + engine.server.uri() +
                               " stopped sending the response to GET /v1.41/images/x/json: not "
                               "all of it arrived within 300 ms");
}

TEST(ApiClientDeadlines, APullStreamThatGoesSilentEndsAtThePullIdleTimeout)
{
  StallingEngine engine("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                        "15\r\n{\"status\":\"Pulling\"}\n\r\n");
  ApiTimeouts timeouts;
  timeouts.call = std::chrono::milliseconds(100); // not the pull's: it would end sooner
  timeouts.pull_idle = std::chrono::milliseconds(400);
  transport::HttpRequest req{"POST", "/v1.41/images/create"};
  std::vector<core::PullEvent> events;
  auto started = std::chrono::steady_clock::now();
  Error error = error_of([&] {
    engine.client(timeouts).stream_pull(
      req, "pull x for linux/amd64", core::decode_docker_pull,
      [&](const core::PullEvent& event) { events.push_back(event); });
  });
  auto elapsed = std::chrono::steady_clock::now() - started;
  EXPECT_GE(elapsed, std::chrono::milliseconds(390));
  EXPECT_LT(elapsed, std::chrono::seconds(30));
  EXPECT_EQ(events.size(), 1u); // what came before the silence was shown
  EXPECT_EQ(error.code(), Errc::engine_error);
  EXPECT_EQ(error.message(), "the engine at " + engine.server.uri() +
                               " stopped sending the response to POST /v1.41/images/create: "
                               "nothing arrived for 400 ms");
}

} // namespace
} // namespace crun::backends
