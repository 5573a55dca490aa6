// The Podman adapter over a fake libpod service that replays the answers
// captured from Podman 4.3.1 (fixtures/podman): what it sends, in which
// order, and how it absorbs what 4.3.1 does differently from Docker.
#include <crun/backends/podman/podman_engine.hpp>

#include "backends_test_support.hpp"
#include "support/error_of.hpp"

#include <crun/core/error.hpp>

#include <gtest/gtest.h>

namespace crun::backends::podman {
namespace {

using namespace crun::test;

std::string fixture(const std::string& name)
{
  return test::fixture("podman/" + name);
}

const std::string k_small = "127.0.0.1:5857/bench/small:1";
const std::string k_small_id = "5b0c8418f15f83e24252ea2c63bcecbe8dd17c14fd8dc8ca80310cf23a926da6";

// A libpod 4.3.1 service: ping, version and the small amd64 image by
// default; tests override single routes ("METHOD /path" without the query).
class FakePodman {
public:
  std::map<std::string, std::function<FakeResponse(const FakeRequest&)>> routes;
  std::string libpod_version = "4.3.1";

  FakePodman()
  {
    routes["GET /v4.3.1/libpod/info"] = [](const FakeRequest&) {
      return FakeResponse{200, {}, fixture("info.json")};
    };
    routes["GET /v4.3.1/libpod/images/" + k_small + "/json"] = [](const FakeRequest&) {
      return FakeResponse{200, {}, fixture("image-inspect-small.json")};
    };
    routes["GET /v4.3.1/libpod/images/" + k_small_id + "/json"] =
      routes["GET /v4.3.1/libpod/images/" + k_small + "/json"];
    routes["POST /v4.3.1/libpod/containers/create"] = [](const FakeRequest&) {
      return FakeResponse{201, {}, R"({"Id":"c1","Warnings":[]})"};
    };
    routes["POST /v4.3.1/libpod/containers/c1/attach"] = [](const FakeRequest&) {
      return FakeResponse{101, {{"Upgrade", "tcp"}, {"Connection", "Upgrade"}}, ""};
    };
    routes["POST /v4.3.1/libpod/containers/c1/start"] = [](const FakeRequest&) {
      return FakeResponse{204, {}, ""};
    };
    routes["POST /v4.3.1/libpod/containers/c1/wait"] = [](const FakeRequest&) {
      return FakeResponse{
        200, {{"Content-Type", "text/plain; charset=us-ascii"}}, fixture("wait-42.txt")};
    };
    routes["DELETE /v4.3.1/libpod/containers/c1"] = [](const FakeRequest&) {
      return FakeResponse{200, {}, fixture("remove-report.json")};
    };
  }

  FakeResponse answer(const FakeRequest& request)
  {
    if (request.path == "/_ping") {
      FakeResponse ping{200, {{"Api-Version", "1.41"}, {"Server", "Libpod/4.3.1 (linux)"}}, "OK"};
      if (!libpod_version.empty()) {
        ping.headers.emplace_back("Libpod-Api-Version", libpod_version);
      }
      return ping;
    }
    auto it = routes.find(request.method + " " + request.path);
    if (it == routes.end()) {
      return FakeResponse{404, {}, fixture("image-inspect-missing.json")};
    }
    return it->second(request);
  }
};

struct PodmanEngineTest : ::testing::Test {
  FakePodman podman;
  FakeHttpServer server{[this](const FakeRequest& request) { return podman.answer(request); }};
  RecordingConsole console;

  std::unique_ptr<Engine> connect()
  {
    return connect_podman(transport::Endpoint::parse("tcp://" + server.host()), ApiTimeouts{});
  }

  // "METHOD /path" of every request after the connection's ping and version.
  std::vector<std::string> calls() const
  {
    return calls_of(server.requests(), {"/_ping", "/v4.3.1/libpod/info"});
  }

  std::optional<FakeRequest> find(const std::string& method, const std::string& path) const
  {
    return find_request(server.requests(), method, path);
  }

