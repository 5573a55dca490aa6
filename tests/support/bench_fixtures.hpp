// Test support: the gtest fixtures of the integration suites. Each loads the
// bench in SetUp, or skips the test saying why the bench cannot be used here
// (it fails instead under CRUN_ANY_REQUIRE_BENCH=1); EngineTest runs a case
// once per engine of the bench, with crun-any and the engine's own CLI
// pointed at that engine: dockerd, the Podman service, or (backend "apple")
// the stand-in for Apple's `container` CLI (support/apple_standin.hpp).
#pragma once

#include "support/apple_standin.hpp"
#include "support/bench.hpp"
#include "support/process.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
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
// The API engines and Apple's CLI through its stand-in, for the suites that
// run on all three (EngineTest's helpers are backend-aware).
inline auto bench_engines_and_apple()
{
  return ::testing::Values(Backend{"docker"}, Backend{"podman"}, Backend{"apple"});
}
std::string backend_name(const ::testing::TestParamInfo<Backend>& info);

// Every variable that could point crun-any at an engine, a configuration or
// a platform other than the ones a test names; unset for crun() and by the
// suites that run crun-any themselves.
extern const std::vector<std::string> k_engine_variables;

// crun-any --backend apple args..., finding `standin` first on PATH with its
// state and log, with none of k_engine_variables and NO_COLOR=1, plus
// `options` (whose env_set comes last, so it can override).
ProcessResult run_crun_any_on_apple(const AppleStandin& standin, std::vector<std::string> args,
                                    ProcessOptions options = {});
// The same command line for ChildProcess and run_in_pty: /usr/bin/env gives
// it that environment, plus `env` ("K=V"), then execs crun-any (same PID).
std::vector<std::string> crun_any_on_apple_argv(const AppleStandin& standin,
                                                std::vector<std::string> args,
                                                const std::vector<std::string>& env = {});

// What the engine's own CLI says about an image, read the engine's way:
// `docker|podman image inspect` or Apple's `container image inspect`.
// (nlohmann::json's implicit members are noexcept; clang-tidy cannot see it.)
struct EngineImage { // NOLINT(bugprone-exception-escape)
  std::string id;    // "sha256:<hex>" (Podman's and Apple's bare hex get the prefix)
  std::string os, architecture;
  nlohmann::json size;                   // Size; Apple: the variant's size (compressed bytes)
  std::vector<std::string> repo_digests; // RepoDigests; Apple keeps none
  nlohmann::json cmd;                    // Config.Cmd; Apple: the variant's config.config.Cmd
  std::string raw_id_key;                // where the ID is in the engine's own JSON ("Id", "id")
  nlohmann::json raw_id;                 // and its value there
};

// What the engine's own CLI says about a container (`inspect`).
struct EngineContainer {
  std::string id;
  std::string status;           // Docker's State.Status; Apple's status.state (running/stopped)
  std::optional<int> exit_code; // State.ExitCode; Apple has none (apple/container#1501)
};

class EngineTest : public WithBench<::testing::TestWithParam<Backend>> {
protected:
  void SetUp() override;
  // On apple: every call crun-any made to the stand-in during the test is
  // checked (AppleStandin::expect_every_call_well_formed), then everything
  // the stand-in holds is removed.
  void TearDown() override;

  const std::string& backend() const { return GetParam().name; }
  bool is_apple() const { return backend() == "apple"; }
  // The bench engine of this backend: unix://... of dockerd or Podman; empty
  // for apple (a CLI, no socket: --host is a usage error there).
  std::string host() const;
  // The stand-in of this test (apple only; one state directory per test).
  AppleStandin& apple() const;

  // crun-any --backend <backend> [--host <host>] args..., with none of
  // k_engine_variables and NO_COLOR=1, plus `options`. On apple: the
  // stand-in first on PATH, its state and log, and CRUN_ANY_PLATFORM=
  // k_apple_suite_platform.
  ProcessResult crun(std::vector<std::string> args, ProcessOptions options = {}) const;
  // The same command line, for ChildProcess and run_in_pty (on apple, through
  // /usr/bin/env to give it the same environment as crun()).
  std::vector<std::string> crun_argv(std::vector<std::string> args) const;
  // The engine's own CLI against the same engine: docker, podman --remote, or
  // the stand-in (Apple's own grammar: the helpers below speak each one).
  ProcessResult engine_cli(const std::vector<std::string>& args,
                           const ProcessOptions& options = {}) const;

  // IDs of every container (running or not) carrying label key=value.
  std::vector<std::string> containers_labelled(const std::string& key,
                                               const std::string& value) const;
  // IDs of every container (running or not) that the engine CLI's
  // `ps -a --filter <filter>` lists (docker and podman only).
  std::vector<std::string> containers_filtered(const std::string& filter) const;
  // Removes a container, running or not (a cleanup: failures are ignored).
  void remove_container(const std::string& id) const;
  // Sends `signal` ("KILL") to a running container; the CLI's result.
  ProcessResult kill_container(const std::string& id, const std::string& signal) const;
  // The engine's view of an image (nullopt, with a test failure, when its
  // CLI fails); `architecture` picks Apple's variant when it has several.
  std::optional<EngineImage> engine_image(const std::string& ref,
                                          const std::string& architecture = "") const;
  std::optional<EngineContainer> engine_container(const std::string& id) const;

private:
  std::unique_ptr<AppleStandin> m_apple;
};

// The platform the behaviour suite pins on apple: the bench's images are
// amd64 (Apple's Rosetta path) and Apple's native platform is linux/arm64,
// so a Mac user runs them with --platform or CRUN_ANY_PLATFORM, as here.
inline constexpr const char* k_apple_suite_platform = "linux/amd64";

} // namespace crun::test
