#pragma once
// Pings every candidate at once, each on its own thread, and waits for all
// of them: with nothing reachable the answer comes in about the probes'
// timeout, not the timeout times the number of sockets. No thread outlives
// the call: each probe is bounded by its own socket deadlines (see Prober).

#include <crun/backends/probe.hpp>
#include <crun/backends/selection/candidate.hpp>
#include <crun/backends/selection/host_lookup.hpp>
#include <crun/backends/selection/prober.hpp>
#include <crun/core/error.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace crun::backends::selection {

struct ProbeOutcome {
  enum class Status {
    answered, ///< `result` holds the ping
    failed,   ///< the prober threw: `code` and `message`
    absent,   ///< a unix socket whose file is not there: not pinged
    skipped,  ///< a candidate with a problem: not pinged
  };
  Status status = Status::skipped;
  std::optional<ProbeResult> result{};
  Errc code = Errc::engine_unavailable;
  std::string message{};
};

/// One outcome per candidate, in the same order, once every probe has
/// returned. Never throws (except std::bad_alloc); a thread that cannot be
/// started counts as failed.
std::vector<ProbeOutcome> probe_all(const std::vector<Candidate>& candidates,
                                    const HostLookup& host, const Prober& prober,
                                    std::chrono::milliseconds timeout);

} // namespace crun::backends::selection
