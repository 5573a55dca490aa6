// Test support: the strict stand-in for Apple's `container` CLI
// (tests/apple/container, tests/apple/README.md) as the integration tests use
// it. One AppleStandin is one Mac: a private state directory (its images,
// containers and service) and an argv log, both under a temp dir, and every
// container and image it made removed again at the end (from the stand-in
// and from the bench's Podman service that does the work).
#pragma once

#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace crun::test {

class AppleStandin {
public:
  AppleStandin();
  ~AppleStandin(); // cleanup()
  AppleStandin(const AppleStandin&) = delete;
  AppleStandin& operator=(const AppleStandin&) = delete;

  // The directory of the stand-in: $CRUN_APPLE_STANDIN_DIR, else the source
  // tree's tests/apple that CMake passes (CRUN_APPLE_STANDIN_DIR_DEFAULT).
  static std::string dir();
  // dir()/container: what crun-any must find on PATH and run.
  static std::string executable();
  // Why the stand-in cannot run here (not there, no python3), or nullopt.
  static std::optional<std::string> unavailable();

  const std::string& state() const { return m_state; }  // CRUN_STANDIN_STATE
  const std::string& log_path() const { return m_log; } // CRUN_STANDIN_LOG
  // The Podman label value of this state's containers (crun-standin.ns=<ns>).
  std::string ns() const;

  // The environment crun-any runs with to find this stand-in: PATH with
  // dir() first, CRUN_STANDIN_STATE, CRUN_STANDIN_LOG (for ProcessOptions::env_set).
  std::vector<std::string> crun_env() const;

  // The stand-in itself, as a user types `container ...` (with this state,
  // not logged, none of the test's own CONTAINER_* variables), plus `options`.
  ProcessResult cli(const std::vector<std::string>& args, ProcessOptions options = {}) const;

  // Every call logged so far, one JSON object each (tests/apple/README.md:
  // argv, argv0, env, tty, ...). A line that is not JSON is a test failure.
  std::vector<nlohmann::json> log() const;
  // Empties the log (calls before it are forgotten).
  void clear_log() const;

  // IDs of the stand-in's containers (`container ls -a --format json`), all
  // of them or those with label key=value.
  std::vector<std::string> containers() const;
  std::vector<std::string> containers_labelled(const std::string& key,
                                               const std::string& value) const;
  // Names of the Podman containers behind this state (label crun-standin.ns).
  std::vector<std::string> podman_containers() const;

  // What every call crun-any made must look like (gtest failures otherwise):
  // argv0 is the absolute path of executable(); no CONTAINER_* variable in
  // the environment; every `run`, `create` and `image pull` carries
  // --platform and `--progress none`; no `--scheme auto`. Returns the calls.
  std::vector<nlohmann::json> expect_every_call_well_formed() const;

  // Removes every container and image of this state (stand-in first, then
  // Podman by label as a safety net). Called by the destructor.
  void cleanup();

private:
  TempDir m_temp{"crun-apple"};
  std::string m_state, m_log;
  bool m_cleaned = false;
};

// One logged call, read with the real CLI's grammar for the options that
// matter here: the command words ("run", "image pull", ...), its options up
// to the first positional (values split off "--x=v" and "-xV"; flags of a
// pack "-it" one by one, as "-i" and "-t"), and the positionals (for `run`,
// IMAGE and the workload's argv).
struct AppleCall {
  std::string command; // "run", "create", "image pull", "inspect", "system status", ...
  std::vector<std::pair<std::string, std::optional<std::string>>> options;
  std::vector<std::string> positionals;
  std::vector<std::string> argv; // as logged (without argv[0])

  static AppleCall parse(const nlohmann::json& entry);
  bool is_run() const { return command == "run" || command == "create"; }
  bool is_pull() const { return command == "image pull"; }
  // The values given to the option spelled any of `names` ({"-e", "--env"}), in order.
  std::vector<std::string> values(const std::vector<std::string>& names) const;
  // Whether the flag or option spelled any of `names` is there.
  bool has(const std::vector<std::string>& names) const;
};

} // namespace crun::test
