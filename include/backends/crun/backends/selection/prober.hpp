#pragma once
// The seam through which selection pings an endpoint, so that ranking,
// deduplication and explanations are tested over fake engines.

#include <crun/backends/probe.hpp>
#include <crun/transport/endpoint.hpp>

#include <chrono>

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
};

/// Pings for real: probe_engine (one GET /_ping).
class EngineProber final : public Prober {
public:
  ProbeResult probe(const transport::Endpoint& endpoint,
                    std::chrono::milliseconds timeout) const override
  {
    return probe_engine(endpoint, timeout);
  }
};

} // namespace crun::backends::selection
