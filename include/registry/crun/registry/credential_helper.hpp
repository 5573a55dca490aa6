#pragma once
// docker-credential-helpers (`docker-credential-<name> get`): the server URL
// on stdin, {"ServerURL","Username","Secret"} on stdout. Running the process
// sits behind HelperRunner, so that the protocol is tested without processes.

#include <crun/core/env.hpp>
#include <crun/registry/credentials.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crun::registry {

struct HelperResult {
  int exit_status = 0;  ///< the exit status; 128+N when killed by signal N
  std::string output{}; ///< everything written to stdout (may hold a secret)
};

/// Runs a program with an argument vector (never a shell), `input` on its
/// stdin, and collects its stdout.
class HelperRunner {
public:
  virtual ~HelperRunner() = default;
  /// Runs `argv` (argv[0] a program name looked up in PATH's absolute
  /// entries: never in the working directory, see util/path_lookup.hpp).
  /// Throws Error(Errc::internal) for an empty `argv`;
  /// Error(Errc::invalid_input) when argv[0] is not found in PATH or
  /// cannot be started; Error(Errc::engine_error) when it does not finish in
  /// time or writes too much (it is killed). Messages name the program,
  /// never `input` or output.
  virtual HelperResult run(const std::vector<std::string>& argv, std::string_view input) = 0;
};

/// Runs helpers with transport::run_process: PATH and the child's
/// environment come from `env`; stderr is discarded (helpers may print
/// secrets on failure); a helper still running after `timeout`, or writing
/// more than 1 MiB, is killed.
class SpawnHelperRunner final : public HelperRunner {
public:
  /// Nothing runs until run(). Never fails.
  explicit SpawnHelperRunner(Env env, std::chrono::milliseconds timeout = std::chrono::seconds(30));
  /// See HelperRunner::run.
  HelperResult run(const std::vector<std::string>& argv, std::string_view input) override;

private:
  Env m_env;
  std::chrono::milliseconds m_timeout;
};

/// Asks `docker-credential-<helper> get` for `server_url` ("host:port", or
/// "https://index.docker.io/v1/" for Docker Hub), through `runner`.
/// A Username of "<token>" means the Secret is an identity token, as docker
/// stores it. Returns std::nullopt when the helper has none (it exits
/// non-zero saying "credentials not found", or answers with an empty Secret).
/// Throws Error(Errc::invalid_input) when `helper` is not a plain name
/// (letters, digits, "-", "_", "."; no ".."); as `runner`; and
/// Error(Errc::engine_error) when the helper fails
/// otherwise or answers with something that is not its JSON; messages name
/// the helper and `server_url`, never its output.
std::optional<Credentials> query_credential_helper(HelperRunner& runner, std::string_view helper,
                                                   std::string_view server_url);

} // namespace crun::registry
