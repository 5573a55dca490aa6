// The Docker adapter over a fake dockerd that replays the answers captured
// from dockerd 20.10.24 (fixtures/docker): what it sends, in which order, and
// what reaches the user from what the engine answers.
#include <crun/backends/docker/docker_engine.hpp>

#include "backends_test_support.hpp"
#include "support/error_of.hpp"

#include <crun/backends/registry_auth.hpp>
#include <crun/core/error.hpp>

#include <gtest/gtest.h>

#include <csignal>
#include <map>

namespace crun::backends::docker {
namespace {

using namespace crun::test;
using crun::test::error_of;

std::string fixture(const std::string& name)
{
  return test::fixture("docker/" + name);
}

const std::string k_multi = "127.0.0.1:5857/bench/multi:1";
// create.json's ID, and the image of container-inspect-exited-42.json.
const std::string k_id = "19835ac0baee20efa136b0485bb3e5969efa137245e810932c65015f9ee24fbf";
const std::string k_fx42_image =
  "sha256:5bff859aa00ba3699ee8c54e7a3aa71a3e609bc4457537a5b1868b2e1d5bb012";
// create-warnings-host-network-ports.json's ID.
const std::string k_warned_id = "66b7eb3e6d60419b3b93d3ea8ebec49cabdce53d30d94c51cecb491cb8b174fe";
const std::string k_index =
  "sha256:853ed836939f5b202204ec1196312c6327ab4dffc3f81fab7f8da6c6349abe71";

// A dockerd 20.10 (API 1.41): the ping, /version, and a container's run by
// default; tests override single routes ("METHOD /path" without the query).
class FakeDocker {
public:
  std::map<std::string, std::function<FakeResponse(const FakeRequest&)>> routes;
  std::string api_version = "1.41";

  FakeDocker()
  {
    answer("GET /v1.41/version", 200, fixture("version.json"));
    answer("POST /v1.41/containers/create", 201, fixture("create.json"));
    serve_container(k_id);
    answer("GET /v1.41/images/" + k_multi + "/json", 200,
           fixture("image-inspect-multi-arm64.json"));
  }

  // Container `id` can be attached to, waited for (it exits with 42),
  // started and removed.
  void serve_container(const std::string& id)
  {
    routes["POST /v1.41/containers/" + id + "/attach"] = [](const FakeRequest&) {
      return FakeResponse{101, {{"Upgrade", "tcp"}, {"Connection", "Upgrade"}}, ""};
    };
    answer("POST /v1.41/containers/" + id + "/wait", 200, fixture("wait-42.json"));
    answer("POST /v1.41/containers/" + id + "/start", 204, "");
    answer("DELETE /v1.41/containers/" + id, 204, "");
  }

  void answer(const std::string& route, int status, const std::string& body)
  {
    routes[route] = [status, body](const FakeRequest&) { return FakeResponse{status, {}, body}; };
  }

  FakeResponse handle(const FakeRequest& request)
  {
    if (request.path == "/_ping") {
      return FakeResponse{
        200, {{"Api-Version", api_version}, {"Server", "Docker/20.10.24+dfsg1 (linux)"}}, "OK"};
    }
    auto it = routes.find(request.method + " " + request.path);
    if (it == routes.end()) {
      return FakeResponse{404, {}, R"({"message":"page not found"})"};
    }
    return it->second(request);
  }
};

struct DockerEngineTest : ::testing::Test {
  FakeDocker docker;
  FakeHttpServer server{[this](const FakeRequest& request) { return docker.handle(request); }};
  RecordingConsole console;

  std::unique_ptr<Engine> connect()
  {
    return connect_docker(transport::Endpoint::parse("tcp://" + server.host()), ApiTimeouts{});
  }

  // "METHOD /path" of every request after the connection's ping.
  std::vector<std::string> calls() const { return calls_of(server.requests(), {"/_ping"}); }

  std::optional<FakeRequest> find(const std::string& method, const std::string& path) const
  {
    return find_request(server.requests(), method, path);
  }

