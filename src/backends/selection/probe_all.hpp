#pragma once
// Pings every candidate at once, each on its own thread, and waits for
// them together at most `timeout` plus a little: with nothing reachable
// the answer comes in about half a second, not half a second per socket.
// A probe still running at the deadline (a DNS lookup cannot be
// interrupted) is abandoned: its thread holds the prober and its result
// slot through shared pointers, so it may finish after we have returned.

#include <crun/backends/probe.hpp>
#include <crun/backends/selection/candidate.hpp>
#include <crun/backends/selection/host_lookup.hpp>
#include <crun/backends/selection/prober.hpp>
#include <crun/core/error.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace crun::backends::selection {

struct ProbeOutcome {
  enum class Status {
    answered,  ///< `result` holds the ping
    failed,    ///< the prober threw: `code` and `message`
    timed_out, ///< abandoned at the deadline
    absent,    ///< a unix socket whose file is not there: not pinged
    skipped,   ///< a candidate with a problem: not pinged
  };
  Status status = Status::skipped;
  std::optional<ProbeResult> result{};
  Errc code = Errc::engine_unavailable;
  std::string message{};
};

/// One outcome per candidate, in the same order. Never throws (except
/// std::bad_alloc); a thread that cannot be started counts as failed.
std::vector<ProbeOutcome> probe_all(const std::vector<Candidate>& candidates,
                                    const HostLookup& host,
                                    const std::shared_ptr<const Prober>& prober,
                                    std::chrono::milliseconds timeout);

} // namespace crun::backends::selection
