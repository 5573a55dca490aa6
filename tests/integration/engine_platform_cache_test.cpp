// The engine's native platform is asked once and remembered (issue 12:
// Podman's /libpod/info runs conmon and the OCI runtime, about 0.3 s of
// every `run`), under the identity of the engine's socket file, so that an
// engine that restarts is asked again. Observed through the fault proxy
// (with no fault), which lists every call crun-any makes.
#include "support/bench.hpp"
#include "support/bench_fixtures.hpp"
#include "support/fault_proxy.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;
using crun::test::Fault;
using crun::test::FaultProxy;
using crun::test::ProcessOptions;
using crun::test::ProcessResult;
using crun::test::TempDir;

std::string read_text(const std::filesystem::path& path)
{
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

class EnginePlatformCacheTest : public crun::test::EngineTest {
protected:
  void SetUp() override
  {
    EngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) {
      return;
    }
    ProcessResult pulled = crun({"pull", "-q", bench.image_small});
    ASSERT_EQ(pulled.exit_code, 0) << pulled.describe();
  }

  // The bench engine's socket path (host() is "unix://<path>").
  std::string engine_socket() const { return host().substr(std::string_view("unix://").size()); }

  // A proxy in front of the engine that changes nothing (its fault matches
  // no request) and lists the calls.
  std::unique_ptr<FaultProxy> proxy() const
  {
    return std::make_unique<FaultProxy>(FaultProxy::Listen::unix_socket, engine_socket(),
                                        Fault{Fault::Kind::close_early, "NONE", {}, 0});
  }

  // crun-any --backend <backend> --host <host> args..., with the cache under
  // this test's own XDG_CACHE_HOME.
  ProcessResult crun_at(const std::string& host, std::vector<std::string> args) const
  {
    ProcessOptions options;
    options.env_unset = crun::test::k_engine_variables;
    options.env_set = {"XDG_CACHE_HOME=" + m_cache.path(), "NO_COLOR=1"};
    options.timeout = 120s;
    args.insert(args.begin(), {"--backend", backend(), "--host", host});
    return crun::test::run_crun_any(args, options);
  }

  // How many of `proxy`'s calls asked the engine's own platform: libpod's
  // /info on Podman, /version on Docker.
  int native_platform_calls(const FaultProxy& proxy) const
  {
    const std::string call = backend() == "podman" ? "/libpod/info" : "/version";
    int calls = 0;
    for (const auto& line : proxy.requests()) {
      std::istringstream words(line);
      std::string method;
      std::string target;
      words >> method >> target;
      calls += method == "GET" && target.ends_with(call) ? 1 : 0;
    }
    return calls;
  }

  std::filesystem::path cache_file() const
  {
    return std::filesystem::path(m_cache.path()) / "crun-any" / "engines.json";
  }

  TempDir m_cache{"crun-cache"};
};

TEST_P(EnginePlatformCacheTest, TheNativePlatformIsAskedOnceThenRemembered)
{
  auto engine = proxy();
  for (const auto& args :
       std::vector<std::vector<std::string>>{{"run", "--rm", bench.image_small, "true"},
                                             {"run", "--rm", bench.image_small, "true"},
                                             {"pull", "-q", bench.image_small}}) {
    ProcessResult result = crun_at(engine->uri(), args);
    EXPECT_EQ(result.exit_code, 0) << result.describe();
  }
  EXPECT_EQ(native_platform_calls(*engine), 1);
  std::string cache = read_text(cache_file());
  EXPECT_THAT(cache, HasSubstr("\"endpoint\":\"" + engine->uri() + "\""));
  EXPECT_THAT(cache, HasSubstr("\"platform\":\"linux/"));
  // Only the user may read what engines they use.
  auto permissions = std::filesystem::status(cache_file().parent_path()).permissions();
  EXPECT_EQ(permissions & std::filesystem::perms::all, std::filesystem::perms::owner_all);
}

TEST_P(EnginePlatformCacheTest, AnEngineThatRestartsBehindTheSamePathIsAskedAgain)
{
  // The endpoint is a link: re-pointing it at a new socket is what an engine
  // restarting (or a VM recreated) behind one path looks like.
  TempDir dir("crun-link");
  std::filesystem::path link = std::filesystem::path(dir.path()) / "engine.sock";
  const std::string host = "unix://" + link.string();
  auto first = proxy();
  std::filesystem::create_symlink(first->uri().substr(7), link);
  EXPECT_EQ(crun_at(host, {"run", "--rm", bench.image_small, "true"}).exit_code, 0);
  EXPECT_EQ(crun_at(host, {"run", "--rm", bench.image_small, "true"}).exit_code, 0);
  EXPECT_EQ(native_platform_calls(*first), 1);

  auto second = proxy();
  std::filesystem::remove(link);
  std::filesystem::create_symlink(second->uri().substr(7), link);
  ProcessResult result = crun_at(host, {"run", "--rm", bench.image_small, "true"});
  EXPECT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_EQ(native_platform_calls(*second), 1);
}

TEST_P(EnginePlatformCacheTest, ADamagedOrUnwritableCacheCostsOnlyTheCall)
{
  auto engine = proxy();
  std::filesystem::create_directories(cache_file().parent_path());
  std::ofstream(cache_file()) << "{\"engines\": [{\"endpoint\": \"" << engine->uri()
                              << "\", \"identity\": 7}], \"version\": 1}";
  ProcessResult result = crun_at(engine->uri(), {"run", "--rm", bench.image_small, "true"});
  EXPECT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_EQ(result.err, "") << result.describe();
  EXPECT_EQ(native_platform_calls(*engine), 1);
  // Replaced by a good one, which the next run uses.
  EXPECT_THAT(read_text(cache_file()), HasSubstr("\"platform\":\"linux/"));
  EXPECT_EQ(crun_at(engine->uri(), {"run", "--rm", bench.image_small, "true"}).exit_code, 0);
  EXPECT_EQ(native_platform_calls(*engine), 1);

  // A cache that cannot be written: every run asks, and still runs.
  std::filesystem::remove_all(cache_file().parent_path());
  std::ofstream(cache_file().parent_path()) << "a file where the directory should be";
  for (int i = 0; i < 2; ++i) {
    result = crun_at(engine->uri(), {"run", "--rm", bench.image_small, "true"});
    EXPECT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_EQ(result.err, "") << result.describe();
  }
  EXPECT_EQ(native_platform_calls(*engine), 3);
}

INSTANTIATE_TEST_SUITE_P(Engines, EnginePlatformCacheTest, crun::test::bench_engines(),
                         crun::test::backend_name);

} // namespace
