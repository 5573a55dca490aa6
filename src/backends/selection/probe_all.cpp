#include "probe_all.hpp"

#include <fmt/format.h>

#include <condition_variable>
#include <mutex>
#include <system_error>
#include <thread>

namespace crun::backends::selection {
namespace {

// Time beyond the probes' own timeout for threads to report back.
constexpr std::chrono::milliseconds k_grace{250};

struct Board {
  std::mutex mutex;
  std::condition_variable done;
  std::vector<std::optional<ProbeOutcome>> outcomes;
  std::size_t pending = 0;
};

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

} // namespace

std::vector<ProbeOutcome> probe_all(const std::vector<Candidate>& candidates,
                                    const HostLookup& host,
                                    const std::shared_ptr<const Prober>& prober,
                                    std::chrono::milliseconds timeout)
{
  auto board = std::make_shared<Board>();
  board->outcomes.resize(candidates.size());
  auto deadline = std::chrono::steady_clock::now() + timeout + k_grace;

  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const Candidate& candidate = candidates[i];
    if (!candidate.problem.empty() || !candidate.endpoint) {
      board->outcomes[i] = ProbeOutcome{};
      continue;
    }
    const transport::Endpoint& endpoint = *candidate.endpoint;
    if (endpoint.kind == transport::Endpoint::Kind::unix_socket && !host.exists(endpoint.path)) {
      board->outcomes[i] = ProbeOutcome{ProbeOutcome::Status::absent, {}, Errc::engine_unavailable,
                                        fmt::format("no socket at {}", endpoint.path)};
      continue;
    }
    {
      std::lock_guard lock(board->mutex);
      ++board->pending;
    }
    try {
      std::thread([board, prober, endpoint, timeout, i] {
        ProbeOutcome outcome = ping(*prober, endpoint, timeout);
        std::lock_guard lock(board->mutex);
        board->outcomes[i] = std::move(outcome);
        --board->pending;
        board->done.notify_all();
      }).detach();
    } catch (const std::system_error& e) {
      std::lock_guard lock(board->mutex);
      --board->pending;
      board->outcomes[i] = ProbeOutcome{ProbeOutcome::Status::failed, {}, Errc::internal,
                                        fmt::format("cannot start a thread to ping it: {}", e.what())};
    }
  }

  std::unique_lock lock(board->mutex);
  board->done.wait_until(lock, deadline, [&] { return board->pending == 0; });
  std::vector<ProbeOutcome> result;
  result.reserve(candidates.size());
  for (auto& outcome : board->outcomes) {
    if (outcome) {
      result.push_back(*outcome);
    } else {
      result.push_back(ProbeOutcome{ProbeOutcome::Status::timed_out, {}, Errc::engine_unavailable,
                                    fmt::format("did not answer /_ping within {} ms",
                                                timeout.count())});
    }
  }
  return result;
}

} // namespace crun::backends::selection
