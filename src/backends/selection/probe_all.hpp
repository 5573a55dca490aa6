#pragma once
// Pings every candidate at once, each on its own thread, and waits for all
// of them: with nothing reachable the answer comes in about the probes'
// timeout, not the timeout times the number of sockets. No thread outlives
// the call: each probe is bounded by its own deadlines (see Prober). How a
// candidate is probed is its engine kind's (engine_kinds.hpp).

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

/// One outcome per candidate, in the same order, once every probe has
/// returned. Never throws (except std::bad_alloc); a thread that cannot be
/// started counts as failed.
std::vector<ProbeOutcome> probe_all(const std::vector<Candidate>& candidates,
                                    const HostLookup& host, const Prober& prober,
                                    std::chrono::milliseconds timeout);

} // namespace crun::backends::selection
