#include "support/bench_fixtures.hpp"

#include <exception>

namespace crun::test {

void use_bench(Bench& bench)
{
  if (auto why = Bench::unavailable()) {
    if (bench_required()) {
      GTEST_FAIL() << *why << " (CRUN_ANY_REQUIRE_BENCH=1: the bench is required)";
    }
    GTEST_SKIP() << *why;
  }
  try {
    bench = Bench::get();
  } catch (const std::exception& error) {
    GTEST_FAIL() << error.what(); // an env file that lacks keys: a bench to fix, not to skip
  }
}

void PrintTo(const Backend& backend, std::ostream* out)
{
  *out << backend.name;
}

std::string backend_name(const ::testing::TestParamInfo<Backend>& info)
{
  return info.param.name;
}

const std::vector<std::string> k_engine_variables = {"DOCKER_HOST",
                                                     "DOCKER_CONTEXT",
                                                     "DOCKER_TLS_VERIFY",
                                                     "DOCKER_CERT_PATH",
                                                     "CONTAINER_HOST",
                                                     "CONTAINER_CONNECTION",
                                                     "CRUN_ANY_BACKEND",
                                                     "XDG_CONFIG_HOME",
                                                     "CONTAINERS_CONF",
                                                     "PODMAN_CONNECTIONS_CONF",
                                                     "CONTAINERS_STORAGE_CONF",
                                                     "CRUN_ANY_PLATFORM",
                                                     "DOCKER_DEFAULT_PLATFORM",
                                                     "CRUN_ANY_PODMAN_IDLE_TIMEOUT",
                                                     "XDG_DATA_HOME",
                                                     "CRUN_ANY_LOCKFILE"};

std::string EngineTest::host() const
{
  return backend() == "docker" ? bench.docker_host : bench.podman_host;
}

ProcessResult EngineTest::crun(std::vector<std::string> args, ProcessOptions options) const
{
  options.env_unset.insert(options.env_unset.end(), k_engine_variables.begin(),
                           k_engine_variables.end());
  options.env_set.emplace_back("NO_COLOR=1");
  args.insert(args.begin(), {"--backend", backend(), "--host", host()});
  return run_crun_any(args, options);
}

std::vector<std::string> EngineTest::crun_argv(std::vector<std::string> args) const
{
  args.insert(args.begin(), {crun_any_bin(), "--backend", backend(), "--host", host()});
  return args;
}

ProcessResult EngineTest::engine_cli(const std::vector<std::string>& args,
                                     const ProcessOptions& options) const
{
  return backend() == "docker" ? run_docker(args, options) : run_podman(args, options);
}

} // namespace crun::test