  RunSpec spec(const std::string& platform = "linux/amd64") const
  {
    RunSpec s;
    s.image = core::ImageRef::parse(k_small);
    s.image_name = k_small;
    s.platform = core::Platform::parse(platform);
    s.remove = true;
    return s;
  }
};

TEST_F(PodmanEngineTest, ConnectReadsTheVersionAndNativePlatform)
{
  auto engine = connect();
  EXPECT_EQ(engine->info().backend, "podman");
  EXPECT_EQ(engine->info().version, "4.3.1");
  EXPECT_EQ(engine->info().api_version, "4.3.1");
  EXPECT_EQ(engine->native_platform(), (core::Platform{"linux", "amd64", ""}));
  EXPECT_EQ(engine->info().endpoint, "tcp://" + server.host());
}

TEST_F(PodmanEngineTest, ConnectRefusesADockerEngineAndAnOldLibpod)
{
  podman.libpod_version = "";
  {
    const Error error = test::error_of([&] { connect(); });
    EXPECT_EQ(error.code(), Errc::engine_error);
    EXPECT_NE(error.message().find("no Podman service"), std::string::npos) << error.message();
  }
  podman.libpod_version = "3.4.4";
  {
    const Error error = test::error_of([&] { connect(); });
    EXPECT_EQ(error.code(), Errc::engine_error);
    EXPECT_NE(error.message().find("libpod API 3.4.4"), std::string::npos) << error.message();
  }
}

TEST_F(PodmanEngineTest, RunSendsTheWaitOnlyAfterStartThenRemoves)
{
  auto engine = connect();
  int status = engine->run(spec(), console, [] { FAIL() << "nothing to pull"; });
  EXPECT_EQ(status, 42);
  EXPECT_EQ(calls(), (std::vector<std::string>{
                       "GET /v4.3.1/libpod/images/" + k_small + "/json",
                       "POST /v4.3.1/libpod/containers/create",
                       "POST /v4.3.1/libpod/containers/c1/attach",
                       "POST /v4.3.1/libpod/containers/c1/start",
                       "POST /v4.3.1/libpod/containers/c1/wait",
                       "DELETE /v4.3.1/libpod/containers/c1",
                     }));
  auto create = nlohmann::json::parse(find("POST", "/v4.3.1/libpod/containers/create")->body);
  EXPECT_EQ(create["image"], k_small_id); // the image that was checked, by ID
  EXPECT_EQ(create["raw_image_name"], k_small);
  EXPECT_EQ(create["remove"], true); // the engine removes it even if crun-any dies
  auto attach = find("POST", "/v4.3.1/libpod/containers/c1/attach");
  ASSERT_TRUE(attach);
  EXPECT_EQ(attach->params.count("detachKeys"), 1u);
  EXPECT_EQ(attach->param("detachKeys"), "");
  EXPECT_EQ(find("DELETE", "/v4.3.1/libpod/containers/c1")->param("volumes"), "true");
}

TEST_F(PodmanEngineTest, AContainerTheEngineRemovedBeforeTheWaitGivesTheCodeOfItsDiedEvent)
{
  podman.routes["POST /v4.3.1/libpod/containers/c1/wait"] = [](const FakeRequest&) {
    return FakeResponse{404, {}, fixture("container-inspect-missing.json")};
  };
  podman.routes["GET /v4.3.1/libpod/events"] = [](const FakeRequest&) {
    return FakeResponse{200, {}, fixture("events-died-3.txt")};
  };
  podman.routes["DELETE /v4.3.1/libpod/containers/c1"] = [](const FakeRequest&) {
    return FakeResponse{404, {}, fixture("remove-missing.json")};
  };
  auto engine = connect();
  EXPECT_EQ(engine->run(spec(), console, [] {}), 3);
  auto events = find("GET", "/v4.3.1/libpod/events");
  ASSERT_TRUE(events);
  EXPECT_EQ(events->param("stream"), "false");
  EXPECT_EQ(nlohmann::json::parse(events->param("filters")),
            nlohmann::json::parse(R"({"type":["container"],"container":["c1"],"event":["died"]})"));
  // The removal that finds it gone already is silent.
  EXPECT_TRUE(console.warnings.empty());
}

TEST_F(PodmanEngineTest, ARemovedContainerWithoutADiedEventIsAnEngineError)
{
  podman.routes["POST /v4.3.1/libpod/containers/c1/wait"] = [](const FakeRequest&) {
    return FakeResponse{404, {}, fixture("container-inspect-missing.json")};
  };
  podman.routes["GET /v4.3.1/libpod/events"] = [](const FakeRequest&) {
    return FakeResponse{200, {}, ""};
  };
  auto engine = connect();
  const Error error = test::error_of([&] { engine->run(spec(), console, [] {}); });
  EXPECT_EQ(error.code(), Errc::engine_error);
  EXPECT_NE(error.message().find("no `died` event"), std::string::npos) << error.message();
}

TEST_F(PodmanEngineTest, AnUnknownUserFailsAtAttachWithoutTheContainersId)
{
  podman.routes["POST /v4.3.1/libpod/containers/create"] = [](const FakeRequest&) {
    return FakeResponse{
      201, {}, R"({"Id":"f233e4524833ab37bf8cdd2330d2f4398f437c53c3c333df9cf19099de6c3b96"})"};
  };
  podman.routes["POST /v4.3.1/libpod/containers/"
                "f233e4524833ab37bf8cdd2330d2f4398f437c53c3c333df9cf19099de6c3b96/attach"] =
    [](const FakeRequest&) {
      return FakeResponse{409, {}, fixture("attach-error-no-such-user.json")};
    };
  auto engine = connect();
  const Error error = test::error_of([&] { engine->run(spec(), console, [] {}); });
  EXPECT_EQ(error.code(), Errc::engine_error);
  EXPECT_EQ(error.message(), "cannot start the container: unable to find user nosuchuser: no "
                             "matching entries in passwd file");
}

TEST_F(PodmanEngineTest, ALocalImageOfAnotherPlatformIsMissingNotRun)
{
  // Podman 4.3.1 would create it anyway (create-wrong-arch-accepted.json).
  auto engine = connect();
  RunSpec never = spec("linux/arm64");
  never.pull = PullPolicy::never;
  {
    const Error error =
      test::error_of([&] { engine->run(never, console, [] { FAIL() << "--pull=never"; }); });
    EXPECT_EQ(error.code(), Errc::not_found);
    EXPECT_NE(error.message().find("--pull=never"), std::string::npos) << error.message();
  }
  EXPECT_FALSE(find("POST", "/v4.3.1/libpod/containers/create"));

  // With pulling allowed, the pull makes the arm64 image the local one.
  bool pulled = false;
  auto status = engine->run(spec("linux/arm64"), console, [&] {
    pulled = true;
    podman.routes["GET /v4.3.1/libpod/images/" + k_small + "/json"] = [](const FakeRequest&) {
      return FakeResponse{200, {}, fixture("image-inspect-multi-arm64-by-index.json")};
    };
  });
  EXPECT_TRUE(pulled);
  EXPECT_EQ(status, 42);
  ASSERT_EQ(console.warnings.size(), 1u);
  auto create = nlohmann::json::parse(find("POST", "/v4.3.1/libpod/containers/create")->body);
  EXPECT_EQ(create["image"], "3c51ddab3d0f1b64da1dc1b64d016a86f7b2ff1034dba7f4f2a3609710537588");
  EXPECT_EQ(create["image_arch"], "arm64");
}

TEST_F(PodmanEngineTest, CreatesImageNotKnownIsAMissingImage)
{
  podman.routes["POST /v4.3.1/libpod/containers/create"] = [](const FakeRequest&) {
    return FakeResponse{500, {}, fixture("create-error-no-such-image.json")};
  };
  auto engine = connect();
  RunSpec never = spec();
  never.pull = PullPolicy::never;
  {
    const Error error = test::error_of([&] { engine->run(never, console, [] {}); });
    EXPECT_EQ(error.code(), Errc::not_found);
  }
}

TEST_F(PodmanEngineTest, ACommandThatCannotRunFailsAtAttachAndTheContainerIsRemoved)
{
  // libpod prepares a created container when attached to: the runtime's
  // error arrives there (HTTP 500), before start.
  podman.routes["POST /v4.3.1/libpod/containers/c1/attach"] = [](const FakeRequest&) {
    return FakeResponse{500, {}, fixture("start-error-not-found.json")};
  };
  auto engine = connect();
  {
    const Error error = test::error_of([&] { engine->run(spec(), console, [] {}); });
    EXPECT_EQ(error.code(), Errc::command_not_found);
    EXPECT_NE(error.message().find("no-such-command"), std::string::npos);
  }
  EXPECT_TRUE(find("DELETE", "/v4.3.1/libpod/containers/c1"));
  EXPECT_FALSE(find("POST", "/v4.3.1/libpod/containers/c1/wait"));

  podman.routes["POST /v4.3.1/libpod/containers/c1/attach"] = [](const FakeRequest&) {
    return FakeResponse{101, {}, ""};
  };
  podman.routes["POST /v4.3.1/libpod/containers/c1/start"] = [](const FakeRequest&) {
    return FakeResponse{500, {}, fixture("start-error-permission-denied.json")};
  };
  {
    const Error error = test::error_of([&] { engine->run(spec(), console, [] {}); });
    EXPECT_EQ(error.code(), Errc::command_not_executable);
  }
}

TEST_F(PodmanEngineTest, RemovingAContainerThatIsGoneIsNoError)
{
  podman.routes["DELETE /v4.3.1/libpod/containers/c1"] = [](const FakeRequest&) {
    return FakeResponse{404, {}, fixture("remove-missing.json")};
  };
  auto engine = connect();
  EXPECT_EQ(engine->run(spec(), console, [] {}), 42);
}

TEST_F(PodmanEngineTest, AReportedRemovalErrorIsAnError)
{
  podman.routes["DELETE /v4.3.1/libpod/containers/c1"] = [](const FakeRequest&) {
    return FakeResponse{200, {}, R"([{"Id":"c1","Err":"device or resource busy"}])"};
  };
  auto engine = connect();
  // After the command ran: its exit code stands, the removal is a warning.
  EXPECT_EQ(engine->run(spec(), console, [] {}), 42);
  ASSERT_EQ(console.warnings.size(), 1u);
  EXPECT_EQ(console.warnings[0],
            "crun-any: warning: container c1 exited with 42, but removing it (--rm) failed: "
            "cannot remove container c1: device or resource busy; remove it with `podman rm -f "
            "c1`");
}

TEST_F(PodmanEngineTest, PullStreamsProgressAndFailsOnAnInBandError)
{
  podman.routes["POST /v4.3.1/libpod/images/pull"] = [](const FakeRequest& request) {
    bool s390x = request.param("arch") == "s390x";
    return FakeResponse{
      200,
      {},
      fixture(s390x ? "libpod-pull-error-platform.jsonl" : "libpod-pull-multi-arm64.jsonl")};
  };
  auto engine = connect();
  auto ref = core::ImageRef::parse(
    "127.0.0.1:5857/bench/"
    "multi@sha256:853ed836939f5b202204ec1196312c6327ab4dffc3f81fab7f8da6c6349abe71");
  RecordingSink ok;
  engine->pull(ref, core::Platform::parse("linux/arm64"), ok, std::nullopt);
  ASSERT_FALSE(ok.events.empty());
  EXPECT_EQ(ok.events.back().kind, core::PullEvent::Kind::image_id);
  auto request = find("POST", "/v4.3.1/libpod/images/pull");
  EXPECT_EQ(request->param("reference"), ref.str());
  EXPECT_EQ(request->param("tlsVerify"), "false");

  RecordingSink failed;
  {
    const Error error = test::error_of(
      [&] { engine->pull(ref, core::Platform::parse("linux/s390x"), failed, std::nullopt); });
    EXPECT_EQ(error.code(), Errc::engine_error);
    EXPECT_NE(error.message().find("no image found in image index for architecture s390x"),
              std::string::npos)
      << error.message();
  }
}

TEST_F(PodmanEngineTest, InspectFindsImagesAndContainersOrNothing)
{
  podman.routes["GET /v4.3.1/libpod/containers/fx42/json"] = [](const FakeRequest&) {
    return FakeResponse{200, {}, fixture("container-inspect-exited-42.json")};
  };
  podman.routes["GET "
                "/v4.3.1/libpod/images/"
                "5bff859aa00ba3699ee8c54e7a3aa71a3e609bc4457537a5b1868b2e1d5bb012/json"] =
    [](const FakeRequest&) { return FakeResponse{200, {}, fixture("image-inspect-small.json")}; };
  auto engine = connect();
  EXPECT_FALSE(engine->inspect_image("127.0.0.1:5857/bench/nope:1"));
  EXPECT_FALSE(engine->inspect_container("nope"));
  auto image = engine->inspect_image(k_small);
  ASSERT_TRUE(image);
  EXPECT_EQ(image->id, "sha256:" + k_small_id);
  auto container = engine->inspect_container("fx42");
  ASSERT_TRUE(container);
  EXPECT_EQ(container->state.exit_code, 42);
  EXPECT_EQ(container->platform.architecture, "amd64"); // its image's, looked up by bare ID
}

} // namespace
} // namespace crun::backends::podman
