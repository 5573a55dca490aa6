#pragma once
// The `container run` child's stderr, copied to crun-any's stderr as it
// arrives while its last few KiB are kept (flat memory), so that a failure
// of the CLI itself can be told from the workload's own output afterwards.

#include <crun/transport/unique_fd.hpp>

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>

namespace crun::backends::apple {

class StderrRelay {
public:
  static constexpr std::size_t k_tail_bytes = 8 * 1024;

  /// Starts copying from `pipe` (this process's end) to descriptor `out`.
  /// When a write to `out` fails, the pipe is closed and the copying ends:
  /// the child's next write to it fails (EPIPE), as it would on `out`.
  StderrRelay(transport::UniqueFd pipe, int out);
  StderrRelay(const StderrRelay&) = delete;
  StderrRelay& operator=(const StderrRelay&) = delete;
  /// Joins (see finish).
  ~StderrRelay();

  /// Waits for the end of the pipe, or at most `linger` once called (a
  /// process the child left behind may hold the pipe open), then joins.
  /// Safe to call twice. Never fails.
  void finish(std::chrono::milliseconds linger = std::chrono::milliseconds(2000)) noexcept;
  /// The last bytes seen (at most k_tail_bytes). Call after finish().
  std::string tail() const;

private:
  void loop();

  transport::UniqueFd m_pipe;
  int m_out;
  std::atomic<bool> m_finishing{false};
  std::atomic<std::int64_t> m_deadline_ms{0};
  mutable std::mutex m_mutex;
  std::string m_tail;
  std::thread m_thread;
};

} // namespace crun::backends::apple
