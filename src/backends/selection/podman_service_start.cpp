// Starting the on-demand Podman service: a private directory, a lock, a
// detached `podman system service`, a bounded wait for its /_ping. POSIX.

#include <crun/transport/unique_fd.hpp>
#include <crun/backends/selection/podman_service.hpp>

#include <crun/util/close_descriptors.hpp>

#include <crun/core/error.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace crun::backends::selection {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::chrono::milliseconds k_ping_timeout{500};
constexpr std::chrono::milliseconds k_poll_interval{100};
constexpr std::chrono::seconds k_stop_wait{3};

using Fd = transport::UniqueFd;

// A close-on-exec copy of `fd` numbered 3 or above (so that setting up the
// child's 0, 1 and 2 cannot overwrite it), replacing `fd`.
int above_stdio(int fd)
{
  if (fd < 0 || fd > 2) {
    return fd;
  }
  int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
  ::close(fd);
  return moved;
}

// The private directory: created 0700, and refused when it is not ours
// (another user could otherwise plant a socket or read the log).
void ensure_private_dir(const std::string& dir)
{
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    fail(Errc::engine_unavailable, "cannot create {} for the Podman service: {}", dir,
         std::strerror(errno));
  }
  struct stat st {};
  if (::lstat(dir.c_str(), &st) != 0) {
    fail(Errc::engine_unavailable, "cannot use {} for the Podman service: {}", dir,
         std::strerror(errno));
  }
  if (!S_ISDIR(st.st_mode) || st.st_uid != ::getuid()) {
    fail(Errc::invalid_input,
         "refusing to use {} for the Podman service: it is not a directory owned by you; "
         "remove it",
         dir);
  }
  if ((st.st_mode & 077) != 0 && ::chmod(dir.c_str(), 0700) != 0) {
    fail(Errc::invalid_input, "refusing to use {} for the Podman service: it is open to other "
                              "users and cannot be made private: {}",
         dir, std::strerror(errno));
  }
}

// An exclusive flock held for the object's life: two crun-any processes
// never start two services on one socket.
class StartLock {
public:
  explicit StartLock(const std::string& path)
    : m_fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600))
  {
    if (m_fd.get() < 0) {
      fail(Errc::engine_unavailable, "cannot open the lock {}: {}", path, std::strerror(errno));
    }
    while (::flock(m_fd.get(), LOCK_EX) != 0) {
      if (errno != EINTR) {
        fail(Errc::engine_unavailable, "cannot lock {}: {}", path, std::strerror(errno));
      }
    }
  }

private:
  Fd m_fd; // closing it releases the lock
};

// The last few lines of the service's log, for an error message.
std::string log_tail(const std::string& path)
{
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return "(no log)";
  }
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  constexpr std::size_t k_keep = 1200;
  if (text.size() > k_keep) {
    text = "..." + text.substr(text.size() - k_keep);
  }
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
    text.pop_back();
  }
  return text.empty() ? "(empty log)" : text;
}

std::string exit_description(int status)
{
  if (WIFEXITED(status)) {
    return fmt::format("exit {}", WEXITSTATUS(status));
  }
  if (WIFSIGNALED(status)) {
    return fmt::format("killed by signal {}", WTERMSIG(status));
  }
  return "stopped";
}

// Stops a service that never answered, so that nothing is left behind.
void stop(pid_t pid)
{
  ::kill(pid, SIGTERM);
  auto deadline = Clock::now() + k_stop_wait;
  int status = 0;
  while (Clock::now() < deadline) {
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, &status, 0);
}

