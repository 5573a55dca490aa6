// The commands under a policy, through the frame (run_cli) with a recording
// fake engine: what is refused, with which exit code and message, and what
// the engine was (never) asked. The policy comes from a --policy file in a
// fresh directory; the environment is empty, so no user config is read.
#include "support/temp_dir.hpp"

#include <crun/backends/engine.hpp>
#include <crun/backends/run_sequence.hpp>
#include <crun/cli/app.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

namespace crun::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

const std::string k_config = "sha256:" + std::string(64, 'c');
const std::string k_manifest = "sha256:" + std::string(64, 'b');

class RecordingEngine : public backends::Engine {
public:
  explicit RecordingEngine(std::vector<std::string>& calls, std::string backend = "docker")
    : m_calls(calls), m_info{std::move(backend), "unix:///fake.sock", "1", "1"}
  {
  }
  std::map<std::string, backends::ImageInfo> images; ///< by name

  const backends::EngineInfo& info() const override { return m_info; }
  core::Platform native_platform() override
  {
    m_calls.emplace_back("native_platform");
    return core::Platform{"linux", "amd64", ""};
  }
  void pull(const core::ImageRef& ref, const core::Platform&, backends::PullSink&,
            const std::optional<registry::Credentials>&) override
  {
    m_calls.push_back("pull " + ref.str());
  }
  void tag(const std::string& source, const core::ImageRef&) override
  {
    m_calls.push_back("tag " + source);
  }
  std::optional<backends::ImageInfo> inspect_image(const std::string& name) override
  {
    m_calls.push_back("inspect_image " + name);
    auto it = images.find(name);
    return it == images.end() ? std::nullopt : std::optional(it->second);
  }
  std::optional<backends::ContainerInfo> inspect_container(const std::string& name) override
  {
    m_calls.push_back("inspect_container " + name);
    return std::nullopt;
  }
  int run(const backends::RunSpec& spec, backends::RunConsole&,
          const std::function<void()>&) override
  {
    m_calls.push_back("run " + spec.image_name);
    return 0;
  }
  int exec(const backends::ExecSpec& spec, backends::RunConsole&) override
  {
    m_calls.push_back("exec " + spec.container);
    return 0;
  }

private:
  std::vector<std::string>& m_calls;
  backends::EngineInfo m_info;
};

struct Outcome {
  int code;
  std::string out;
  std::string err;
};

class PolicyCommands : public ::testing::Test {
protected:
  void write(const std::string& name, const std::string& text)
  {
    std::ofstream(dir.path() + "/" + name) << text;
  }

  // crun-any --policy <dir>/policy.json args..., with the fake engine.
  Outcome run(std::vector<std::string> args)
  {
    args.insert(args.begin(), {"--policy", dir.path() + "/policy.json"});
    std::ostringstream out;
    std::ostringstream err;
    int code = run_cli(args, env, Io{out, err}, [this](const Context&) {
      ++opened;
      auto engine = std::make_unique<RecordingEngine>(calls, backend);
      engine->images = images;
      return engine;
    });
    return {code, out.str(), err.str()};
  }

  test::TempDir dir{"crun-pol"};
  Env env;
  std::vector<std::string> calls;
  std::string backend = "docker";
  std::map<std::string, backends::ImageInfo> images;
  int opened = 0;
};

TEST_F(PolicyCommands, ADisallowedRegistryIsRefusedBeforeTheEngineIsOpened)
{
  write("policy.json", R"({"allowed_registries": ["ghcr.io/acme"]})");
  for (const std::string verb : {"run", "pull"}) {
    SCOPED_TRACE(verb);
    Outcome r = run({verb, "ghcr.io.evil.com/acme/app:1"});
    EXPECT_EQ(r.code, verb == "run" ? 125 : 3);
    EXPECT_THAT(r.err, HasSubstr("allowed_registries (set by " + dir.path() + "/policy.json)"));
    EXPECT_THAT(r.err, HasSubstr("ghcr.io.evil.com"));
  }
  EXPECT_EQ(opened, 0);
}

TEST_F(PolicyCommands, EveryViolationIsListedAtOnce)
{
  write(
    "policy.json",
    R"({"allowed_registries": ["ghcr.io/acme"], "require_digest": true, "platforms": ["linux/arm64"]})");
  Outcome r =
    run({"policy", "check", "--platform", "linux/amd64", "ghcr.io/acme/app:1", "quay.io/x/y:2"});
  EXPECT_EQ(r.code, 3);
  EXPECT_THAT(r.out, HasSubstr("ghcr.io/acme/app:1 linux/amd64 refused\n"));
  EXPECT_THAT(r.out, HasSubstr("platforms (set by"));
  EXPECT_THAT(r.out, HasSubstr("require_digest (set by"));
  EXPECT_THAT(r.out, HasSubstr("allowed_registries (set by"));
  EXPECT_THAT(r.err, HasSubstr("2 of 2 images are refused by the policy"));
  EXPECT_EQ(opened, 0) << "policy check needs no engine";
}

