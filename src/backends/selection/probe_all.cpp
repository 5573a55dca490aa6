#include "probe_all.hpp"

#include <crun/backends/selection/engine_kinds.hpp>

#include <fmt/format.h>

#include <system_error>
#include <thread>

namespace crun::backends::selection {
namespace {

// Probes `candidate` the way its kind is probed; a failure becomes the outcome.
ProbeOutcome probe_one(const EngineKindEntry& kind, const Candidate& candidate,
                       const Prober& prober, std::chrono::milliseconds timeout)
{
  ProbeOutcome outcome;
  try {
    outcome = kind.probe(candidate, prober, timeout);
  } catch (const Error& error) {
    outcome.status = ProbeOutcome::Status::failed;
    outcome.code = error.code();
    outcome.message = error.message();
  } catch (const std::exception& e) {
    outcome.status = ProbeOutcome::Status::failed;
    outcome.code = Errc::internal;
    outcome.message = e.what();
  }
  return outcome;
}

// Joins every thread it holds when it goes, however probe_all is left.
class Threads {
public:
  Threads() = default;
  Threads(const Threads&) = delete;
  Threads& operator=(const Threads&) = delete;
  ~Threads() { join_all(); }
  void join_all()
  {
    for (auto& thread : m_threads) {
      if (thread.joinable()) {
        thread.join();
      }
    }
  }
  void reserve(std::size_t n) { m_threads.reserve(n); }
  template <class F>
  void start(F&& f)
  {
    m_threads.emplace_back(std::forward<F>(f));
  }

private:
  std::vector<std::thread> m_threads;
};

} // namespace

std::vector<ProbeOutcome> probe_all(const std::vector<Candidate>& candidates,
                                    const HostLookup& host, const Prober& prober,
                                    std::chrono::milliseconds timeout)
{
  std::vector<ProbeOutcome> outcomes(candidates.size());
  std::vector<std::size_t> to_probe;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const Candidate& candidate = candidates[i];
    const EngineKindEntry& kind = engine_kind(candidate.expected);
    if (!candidate.problem.empty()) {
      continue; // skipped
    }
    ProbeOutcome& slot = outcomes[i];
    slot.code = Errc::engine_unavailable;
    if (kind.target == EngineKindEntry::Target::executable) {
      if (candidate.executable.empty()) {
        slot.status = ProbeOutcome::Status::absent;
        slot.message = std::string(kind.not_found);
        continue;
      }
    } else {
      if (!candidate.endpoint) {
        continue; // skipped
      }
      const transport::Endpoint& endpoint = *candidate.endpoint;
      if (endpoint.kind == transport::Endpoint::Kind::unix_socket && !host.exists(endpoint.path)) {
        slot.status = ProbeOutcome::Status::absent;
        slot.message = fmt::format("no socket at {}", endpoint.path);
        continue;
      }
    }
    to_probe.push_back(i);
  }
  // One candidate (DOCKER_HOST, --host, a single socket) needs no thread:
  // starting one costs about a millisecond of every command.
  if (to_probe.size() == 1) {
    std::size_t i = to_probe.front();
    outcomes[i] = probe_one(engine_kind(candidates[i].expected), candidates[i], prober, timeout);
    return outcomes;
  }
  Threads threads;
  threads.reserve(to_probe.size());
  for (std::size_t i : to_probe) {
    const Candidate& candidate = candidates[i];
    const EngineKindEntry& kind = engine_kind(candidate.expected);
    ProbeOutcome& slot = outcomes[i];
    // Each thread writes its own slot only, and is joined before the
    // slots are read.
    try {
      threads.start([&kind, &candidate, &prober, &slot, timeout] {
        slot = probe_one(kind, candidate, prober, timeout);
      });
    } catch (const std::system_error& e) {
      slot.status = ProbeOutcome::Status::failed;
      slot.code = Errc::internal;
      slot.message = fmt::format("cannot start a thread to probe it: {}", e.what());
    }
  }
  threads.join_all();
  return outcomes;
}

} // namespace crun::backends::selection