  static RunSpec spec(bool remove = true)
  {
    RunSpec s;
    s.image = core::ImageRef::parse(k_multi);
    s.image_name = k_multi;
    s.platform = core::Platform::parse("linux/arm64");
    s.command = {"sh", "-c", "exit 42"};
    s.remove = remove;
    return s;
  }
};

TEST_F(DockerEngineTest, ConnectTakesTheVersionFromThePingAndAsksThePlatformOnce)
{
  auto engine = connect();
  EXPECT_EQ(engine->info().backend, "docker");
  EXPECT_EQ(engine->info().version, "20.10.24+dfsg1");
  EXPECT_EQ(engine->info().api_version, "1.41");
  EXPECT_EQ(engine->info().endpoint, "tcp://" + server.host());
  EXPECT_TRUE(calls().empty()); // the platform only when a run or pull needs it
  EXPECT_EQ(engine->native_platform(), (core::Platform{"linux", "amd64", ""}));
  EXPECT_EQ(engine->native_platform(), (core::Platform{"linux", "amd64", ""}));
  EXPECT_EQ(calls(), std::vector<std::string>{"GET /v1.41/version"});
}

TEST_F(DockerEngineTest, ConnectSpeaksAtMostOurNewestApiAndRefusesAnOldEngine)
{
  docker.api_version = "1.52";
  docker.answer("GET /v1.51/images/" + k_multi + "/json", 200,
                fixture("image-inspect-multi-arm64.json"));
  auto engine = connect();
  EXPECT_EQ(engine->info().api_version, "1.51");
  EXPECT_TRUE(engine->inspect_image(k_multi));

  docker.api_version = "1.40";
  Error error = error_of([&] { connect(); });
  EXPECT_EQ(error.code(), Errc::engine_error);
  EXPECT_EQ(error.message(), "the engine speaks Docker API 1.40, older than the 1.41 crun-any "
                             "needs: upgrade the engine (Docker 20.10 or later)");
}

TEST_F(DockerEngineTest, RunAttachesAndWaitsBeforeStartThenRemoves)
{
  auto engine = connect();
  EXPECT_EQ(engine->run(spec(), console, [] { FAIL() << "nothing to pull"; }), 42);
  EXPECT_EQ(calls(), (std::vector<std::string>{
                       "POST /v1.41/containers/create",
                       "POST /v1.41/containers/" + k_id + "/attach",
                       "POST /v1.41/containers/" + k_id + "/wait",
                       "POST /v1.41/containers/" + k_id + "/start",
                       "DELETE /v1.41/containers/" + k_id,
                     }));
  auto create = find("POST", "/v1.41/containers/create");
  EXPECT_EQ(create->param("platform"), "linux/arm64");
  auto body = nlohmann::json::parse(create->body);
  EXPECT_EQ(body["Image"], k_multi);
  EXPECT_EQ(body["HostConfig"]["AutoRemove"], true);
  EXPECT_EQ(find("POST", "/v1.41/containers/" + k_id + "/wait")->param("condition"), "removed");
  EXPECT_EQ(find("POST", "/v1.41/containers/" + k_id + "/attach")->header("Upgrade"), "tcp");
  EXPECT_EQ(find("DELETE", "/v1.41/containers/" + k_id)->param("force"), "1");
  EXPECT_TRUE(console.warnings.empty());
}

TEST_F(DockerEngineTest, TheEnginesCreateWarningsArePrintedAsTheDockerCliDoes)
{
  docker.answer("POST /v1.41/containers/create", 201,
                fixture("create-warnings-host-network-ports.json"));
  docker.serve_container(k_warned_id);
  auto engine = connect();
  EXPECT_EQ(engine->run(spec(), console, [] {}), 42);
  EXPECT_EQ(console.warnings,
            std::vector<std::string>{
              "WARNING: Published ports are discarded when using host network mode"});
}

TEST_F(DockerEngineTest, AMissingImageIsPulledThenCreatedAgain)
{
  int creates = 0;
  docker.routes["POST /v1.41/containers/create"] = [&](const FakeRequest&) {
    return ++creates == 1 ? FakeResponse{404, {}, fixture("create-error-no-such-image.json")}
                          : FakeResponse{201, {}, fixture("create.json")};
  };
  auto engine = connect();
  int pulls = 0;
  EXPECT_EQ(engine->run(spec(), console, [&] { ++pulls; }), 42);
  EXPECT_EQ(pulls, 1);
  EXPECT_EQ(creates, 2);
  EXPECT_EQ(console.warnings, std::vector<std::string>{"Unable to find image '127.0.0.1:5857/"
                                                       "bench/multi:1' locally for linux/arm64"});
}

TEST_F(DockerEngineTest, ACommandThatCannotRunFailsAtStartAndTheContainerIsRemoved)
{
  docker.answer("POST /v1.41/containers/" + k_id + "/start", 400,
                fixture("start-error-not-found.json"));
  auto engine = connect();
  Error error = error_of([&] { engine->run(spec(), console, [] {}); });
  EXPECT_EQ(error.code(), Errc::command_not_found);
  EXPECT_EQ(error.message(), "cannot start the container: failed to create shim task: "
                             "OCI runtime create failed: runc create failed: unable to start "
                             "container process: exec: \"nope\": executable file not found in "
                             "$PATH: unknown");
  EXPECT_TRUE(find("DELETE", "/v1.41/containers/" + k_id));
}

TEST_F(DockerEngineTest, AWaitThatReportsAnErrorIsAnEngineError)
{
  docker.answer("POST /v1.41/containers/" + k_id + "/wait", 200, fixture("wait-127.json"));
  auto engine = connect();
  Error error = error_of([&] { engine->run(spec(), console, [] {}); });
  EXPECT_EQ(error.code(), Errc::engine_error);
  EXPECT_EQ(error.message(), "the engine could not finish the container: failed to create shim "
                             "task: OCI runtime create failed: runc create failed: unable to start "
                             "container process: exec: \"nope\": executable file not found in "
                             "$PATH: unknown");
}

TEST_F(DockerEngineTest, RemovingAContainerThatIsGoneIsNoError)
{
  // --rm: the engine may have removed it already.
  docker.answer("DELETE /v1.41/containers/" + k_id, 404, fixture("remove-missing.json"));
  auto engine = connect();
  EXPECT_EQ(engine->run(spec(), console, [] {}), 42);
}

TEST_F(DockerEngineTest, SignalsAndTheTerminalSizeReachTheContainer)
{
  docker.answer("POST /v1.41/containers/" + k_id + "/kill", 204, "");
  docker.answer("POST /v1.41/containers/" + k_id + "/resize", 200, "");
  RunSpec tty = spec(false);
  tty.tty = true;
  console.size = TerminalSize{33, 120};
  console.on_start_io = [](const RecordingConsole::SignalHandler& handler) { handler(SIGUSR1); };
  auto engine = connect();
  EXPECT_EQ(engine->run(tty, console, [] {}), 42);
  EXPECT_EQ(find("POST", "/v1.41/containers/" + k_id + "/wait")->param("condition"), "next-exit");
  EXPECT_EQ(find("POST", "/v1.41/containers/" + k_id + "/kill")->param("signal"), "SIGUSR1");
  auto resize = find("POST", "/v1.41/containers/" + k_id + "/resize");
  ASSERT_TRUE(resize);
  EXPECT_EQ(resize->param("h"), "33");
  EXPECT_EQ(resize->param("w"), "120");
  EXPECT_FALSE(find("DELETE", "/v1.41/containers/" + k_id)); // no --rm
}

TEST_F(DockerEngineTest, PullStreamsProgressByDigestAndFailsOnAnInBandError)
{
  docker.routes["POST /v1.41/images/create"] = [](const FakeRequest& request) {
    bool s390x = request.param("platform") == "linux/s390x";
    return FakeResponse{
      200, {}, fixture(s390x ? "pull-error-platform.jsonl" : "pull-multi-arm64.jsonl")};
  };
  auto engine = connect();
  auto ref = core::ImageRef::parse("127.0.0.1:5857/bench/multi@" + k_index);
  RecordingSink ok;
  engine->pull(ref, core::Platform::parse("linux/arm64"), ok,
               registry::Credentials{"ci-bot", "pw", "", "test"});
  ASSERT_FALSE(ok.events.empty());
  auto request = find("POST", "/v1.41/images/create");
  EXPECT_EQ(request->param("fromImage"), "127.0.0.1:5857/bench/multi");
  EXPECT_EQ(request->param("tag"), k_index);
  EXPECT_EQ(request->param("platform"), "linux/arm64");
  EXPECT_EQ(
    request->header("X-Registry-Auth"),
    encode_registry_auth(registry::Credentials{"ci-bot", "pw", "", "test"}, "127.0.0.1:5857"));

  RecordingSink failed;
  Error error =
    error_of([&] { engine->pull(ref, core::Platform::parse("linux/s390x"), failed, {}); });
  EXPECT_EQ(error.code(), Errc::engine_error);
  EXPECT_EQ(error.message(), "cannot pull 127.0.0.1:5857/bench/multi@" + k_index +
                               " for linux/s390x: no matching manifest for linux/s390x in the "
                               "manifest list entries");
  EXPECT_EQ(failed.events.size(), 1u); // the line before the error was shown
}

TEST_F(DockerEngineTest, APullTheEngineRefusesBeforeStreamingIsNotFound)
{
  docker.answer("POST /v1.41/images/create", 404, fixture("pull-error-missing-tag.json"));
  auto engine = connect();
  RecordingSink sink;
  Error error = error_of([&] {
    engine->pull(core::ImageRef::parse("127.0.0.1:5857/bench/multi:crun-decoder-missing"),
                 core::Platform::parse("linux/arm64"), sink, std::nullopt);
  });
  EXPECT_EQ(error.code(), Errc::not_found);
  EXPECT_EQ(error.message(), "cannot pull 127.0.0.1:5857/bench/multi:crun-decoder-missing for "
                             "linux/arm64: manifest for 127.0.0.1:5857/bench/multi:"
                             "crun-decoder-missing not found: manifest unknown: manifest unknown");
}

TEST_F(DockerEngineTest, TagNamesTheSourceAndTheTarget)
{
  docker.answer("POST /v1.41/images/127.0.0.1:5857/bench/multi@" + k_index + "/tag", 201, "");
  auto engine = connect();
  engine->tag("127.0.0.1:5857/bench/multi@" + k_index, core::ImageRef::parse(k_multi));
  auto tag = find("POST", "/v1.41/images/127.0.0.1:5857/bench/multi@" + k_index + "/tag");
  ASSERT_TRUE(tag);
  EXPECT_EQ(tag->param("repo"), "127.0.0.1:5857/bench/multi");
  EXPECT_EQ(tag->param("tag"), "1");
}

TEST_F(DockerEngineTest, InspectFindsImagesAndContainersOrNothing)
{
  docker.answer("GET /v1.41/containers/fx42/json", 200,
                fixture("container-inspect-exited-42.json"));
  docker.answer("GET /v1.41/images/" + k_fx42_image + "/json", 200,
                fixture("image-inspect-multi-arm64.json"));
  auto engine = connect();
  EXPECT_FALSE(engine->inspect_image("127.0.0.1:5857/bench/nope:1"));
  EXPECT_FALSE(engine->inspect_container("nope"));
  auto image = engine->inspect_image(k_multi);
  ASSERT_TRUE(image);
  EXPECT_EQ(image->backend, "docker");
  EXPECT_EQ(image->platform.architecture, "arm64");
  auto container = engine->inspect_container("fx42");
  ASSERT_TRUE(container);
  EXPECT_EQ(container->state.exit_code, 42);
  EXPECT_EQ(container->platform.architecture, "arm64"); // its image's, looked up by ID
}

TEST_F(DockerEngineTest, OddInspectAnswersGiveDefaultsOrProtocolErrors)
{
  docker.answer("GET /v1.41/containers/odd/json", 200,
                R"({"Id": "odd", "State": 5, "Config": null, "Image": "sha256:none"})");
  docker.answer("GET /v1.41/containers/html/json", 200, "<html>502 Bad Gateway</html>");
  docker.answer("GET /v1.41/containers/list/json", 200, "[]");
  auto engine = connect();
  auto odd = engine->inspect_container("odd");
  ASSERT_TRUE(odd);
  EXPECT_EQ(odd->state.status, "");
  EXPECT_EQ(odd->config.cmd, std::nullopt);

  Error html = error_of([&] { engine->inspect_container("html"); });
  EXPECT_EQ(html.code(), Errc::protocol);
  EXPECT_EQ(html.message(), "cannot inspect container html: the engine at tcp://" + server.host() +
                              " answered with something that is not JSON: "
                              "<html>502 Bad Gateway</html>");
  Error list = error_of([&] { engine->inspect_container("list"); });
  EXPECT_EQ(list.code(), Errc::protocol);
  EXPECT_EQ(list.message(), "the engine's container inspect answer is not a JSON object");
}

} // namespace
} // namespace crun::backends::docker