// Forks the service in a session of its own (a ^C in crun-any's terminal
// does not reach it; it outlives crun-any), stdin /dev/null, stdout and
// stderr to the log, nothing else inherited.
pid_t spawn_service(const std::vector<std::string>& argv, const Env& env, const std::string& log)
{
  Fd log_fd(above_stdio(::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)));
  if (log_fd.get() < 0) {
    fail(Errc::engine_unavailable, "cannot open the Podman service's log {}: {}", log,
         std::strerror(errno));
  }
  Fd null_fd(above_stdio(::open("/dev/null", O_RDONLY | O_CLOEXEC)));
  int fds[2];
  if (::pipe(fds) != 0) {
    fail(Errc::engine_unavailable, "cannot start the Podman service: pipe: {}", std::strerror(errno));
  }
  ::fcntl(fds[0], F_SETFD, FD_CLOEXEC);
  ::fcntl(fds[1], F_SETFD, FD_CLOEXEC);
  Fd report_read(above_stdio(fds[0]));
  Fd report_write(above_stdio(fds[1]));

  // Everything the child needs is built before fork: after it, only
  // async-signal-safe calls.
  std::vector<char*> args;
  for (const auto& arg : argv) {
    args.push_back(const_cast<char*>(arg.c_str()));
  }
  args.push_back(nullptr);
  std::vector<std::string> entries;
  for (const auto& [name, value] : env.vars()) {
    entries.push_back(name + "=" + value);
  }
  std::vector<char*> envp;
  for (auto& entry : entries) {
    envp.push_back(entry.data());
  }
  envp.push_back(nullptr);
  long open_max = ::sysconf(_SC_OPEN_MAX);
  int limit = open_max > 0 && open_max < 65536 ? static_cast<int>(open_max) : 65536;

  pid_t pid = ::fork();
  if (pid < 0) {
    fail(Errc::engine_unavailable, "cannot start the Podman service: fork: {}", std::strerror(errno));
  }
  if (pid == 0) {
    ::setsid();
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    // Ignored signals stay ignored across exec; crun-any ignores SIGPIPE.
    for (int sig : {SIGPIPE, SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGCHLD}) {
      ::signal(sig, SIG_DFL);
    }
    ::dup2(null_fd.get(), STDIN_FILENO);
    ::dup2(log_fd.get(), STDOUT_FILENO);
    ::dup2(log_fd.get(), STDERR_FILENO);
    util::close_descriptors_except(report_write.get(), limit);
    ::execve(args[0], args.data(), envp.data());
    int error = errno;
    ssize_t ignored = ::write(report_write.get(), &error, sizeof error);
    (void)ignored;
    ::_exit(127);
  }

  report_write.reset();
  int exec_error = 0;
  ssize_t n;
  do {
    n = ::read(report_read.get(), &exec_error, sizeof exec_error);
  } while (n < 0 && errno == EINTR);
  if (n == static_cast<ssize_t>(sizeof exec_error)) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    fail(Errc::engine_unavailable, "cannot run {}: {}", argv.front(), std::strerror(exec_error));
  }
  return pid;
}

} // namespace

ProbeResult DetachedPodmanStarter::start(const PodmanServicePlan& plan)
{
  if (plan.podman.empty()) {
    fail(Errc::engine_unavailable, "podman is not installed (not on PATH)");
  }
  auto idle = podman_idle_timeout(m_env);
  ensure_private_dir(plan.dir);
  StartLock lock(plan.dir + "/start.lock");
  transport::Endpoint endpoint = transport::Endpoint::parse("unix://" + plan.socket);

  // Another crun-any may have started one while we waited for the lock.
  try {
    return m_prober->probe(endpoint, k_ping_timeout);
  } catch (const Error&) {
  }
  // A socket nobody answers is left over from a service that died: podman
  // would refuse to listen where the file is.
  if (::unlink(plan.socket.c_str()) != 0 && errno != ENOENT) {
    fail(Errc::engine_unavailable, "cannot remove the stale socket {}: {}", plan.socket,
         std::strerror(errno));
  }

  std::vector<std::string> argv = {plan.podman, "system", "service",
                                   fmt::format("--time={}", idle.count()), "unix://" + plan.socket};
  pid_t child = spawn_service(argv, m_env, plan.log);

  auto deadline = Clock::now() + k_podman_start_wait;
  std::string last_error;
  while (Clock::now() < deadline) {
    int status = 0;
    if (::waitpid(child, &status, WNOHANG) == child) {
      fail(Errc::engine_unavailable, "`podman system service` stopped at once ({}); its log {} "
                                     "says:\n{}",
           exit_description(status), plan.log, log_tail(plan.log));
    }
    struct stat st {};
    if (::stat(plan.socket.c_str(), &st) == 0) {
      try {
        return m_prober->probe(endpoint, k_ping_timeout);
      } catch (const Error& error) {
        last_error = error.message();
      }
    }
    std::this_thread::sleep_for(k_poll_interval);
  }
  stop(child);
  ::unlink(plan.socket.c_str());
  fail(Errc::engine_unavailable,
       "`podman system service` did not answer at unix://{} within {} s{}; its log {} says:\n{}",
       plan.socket, k_podman_start_wait.count(), last_error.empty() ? "" : " (" + last_error + ")",
       plan.log, log_tail(plan.log));
}

} // namespace crun::backends::selection
