#include <crun/transport/process.hpp>

#include <fmt/format.h>

#include <sys/wait.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <thread>
#include <utility>

namespace crun::transport {
namespace {

ExitStatus decode(int status)
{
  if (WIFSIGNALED(status)) {
    return ExitStatus{0, WTERMSIG(status)};
  }
  return ExitStatus{WIFEXITED(status) ? WEXITSTATUS(status) : 0, 0};
}

} // namespace

std::string ExitStatus::str() const
{
  return signal != 0 ? fmt::format("killed by signal {}", signal) : fmt::format("exit {}", code);
}

std::string StartFailure::str() const
{
  if (call == "execve") {
    return std::strerror(error);
  }
  return fmt::format("{}: {}", call, std::strerror(error));
}

ChildProcess::ChildProcess(int pid, UniqueFd in, UniqueFd out, UniqueFd err,
                           UniqueFd terminal) noexcept
  : m_pid(pid), m_in(std::move(in)), m_out(std::move(out)), m_err(std::move(err)),
    m_terminal(std::move(terminal))
{
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
  : m_pid(std::exchange(other.m_pid, -1)), m_status(other.m_status), m_in(std::move(other.m_in)),
    m_out(std::move(other.m_out)), m_err(std::move(other.m_err)),
    m_terminal(std::move(other.m_terminal))
{
}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept
{
  if (this != &other) {
    if (m_pid > 0 && !m_status) {
      send_signal(SIGKILL);
      wait();
    }
    m_pid = std::exchange(other.m_pid, -1);
    m_status = other.m_status;
    m_in = std::move(other.m_in);
    m_out = std::move(other.m_out);
    m_err = std::move(other.m_err);
    m_terminal = std::move(other.m_terminal);
  }
  return *this;
}

ChildProcess::~ChildProcess()
{
  if (m_pid > 0 && !m_status) {
    send_signal(SIGKILL);
    wait();
  }
}

std::optional<ExitStatus> ChildProcess::try_wait() noexcept
{
  if (m_status || m_pid <= 0) {
    return m_status;
  }
  int status = 0;
  pid_t got;
  do {
    got = ::waitpid(m_pid, &status, WNOHANG);
  } while (got < 0 && errno == EINTR);
  if (got == m_pid) {
    m_status = decode(status);
  }
  return m_status;
}

ExitStatus ChildProcess::wait() noexcept
{
  if (m_status || m_pid <= 0) {
    return m_status.value_or(ExitStatus{});
  }
  int status = 0;
  pid_t got;
  do {
    got = ::waitpid(m_pid, &status, 0);
  } while (got < 0 && errno == EINTR);
  // ECHILD (someone else reaped it, SIGCHLD ignored): nothing to learn.
  m_status = got == m_pid ? decode(status) : ExitStatus{};
  return *m_status;
}

void ChildProcess::send_signal(int signal) noexcept
{
  if (m_pid > 0 && !m_status) {
    ::kill(m_pid, signal);
  }
}

ExitStatus ChildProcess::stop(std::chrono::milliseconds grace) noexcept
{
  send_signal(SIGTERM);
  auto deadline = std::chrono::steady_clock::now() + grace;
  while (!try_wait() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  send_signal(SIGKILL);
  return wait();
}

void ChildProcess::release() noexcept
{
  m_pid = -1;
  m_in.reset();
  m_out.reset();
  m_err.reset();
  m_terminal.reset();
}

} // namespace crun::transport
