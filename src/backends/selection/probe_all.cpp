#include "probe_all.hpp"

#include <fmt/format.h>

#include <system_error>
#include <thread>

namespace crun::backends::selection {
namespace {

ProbeOutcome ping(const Prober& prober, const transport::Endpoint& endpoint,
                  std::chrono::milliseconds timeout)
{
  ProbeOutcome outcome;
  try {
    outcome.result = prober.probe(endpoint, timeout);
    outcome.status = ProbeOutcome::Status::answered;
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
  ~Threads()
  {
    for (auto& thread : m_threads) {
      thread.join();
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
  {
    Threads threads;
    threads.reserve(candidates.size());
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      const Candidate& candidate = candidates[i];
      if (!candidate.problem.empty() || !candidate.endpoint) {
        continue; // skipped
      }
      const transport::Endpoint& endpoint = *candidate.endpoint;
      if (endpoint.kind == transport::Endpoint::Kind::unix_socket && !host.exists(endpoint.path)) {
        outcomes[i] = ProbeOutcome{ProbeOutcome::Status::absent,
                                   {},
                                   Errc::engine_unavailable,
                                   fmt::format("no socket at {}", endpoint.path)};
        continue;
      }
      // Each thread writes its own slot only, and is joined before the
      // slots are read.
      ProbeOutcome& slot = outcomes[i];
      try {
        threads.start(
          [&prober, &endpoint, &slot, timeout] { slot = ping(prober, endpoint, timeout); });
      } catch (const std::system_error& e) {
        slot = ProbeOutcome{ProbeOutcome::Status::failed,
                            {},
                            Errc::internal,
                            fmt::format("cannot start a thread to ping it: {}", e.what())};
      }
    }
  }
  return outcomes;
}

} // namespace crun::backends::selection
