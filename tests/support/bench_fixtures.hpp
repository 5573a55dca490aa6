// Test support: the gtest fixtures of the integration suites. Each loads the
// bench in SetUp, or skips the test saying why the bench cannot be used here
// (it fails instead under CRUN_ANY_REQUIRE_BENCH=1); EngineTest runs a case
// once per API engine of the bench, with crun-any and the engine's own CLI
// pointed at that engine.
#pragma once

#include "support/bench.hpp"
#include "support/process.hpp"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

namespace crun::test {

// Loads the bench into `bench` for the running test; when the bench cannot
// be used (Bench::unavailable()), skips the test with the reason, or fails
// it when bench_required(). A SetUp that goes on after it checks IsSkipped()
// and HasFatalFailure() first.
void use_bench(Bench& bench);

// A fixture base (::testing::Test, or TestWithParam<T>) with the bench.
template <class Base>
class WithBench : public Base {
protected:
  void SetUp() override { use_bench(bench); }

  Bench bench; // loaded in SetUp; empty in a skipped test
};

using BenchTest = WithBench<::testing::Test>;

struct Backend {
  std::string name; // --backend value
};

void PrintTo(const Backend& backend, std::ostream* out);

// The bench's API engines, and their names for test names:
// INSTANTIATE_TEST_SUITE_P(Engines, Suite, bench_engines(), backend_name).
inline auto bench_engines()
{
  return ::testing::Values(Backend{"docker"}, Backend{"podman"});
}
std::string backend_name(const ::testing::TestParamInfo<Backend>& info);

// Every variable that could point crun-any at an engine, a configuration or
// a platform other than the ones a test names; unset for crun() and by the
// suites that run crun-any themselves.
extern const std::vector<std::string> k_engine_variables;

class EngineTest : public WithBench<::testing::TestWithParam<Backend>> {
protected:
  const std::string& backend() const { return GetParam().name; }
  // The bench engine of this backend: unix://... of dockerd or Podman.
  std::string host() const;

  // crun-any --backend <backend> --host <host> args..., with none of
  // k_engine_variables and NO_COLOR=1, plus `options`.
  ProcessResult crun(std::vector<std::string> args, ProcessOptions options = {}) const;
  // The same command line, for ChildProcess and run_in_pty.
  std::vector<std::string> crun_argv(std::vector<std::string> args) const;
  // The engine's own CLI (docker or podman --remote) against the same engine.
  ProcessResult engine_cli(const std::vector<std::string>& args,
                           const ProcessOptions& options = {}) const;
};

} // namespace crun::test
