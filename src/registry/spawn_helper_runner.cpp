// Runs a credential helper as docker does (os/exec, no shell): posix_spawn
// with an argument vector, stdin and stdout on pipes, stderr to /dev/null.

#include <crun/transport/unique_fd.hpp>
#include <crun/registry/credential_helper.hpp>

#include <crun/core/error.hpp>
#include <crun/util/path_lookup.hpp>

#include <cerrno>
#include <chrono>
#include <cstring>

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

namespace crun::registry {

namespace {

using Clock = std::chrono::steady_clock;

// Helpers answer with a few hundred bytes; this only stops a runaway one.
constexpr std::size_t k_output_limit = 1024 * 1024;

using Fd = transport::UniqueFd;

// A pipe whose ends are not inherited by other processes (posix_spawn's
// dup2 clears the flag on the child's 0 and 1 only).
void make_pipe(Fd& read_end, Fd& write_end, const std::string& program)
{
  int fds[2];
  if (::pipe(fds) != 0) {
    fail(Errc::engine_error, "cannot run {}: pipe: {}", program, std::strerror(errno));
  }
  ::fcntl(fds[0], F_SETFD, FD_CLOEXEC);
  ::fcntl(fds[1], F_SETFD, FD_CLOEXEC);
  read_end.reset(fds[0]);
  write_end.reset(fds[1]);
}

// Writes `input` without letting a helper that exits early kill us with
// SIGPIPE: the signal is blocked in this thread and a pending one consumed.
void write_input(int fd, std::string_view input)
{
  sigset_t pipe_only;
  sigset_t old_mask;
  sigemptyset(&pipe_only);
  sigaddset(&pipe_only, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_only, &old_mask);
  bool broken = false;
  while (!input.empty()) {
    ssize_t written = ::write(fd, input.data(), input.size());
    if (written < 0 && errno == EINTR) {
      continue;
    }
    if (written <= 0) {
      broken = true;
      break;
    }
    input.remove_prefix(static_cast<std::size_t>(written));
  }
  if (broken) {
    sigset_t pending;
    sigpending(&pending);
    if (sigismember(&pending, SIGPIPE)) {
      int signal = 0;
      sigwait(&pipe_only, &signal);
    }
  }
  pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
}

int wait_for(pid_t pid)
{
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) {
    return WEXITSTATUS(status);
  }
  return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 255;
}

} // namespace

SpawnHelperRunner::SpawnHelperRunner(Env env, std::chrono::milliseconds timeout)
    : m_env(std::move(env)), m_timeout(timeout)
{
}

HelperResult SpawnHelperRunner::run(const std::vector<std::string>& argv, std::string_view input)
{
  if (argv.empty()) {
    fail(Errc::internal, "no program to run as a credential helper");
  }
  const std::string& program = argv.front();
  auto executable =
      util::find_executable(program, m_env.get_or("PATH", util::k_default_search_path));
  if (!executable) {
    fail(Errc::invalid_input, "the credential helper {} is not installed (not found in PATH)",
         program);
  }

  Fd stdin_read, stdin_write, stdout_read, stdout_write;
  make_pipe(stdin_read, stdin_write, program);
  make_pipe(stdout_read, stdout_write, program);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, stdin_read.get(), STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, stdout_write.get(), STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);

  std::vector<char*> args;
  for (const auto& arg : argv) {
    args.push_back(const_cast<char*>(arg.c_str()));
  }
  args.push_back(nullptr);
  std::vector<std::string> env_entries;
  for (const auto& [name, value] : m_env.vars()) {
    env_entries.push_back(name + "=" + value);
  }
  std::vector<char*> envp;
  for (auto& entry : env_entries) {
    envp.push_back(entry.data());
  }
  envp.push_back(nullptr);

  pid_t pid = 0;
  int spawn_error =
      ::posix_spawn(&pid, executable->c_str(), &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (spawn_error != 0) {
    fail(Errc::invalid_input, "cannot run the credential helper {}: {}", *executable,
         std::strerror(spawn_error));
  }
  stdin_read.reset();
  stdout_write.reset();

  write_input(stdin_write.get(), input);
  stdin_write.reset(); // EOF: the helper reads the whole of stdin first

  HelperResult result;
  auto deadline = Clock::now() + m_timeout;
  char buf[4096];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    pollfd readable{stdout_read.get(), POLLIN, 0};
    int ready = left.count() > 0 ? ::poll(&readable, 1, static_cast<int>(left.count())) : 0;
    if (ready < 0 && errno == EINTR) {
      continue;
    }
    if (ready <= 0 || result.output.size() > k_output_limit) {
      ::kill(pid, SIGKILL);
      wait_for(pid);
      fail(Errc::engine_error, "the credential helper {} {}: it was stopped", program,
           ready <= 0 ? fmt::format("did not answer within {} ms", m_timeout.count())
                      : std::string("wrote more than 1 MiB"));
    }
    ssize_t got = ::read(stdout_read.get(), buf, sizeof(buf));
    if (got < 0 && errno == EINTR) {
      continue;
    }
    if (got <= 0) {
      break;
    }
    result.output.append(buf, static_cast<std::size_t>(got));
  }
  result.exit_status = wait_for(pid);
  return result;
}

} // namespace crun::registry