TEST_F(PolicyCommands, PolicyCheckAllowsWhatThePolicyAdmitsAndSaysSoInJson)
{
  write("policy.json", R"({"allowed_registries": ["ghcr.io/acme"]})");
  Outcome r = run(
    {"policy", "check", "--json", "--platform", "linux/amd64", "ghcr.io/acme/app@" + k_manifest});
  ASSERT_EQ(r.code, 0) << r.err;
  auto doc = nlohmann::json::parse(r.out);
  ASSERT_EQ(doc.size(), 1U);
  EXPECT_EQ(doc[0].at("allowed"), true);
  EXPECT_EQ(doc[0].at("platform"), "linux/amd64");
  EXPECT_THAT(doc[0].at("violations"), IsEmpty());
}

TEST_F(PolicyCommands, PolicyShowNamesTheFileOfEachRule)
{
  write("policy.json", R"({"pull_only": true, "emulation": "warn"})");
  Outcome r = run({"policy", "show", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto doc = nlohmann::json::parse(r.out);
  const std::string file = dir.path() + "/policy.json";
  EXPECT_EQ(doc.at("files").at(0).at("path"), file);
  EXPECT_EQ(doc.at("files").at(0).at("level"), "override");
  EXPECT_EQ(doc.at("policy").at("pull_only").at("value"), true);
  EXPECT_EQ(doc.at("policy").at("pull_only").at("sources").at(0), file);
  EXPECT_EQ(doc.at("policy").at("emulation").at("value"), "warn");
  EXPECT_FALSE(doc.at("policy").contains("require_digest"));
}

TEST_F(PolicyCommands, AMalformedPolicyStopsEveryCommandNamingTheFile)
{
  write("policy.json", "{\"pull_only\": tru}");
  for (std::vector<std::string> args : std::vector<std::vector<std::string>>{
         {"version"}, {"policy", "show"}, {"inspect", "x"}, {"run", "alpine"}}) {
    SCOPED_TRACE(args.front());
    Outcome r = run(args);
    EXPECT_EQ(r.code, args.front() == "run" ? 125 : 3);
    EXPECT_THAT(r.err, HasSubstr(dir.path() + "/policy.json:1:"));
  }
  EXPECT_EQ(opened, 0);
}

TEST_F(PolicyCommands, ABlockedVerbIsRefusedNamingPullOnlyAndItsFile)
{
  write("policy.json", R"({"pull_only": true, "blocked_verbs": ["inspect"]})");
  Outcome r = run({"inspect", "alpine"});
  EXPECT_EQ(r.code, 3);
  EXPECT_THAT(r.err,
              HasSubstr("pull_only (set by " + dir.path() + "/policy.json) refuses `inspect`"));
  EXPECT_EQ(opened, 0);
  // The default list still holds: a project cannot unblock build.
  r = run({"image", "build", "."});
  EXPECT_EQ(r.code, 3);
  EXPECT_THAT(r.err, HasSubstr("pull_only (set by"));
}

TEST_F(PolicyCommands, WithoutAPolicyTheBuildVerbsAreStillRefusedAndOthersUnknown)
{
  write("policy.json", "{}");
  Outcome r = run({"artifact", "add", "x"});
  EXPECT_EQ(r.code, 3);
  EXPECT_THAT(r.err, HasSubstr("\"artifact add\" is refused by the pull_only policy"));
  r = run({"image", "ls"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("no `image ls` command"));
}

TEST_F(PolicyCommands, BackendsRefusesTheEngineBeforeItIsAskedAnything)
{
  write("policy.json", R"({"backends": ["podman"]})");
  Outcome r = run({"inspect", "alpine"});
  EXPECT_EQ(r.code, 3);
  EXPECT_THAT(r.err, HasSubstr("backends (set by"));
  EXPECT_THAT(r.err, HasSubstr("not docker"));
  EXPECT_THAT(calls, IsEmpty());
  backend = "podman";
  r = run({"inspect", "alpine"});
  EXPECT_EQ(r.code, 1); // allowed, and the fake has no such image
  EXPECT_THAT(calls, ::testing::Contains("inspect_image alpine"));
}

TEST_F(PolicyCommands, EmulationDenyRefusesAForeignPlatformBeforeAnyPull)
{
  // A loopback registry where nothing listens: should this machine have no
  // arm64 emulator, the registry is asked whether it has the platform at
  // all, and that question must fail at once, offline.
  write("policy.json", R"({"emulation": "deny"})");
  Outcome r = run({"run", "--platform", "linux/arm64", "127.0.0.1:1/acme/app@" + k_manifest});
  EXPECT_EQ(r.code, 125);
  EXPECT_THAT(r.err, HasSubstr("emulation: deny (set by"));
  EXPECT_EQ(calls, std::vector<std::string>{"native_platform"});
}

TEST_F(PolicyCommands, RequireDigestRefusesABareTagButRunsADigest)
{
  write("policy.json", R"({"require_digest": true})");
  Outcome r = run({"run", "ghcr.io/acme/app:1"});
  EXPECT_EQ(r.code, 125);
  EXPECT_THAT(r.err, HasSubstr("require_digest (set by"));
  EXPECT_THAT(calls, Not(::testing::Contains(HasSubstr("run "))));
  calls.clear();
  r = run({"run", "--pull", "never", "ghcr.io/acme/app@" + k_manifest});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(calls, ::testing::Contains("run ghcr.io/acme/app@" + k_manifest));
}

TEST_F(PolicyCommands, PullOnlyRefusesALocalImageItCannotMatchWhenTheRegistryIsUnreachable)
{
  // Port 1 of loopback: nothing listens, so the registry cannot be asked,
  // and no lock holds the image: the content cannot be decided, and an
  // undecided image does not run.
  write("policy.json", R"({"pull_only": true})");
  backends::ImageInfo local;
  local.id = k_config;
  images["127.0.0.1:1/acme/app:1"] = local;
  Outcome r = run({"run", "127.0.0.1:1/acme/app:1"});
  EXPECT_EQ(r.code, 125);
  EXPECT_THAT(r.err, HasSubstr("pull_only (set by"));
  EXPECT_THAT(r.err, HasSubstr("cannot tell offline"));
  EXPECT_THAT(calls, Not(::testing::Contains(HasSubstr("run "))));
}

TEST_F(PolicyCommands, PullOnlyRunsALocalImageTheLockPinsWithoutAskingTheRegistry)
{
  write("policy.json", R"({"pull_only": true})");
  const std::string index = "sha256:" + std::string(64, 'a');
  write("crun-any.lock", R"({
  "images": {
    "127.0.0.1:1/acme/app:1": {
      "digest": ")" + index +
                           R"(",
      "kind": "index",
      "platforms": {
        "linux/amd64": ")" +
                           k_manifest + R"("
      },
      "tag": "1"
    }
  },
  "version": 1
}
)");
  backends::ImageInfo local;
  local.id = k_config;
  local.repo_digests = {"127.0.0.1:1/acme/app@" + k_manifest};
  images["127.0.0.1:1/acme/app@" + k_manifest] = local;
  Outcome r = run({"--lockfile", dir.path() + "/crun-any.lock", "run", "--pull", "never",
                   "127.0.0.1:1/acme/app:1"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(calls, ::testing::Contains("run 127.0.0.1:1/acme/app@" + k_manifest));
}

TEST_F(PolicyCommands, PullOnlyRunsOfflineWhatCrunAnyRecordedPullingAndNothingElse)
{
  // The registry (port 1) cannot be asked; crun-any's record of its own
  // pulls says the local image is what the registry served for that name.
  write("policy.json", R"({"pull_only": true})");
  std::filesystem::create_directories(dir.path() + "/state/crun-any");
  write("state/crun-any/pulls.json",
        R"({"pulls": [{"id": ")" + k_config + R"(", "manifest": ")" + k_manifest +
          R"(", "platform": "linux/amd64", "repository": "127.0.0.1:1/acme/app"}], "version": 1})");
  env = Env({{"XDG_STATE_HOME", dir.path() + "/state"}});
  backends::ImageInfo local;
  local.id = k_config;
  images["127.0.0.1:1/acme/app:1"] = local;
  Outcome r = run({"run", "--pull", "never", "127.0.0.1:1/acme/app:1"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(calls, ::testing::Contains("run 127.0.0.1:1/acme/app:1"));
  // The same record says nothing of another repository's image.
  images["127.0.0.1:1/acme/other:1"] = local;
  calls.clear();
  r = run({"run", "--pull", "never", "127.0.0.1:1/acme/other:1"});
  EXPECT_EQ(r.code, 125);
  EXPECT_THAT(r.err, HasSubstr("cannot tell offline"));
}

} // namespace
} // namespace crun::cli
