// Starting the on-demand Podman service: a private directory, a lock, a
// detached `podman system service`, a bounded wait for its /_ping. POSIX.

#include <crun/backends/selection/podman_service.hpp>
#include <crun/core/error.hpp>
#include <crun/transport/process.hpp>
#include <crun/transport/unique_fd.hpp>

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

namespace crun::backends::selection {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::chrono::milliseconds k_ping_timeout{500};
constexpr std::chrono::milliseconds k_poll_interval{100};
constexpr std::chrono::seconds k_stop_wait{3};

using Fd = transport::UniqueFd;

// The private directory: created 0700, and refused when it is not ours
// (another user could otherwise plant a socket or read the log).
void ensure_private_dir(const std::string& dir)
{
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    fail(Errc::engine_unavailable, "cannot create {} for the Podman service: {}", dir,
         std::strerror(errno));
  }
  struct stat st{};
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
    fail(Errc::invalid_input,
         "refusing to use {} for the Podman service: it is open to other "
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

// Starts the service in a session of its own (a ^C in crun-any's terminal
// does not reach it; it outlives crun-any), stdin /dev/null, stdout and
// stderr to the log, nothing else inherited.
transport::ChildProcess spawn_service(const std::vector<std::string>& argv, const Env& env,
                                      const std::string& log)
{
  Fd log_fd(::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
  if (log_fd.get() < 0) {
    fail(Errc::engine_unavailable, "cannot open the Podman service's log {}: {}", log,
         std::strerror(errno));
  }
  transport::ProcessSpec spec;
  spec.executable = argv.front();
  spec.argv = argv;
  spec.env = env;
  spec.in = transport::ChildStream::null();
  spec.out = transport::ChildStream::descriptor(log_fd.get());
  spec.err = transport::ChildStream::descriptor(log_fd.get());
  spec.new_session = true;
  auto started = transport::start_process(spec);
  if (auto* failure = std::get_if<transport::StartFailure>(&started)) {
    fail(Errc::engine_unavailable, "cannot run {}: {}", argv.front(), failure->str());
  }
  return std::move(std::get<transport::ChildProcess>(started));
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
  // Until it answers, the child is ours: an error on the way kills it.
  transport::ChildProcess child = spawn_service(argv, m_env, plan.log);

  auto deadline = Clock::now() + k_podman_start_wait;
  std::string last_error;
  while (Clock::now() < deadline) {
    if (auto status = child.try_wait()) {
      fail(Errc::engine_unavailable,
           "`podman system service` stopped at once ({}); its log {} "
           "says:\n{}",
           status->str(), plan.log, log_tail(plan.log));
    }
    struct stat st{};
    if (::stat(plan.socket.c_str(), &st) == 0) {
      try {
        ProbeResult answer = m_prober->probe(endpoint, k_ping_timeout);
        child.release(); // it runs on, and exits by itself when idle
        return answer;
      } catch (const Error& error) {
        last_error = error.message();
      }
    }
    std::this_thread::sleep_for(k_poll_interval);
  }
  child.stop(k_stop_wait);
  ::unlink(plan.socket.c_str());
  fail(Errc::engine_unavailable,
       "`podman system service` did not answer at unix://{} within {} s{}; its log {} says:\n{}",
       plan.socket, k_podman_start_wait.count(), last_error.empty() ? "" : " (" + last_error + ")",
       plan.log, log_tail(plan.log));
}

} // namespace crun::backends::selection
