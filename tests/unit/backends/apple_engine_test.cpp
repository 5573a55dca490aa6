// The Apple engine's probe and what it does before any workload runs,
// against the stand-in tests/apple/container (tests/apple/README.md) in the
// parts that need no bench: --version, system status, image inspect of a
// missing image, and the refusals. Every call's argv and environment are
// read back from the stand-in's log.
#include <crun/backends/apple/apple_engine.hpp>

#include "backends_test_support.hpp"
#include "support/error_of.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace crun::backends::apple {
namespace {

using crun::test::error_of;
using namespace std::chrono_literals;

const std::string k_standin = std::string(CRUN_TEST_FIXTURES) + "/../apple/container";

class AppleEngineTest : public ::testing::Test {
protected:
  void SetUp() override
  {
    if (std::system("python3 -c pass >/dev/null 2>&1") != 0) {
      GTEST_SKIP() << "python3 (the stand-in's interpreter) is not installed";
    }
    m_dir = std::filesystem::temp_directory_path() /
            ("crun-apple-engine-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(m_dir);
    const char* path = std::getenv("PATH");
    env = Env{{"PATH", path ? path : "/usr/bin:/bin"},
              {"CRUN_STANDIN_STATE", (m_dir / "state").string()},
              {"CRUN_STANDIN_LOG", log_path()},
              {"CONTAINER_DEFAULT_PLATFORM", "linux/amd64"},
              {"CONTAINER_DEBUG", "1"},
              {"CONTAINER_APP_ROOT", "/elsewhere"}};
  }
  void TearDown() override
  {
    std::error_code ignored;
    std::filesystem::remove_all(m_dir, ignored);
  }
  std::string log_path() const { return (m_dir / "argv.jsonl").string(); }
  std::vector<nlohmann::json> calls() const
  {
    std::vector<nlohmann::json> out;
    std::ifstream in(log_path());
    for (std::string line; std::getline(in, line);) {
      out.push_back(nlohmann::json::parse(line));
    }
    return out;
  }

  Env env;

private:
  std::filesystem::path m_dir;
};

TEST_F(AppleEngineTest, ProbesVersionThenStatusOfEachGeneration)
{
  for (const char* version : {"1.2.2", "1.4.1", "0.12.0"}) {
    env.set("CRUN_STANDIN_VERSION", version);
    AppleStatus status = probe_apple(k_standin, env, 20s);
    EXPECT_EQ(status.client_version, version);
    EXPECT_EQ(status.server_version, version);
    EXPECT_TRUE(status.running);
    EXPECT_EQ(status.executable, k_standin);
  }
  auto log = calls();
  ASSERT_EQ(log.size(), 6U);
  EXPECT_EQ(log[0]["argv"], nlohmann::json({"--version"}));
  EXPECT_EQ(log[1]["argv"], nlohmann::json({"system", "status", "--format", "json"}));
  // None of the variables that change the CLI's behaviour reaches it.
  for (const auto& call : log) {
    for (const auto& item : call["env"].items()) {
      EXPECT_FALSE(item.key().starts_with("CONTAINER_")) << item.key();
    }
  }
}

TEST_F(AppleEngineTest, ServiceDownIsUnavailableWithTheHint)
{
  for (const char* service : {"stopped", "unregistered"}) {
    for (const char* version : {"1.2.2", "1.4.1", "0.12.0"}) {
      env.set("CRUN_STANDIN_SERVICE", service);
      env.set("CRUN_STANDIN_VERSION", version);
      Error error = error_of([&] { probe_apple(k_standin, env, 20s); });
      EXPECT_EQ(error.code(), Errc::engine_unavailable) << service << " " << version;
      EXPECT_NE(error.message().find("container system start"), std::string::npos)
        << error.message();
    }
  }
}

TEST_F(AppleEngineTest, VersionSkewNamesTheFix)
{
  env.set("CRUN_STANDIN_VERSION", "1.4.1");
  env.set("CRUN_STANDIN_SERVER_VERSION", "1.2.2");
  Error error = error_of([&] { probe_apple(k_standin, env, 20s); });
  EXPECT_EQ(error.code(), Errc::engine_error);
  EXPECT_NE(error.message().find("1.4.1"), std::string::npos);
  EXPECT_NE(error.message().find("1.2.2"), std::string::npos);
  EXPECT_NE(error.message().find("container system stop && container system start"),
            std::string::npos);
  env.set("CRUN_STANDIN_VERSION", "1.3.0");
  env.set("CRUN_STANDIN_SERVER_VERSION", "1.2.2");
  EXPECT_EQ(error_of([&] { probe_apple(k_standin, env, 20s); }).code(), Errc::engine_error);
}

TEST_F(AppleEngineTest, MissingCliIsUnavailable)
{
  Error error = error_of([&] { probe_apple("/nonexistent/container", env, 5s); });
  EXPECT_EQ(error.code(), Errc::engine_unavailable);
  EXPECT_NE(error.message().find("/nonexistent/container"), std::string::npos);
}

TEST_F(AppleEngineTest, InfoAndNativePlatform)
{
  env.set("CRUN_STANDIN_VERSION", "1.4.1");
  auto engine = connect_apple(k_standin, env, 20s);
  EXPECT_EQ(engine->info().backend, "apple");
  EXPECT_EQ(engine->info().endpoint, k_standin);
  EXPECT_EQ(engine->info().version, "1.4.1");
  EXPECT_EQ(engine->native_platform(), (core::Platform{"linux", "arm64", ""}));
}

TEST_F(AppleEngineTest, MissingImageIsAbsent)
{
  for (const char* version : {"1.2.2", "0.12.0"}) {
    env.set("CRUN_STANDIN_VERSION", version);
    auto engine = connect_apple(k_standin, env, 20s);
    EXPECT_FALSE(engine->inspect_image("127.0.0.1:5857/nosuch:1")) << version;
  }
}

TEST_F(AppleEngineTest, RefusalsHappenBeforeAnyContainerCommand)
{
  auto engine = connect_apple(k_standin, env, 20s);
  RunSpec spec;
  spec.image = core::ImageRef::parse("127.0.0.1:5857/bench/small:1");
  spec.image_name = spec.image.str();
  spec.platform = core::Platform{"linux", "arm64", ""};
  spec.ports = {PortSpec{"", "", "80", "tcp"}};
  crun::test::RecordingConsole console;
  bool pulled = false;
  Error error = error_of([&] { engine->run(spec, console, [&] { pulled = true; }); });
  EXPECT_EQ(error.code(), Errc::usage);
  EXPECT_FALSE(pulled);
  for (const auto& call : calls()) {
    EXPECT_NE(call["argv"][0], "run");
    EXPECT_NE(call["argv"][0], "image");
  }
}

TEST_F(AppleEngineTest, PullNeverRefusesAMissingImageWithoutRunningIt)
{
  auto engine = connect_apple(k_standin, env, 20s);
  RunSpec spec;
  spec.image = core::ImageRef::parse("127.0.0.1:5857/nosuch:1");
  spec.image_name = spec.image.str();
  spec.platform = core::Platform{"linux", "arm64", ""};
  spec.pull = PullPolicy::never;
  crun::test::RecordingConsole console;
  Error error = error_of([&] { engine->run(spec, console, [] {}); });
  EXPECT_EQ(error.code(), Errc::not_found);
  EXPECT_NE(error.message().find("--pull=never"), std::string::npos);
  for (const auto& call : calls()) {
    EXPECT_NE(call["argv"][0], "run");
  }
}

} // namespace
} // namespace crun::backends::apple
