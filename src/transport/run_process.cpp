// run_process: one poll loop over the child's stdin (written without
// blocking) and its stdout and stderr, then the wait, all against one
// deadline.

#include <crun/transport/run_process.hpp>

#include "sigpipe_block.hpp"

#include <crun/core/error.hpp>

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <optional>
#include <thread>

namespace crun::transport {
namespace {

using Clock = std::chrono::steady_clock;
using detail::SigpipeBlock;

// Milliseconds left until `deadline` for poll: -1 without one, 0 once passed.
int poll_timeout(const std::optional<Clock::time_point>& deadline)
{
  if (!deadline) {
    return -1;
  }
  auto left = std::chrono::ceil<std::chrono::milliseconds>(*deadline - Clock::now());
  return left.count() <= 0 ? 0 : static_cast<int>(std::min<long long>(left.count(), 1 << 30));
}

class Pump {
public:
  Pump(ChildProcess& child, std::string_view input, const RunLimits& limits,
       CompletedProcess& result)
    : m_child(child), m_input(input), m_limits(limits), m_result(result)
  {
    if (limits.timeout) {
      m_deadline = Clock::now() + *limits.timeout;
    }
    if (m_child.stdin_pipe().get() >= 0) {
      int flags = ::fcntl(m_child.stdin_pipe().get(), F_GETFL);
      ::fcntl(m_child.stdin_pipe().get(), F_SETFL, flags | O_NONBLOCK);
      if (m_input.empty()) {
        m_child.stdin_pipe().reset();
      }
    }
  }

  // Until both outputs end; false when the child was killed on the way.
  bool run()
  {
    SigpipeBlock block;
    char buffer[64 * 1024];
    while (m_child.stdin_pipe().get() >= 0 || m_child.stdout_pipe().get() >= 0 ||
           m_child.stderr_pipe().get() >= 0) {
      if (m_deadline && Clock::now() >= *m_deadline) {
        return kill(m_result.timed_out); // even while output keeps coming
      }
      pollfd fds[3] = {{m_child.stdin_pipe().get(), POLLOUT, 0},
                       {m_child.stdout_pipe().get(), POLLIN, 0},
                       {m_child.stderr_pipe().get(), POLLIN, 0}};
      int ready = ::poll(fds, 3, poll_timeout(m_deadline)); // fd -1 entries are ignored
      if (ready < 0 && errno == EINTR) {
        continue;
      }
      if (ready == 0) {
        return kill(m_result.timed_out);
      }
      if (fds[0].revents != 0 && !write_some(block)) {
        m_child.stdin_pipe().reset();
      }
      if (fds[1].revents != 0 && !read_some(m_child.stdout_pipe(), m_result.out, buffer)) {
        m_child.stdout_pipe().reset();
      }
      if (fds[2].revents != 0 && !read_some(m_child.stderr_pipe(), m_result.err, buffer)) {
        m_child.stderr_pipe().reset();
      }
      if (m_result.out.size() + m_result.err.size() > m_limits.output_limit) {
        return kill(m_result.over_limit);
      }
    }
    return true;
  }

  // The child's end, within what is left of the deadline.
  void wait()
  {
    if (!m_deadline) {
      m_result.status = m_child.wait();
      return;
    }
    auto pause = std::chrono::milliseconds(1);
    while (!m_child.try_wait()) {
      if (Clock::now() >= *m_deadline) {
        kill(m_result.timed_out);
        return;
      }
      std::this_thread::sleep_for(pause);
      pause = std::min(pause * 2, std::chrono::milliseconds(50));
    }
    m_result.status = *m_child.try_wait();
  }

private:
  bool kill(bool& reason)
  {
    reason = true;
    m_child.send_signal(SIGKILL);
    m_result.status = m_child.wait();
    return false;
  }

  // False when stdin is done with: all written, or the child closed it.
  bool write_some(SigpipeBlock& block)
  {
    ssize_t written = ::write(m_child.stdin_pipe().get(), m_input.data(), m_input.size());
    if (written < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
        return true;
      }
      if (errno == EPIPE) {
        block.raised();
      }
      return false;
    }
    m_input.remove_prefix(static_cast<std::size_t>(written));
    return !m_input.empty();
  }

  // False at the end of the stream (or a read error, which ends it too).
  static bool read_some(UniqueFd& fd, std::string& out, char (&buffer)[64 * 1024])
  {
    ssize_t got = ::read(fd.get(), buffer, sizeof buffer);
    if (got < 0) {
      return errno == EINTR || errno == EAGAIN;
    }
    out.append(buffer, static_cast<std::size_t>(got));
    return got > 0;
  }

  ChildProcess& m_child;
  std::string_view m_input;
  const RunLimits& m_limits;
  CompletedProcess& m_result;
  std::optional<Clock::time_point> m_deadline;
};

} // namespace

std::variant<CompletedProcess, StartFailure> run_process(const ProcessSpec& spec,
                                                         std::string_view input,
                                                         const RunLimits& limits)
{
  if (!input.empty() && spec.in.mode != ChildStream::Mode::pipe) {
    fail(Errc::internal, "cannot give {} its input: its stdin is not a pipe", spec.executable);
  }
  auto started = start_process(spec);
  if (auto* failure = std::get_if<StartFailure>(&started)) {
    return *failure;
  }
  auto& child = std::get<ChildProcess>(started);
  CompletedProcess result;
  Pump pump(child, input, limits, result);
  if (pump.run()) {
    pump.wait();
  }
  return result;
}

} // namespace crun::transport
