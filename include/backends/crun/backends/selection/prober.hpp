#pragma once
// The seam through which selection asks a candidate what it is: an endpoint
// is pinged, a CLI-driven engine's executable is run. Behind an interface so
// that ranking, deduplication and explanations are tested over fake engines
// (and, for Apple, over a fake CLI on any OS).

#include <crun/backends/apple/apple_engine.hpp>
#include <crun/backends/probe.hpp>
#include <crun/core/env.hpp>
#include <crun/core/error.hpp>
#include <crun/transport/endpoint.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace crun::backends::selection {

class Prober {
public:
  virtual ~Prober() = default;
  /// What answers at `endpoint`, returning or throwing within about
  /// `timeout` (twice it at most: selection waits for every probe, so a
  /// probe must be bounded by its own deadlines). Throws as probe_engine:
  /// Error(Errc::engine_unavailable) when nothing answers, Error(Errc::protocol)
  /// when what answers is no container engine; other Errors (unusable TLS
  /// files) are possible. Called from several threads at once.
  virtual ProbeResult probe(const transport::Endpoint& endpoint,
                            std::chrono::milliseconds timeout) const = 0;

  /// What Apple's `container` CLI at `executable` (absolute) says of itself
  /// and its service, each child within `timeout`. Throws as
  /// apple::probe_apple: Error(Errc::engine_unavailable) when the service is
  /// down or the CLI cannot run, Error(Errc::engine_error) for an unknown
  /// version or a client/server skew, Error(Errc::protocol) for unreadable
  /// output. Called from several threads at once.
  virtual apple::AppleStatus probe_cli(const std::string& executable,
                                       std::chrono::milliseconds timeout) const = 0;
};

/// Asks for real: probe_engine (one GET /_ping) for an endpoint,
/// apple::probe_apple (the CLI run with `env`) for Apple's CLI.
class EngineProber final : public Prober {
public:
  /// Without an environment: enough for pings, not for running a CLI,
  /// whose children would start with none.
  EngineProber() = default;
  /// `env` is crun-any's environment, which the CLI's children start from.
  explicit EngineProber(Env env) : m_env(std::move(env)) {}

  ProbeResult probe(const transport::Endpoint& endpoint,
                    std::chrono::milliseconds timeout) const override
  {
    return probe_engine(endpoint, timeout);
  }

  apple::AppleStatus probe_cli(const std::string& executable,
                               std::chrono::milliseconds timeout) const override
  {
    return apple::probe_apple(executable, m_env, timeout);
  }

private:
  Env m_env{};
};

/// What probing one candidate gave.
struct ProbeOutcome {
  enum class Status {
    answered, ///< `result` (an endpoint) or `cli` (a CLI) holds the answer
    failed,   ///< the prober threw: `code` and `message`
    absent,   ///< nothing there (no socket file, no CLI): not probed; `message` says so
    skipped,  ///< a candidate with a problem: not probed
  };
  Status status = Status::skipped;
  std::optional<ProbeResult> result{};
  std::optional<apple::AppleStatus> cli{};
  Errc code = Errc::engine_unavailable;
  std::string message{};
};

} // namespace crun::backends::selection
