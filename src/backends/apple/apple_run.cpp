// `crun-any run` on Apple's `container`: `container run` itself is the
// child, holding the terminal, so the workload's stdin and stdout flow
// straight through it (no buffering, any size) and its exit code is the
// CLI's. crun-any keeps the CLI's stderr (to tell the CLI's own failure from
// the workload's), the container's ID (--cidfile), and the signals.
#include "apple_engine_impl.hpp"
#include "private_files.hpp"
#include "stderr_relay.hpp"

#include <crun/backends/apple/apple_errors.hpp>
#include <crun/backends/apple/rosetta.hpp>
#include <crun/backends/run_sequence.hpp>
#include <crun/core/error.hpp>
#include <crun/core/signal_names.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

namespace crun::backends::apple {
namespace {

using namespace std::chrono_literals;

std::string read_id(const std::string& cidfile)
{
  std::ifstream in(cidfile);
  std::string id;
  std::getline(in, id);
  while (!id.empty() && (id.back() == '\n' || id.back() == '\r' || id.back() == ' ')) {
    id.pop_back();
  }
  return id;
}

bool is_terminating(int signal)
{
  return signal == SIGINT || signal == SIGTERM || signal == SIGHUP;
}

// A ^C or ^\ typed at the terminal reaches every process of the foreground
// process group, the CLI child included: forwarding it again would signal
// the workload twice (and Apple's CLI gives up after the third).
bool terminal_delivers_to_child()
{
  return ::isatty(STDIN_FILENO) == 1 && ::tcgetpgrp(STDIN_FILENO) == ::getpgrp();
}

void refuse_without_rosetta(const RunSpec& spec)
{
  if (spec.platform.normalized().architecture != "amd64") {
    return;
  }
  if (rosetta_installed() == false) {
    fail(Errc::engine_error,
         "cannot run {} for {}: amd64 images run under Rosetta on Apple silicon and Rosetta is "
         "not installed; install it with `softwareupdate --install-rosetta --agree-to-license`",
         spec.image.str(), spec.platform.str());
  }
}

// The child, waited for by polling so that the signal thread may signal it
// under the same lock without racing the reaping.
class SharedChild {
public:
  explicit SharedChild(transport::ChildProcess child) : m_child(std::move(child)) {}
  void send_signal(int signal)
  {
    std::lock_guard lock(m_mutex);
    m_child.send_signal(signal);
  }
  transport::ExitStatus wait(std::optional<std::chrono::steady_clock::time_point> deadline)
  {
    while (true) {
      {
        std::lock_guard lock(m_mutex);
        if (auto status = m_child.try_wait()) {
          return *status;
        }
        if (deadline && std::chrono::steady_clock::now() >= *deadline) {
          m_child.send_signal(SIGKILL);
          m_timed_out = true;
        }
      }
      std::this_thread::sleep_for(20ms);
    }
  }
  bool timed_out() const { return m_timed_out; }

private:
  std::mutex m_mutex;
  transport::ChildProcess m_child;
  bool m_timed_out = false;
};

struct SignalState {
  std::mutex mutex;
  std::string id;
  int terminations = 0;
  bool killed = false; ///< `container kill` sent; the next deadline kills the CLI itself
};

class StopIo {
public:
  explicit StopIo(RunConsole& console) : m_console(console) {}
  ~StopIo() { m_console.stop_io(); }
  StopIo(const StopIo&) = delete;
  StopIo& operator=(const StopIo&) = delete;

private:
  RunConsole& m_console;
};

} // namespace

int AppleEngine::run(const RunSpec& spec, RunConsole& console, const std::function<void()>& pull)
{
  refuse_without_rosetta(spec);
  TempDir dir;
  // A --cidfile of the user's is Apple's own (written once created).
  const std::string cidfile = spec.cidfile.empty() ? dir.path() + "/cid" : spec.cidfile;
  // The environment goes in a file only this user can read, not in the
  // process table (`-e SECRET=...` words are visible to every user).
  std::string env_file;
  if (auto text = env_file_text(spec.env); text && !spec.env.empty()) {
    env_file = dir.path() + "/env";
    write_private_file(env_file, *text);
  }
  Args args = run_args(m_version, spec, cidfile, env_file); // refuses before anything happens

  // Apple's `run` would pull by itself, without crun-any's registry checks
  // and policy: the image is made local first, as the other engines do.
  if (!has_local_image(spec.image_name, spec.platform)) {
    if (spec.pull == PullPolicy::never) {
      fail(Errc::not_found,
           "image {} is not present locally for {} and --pull=never forbids pulling it: "
           "run `crun-any pull --platform {} {}` first",
           spec.image.str(), spec.platform.str(), spec.platform.str(), spec.image.familiar());
    }
    console.warn(fmt::format("Unable to find image '{}' locally for {}", spec.image.familiar(),
                             spec.platform.str()));
    pull();
  }

  transport::ProcessSpec process;
  process.executable = m_cli.executable();
  process.argv = m_cli.argv(args);
  process.env = child_env(m_cli.env());
  process.in = spec.interactive || spec.tty ? transport::ChildStream::inherit()
                                            : transport::ChildStream::null();
  process.out = transport::ChildStream::inherit();
  process.err = transport::ChildStream::pipe();
  auto started = transport::start_process(process);
  if (auto* failure = std::get_if<transport::StartFailure>(&started)) {
    fail(Errc::engine_unavailable, "cannot run Apple's container ({}): {}", m_cli.executable(),
         failure->str());
  }
  auto& child_process = std::get<transport::ChildProcess>(started);
  StderrRelay relay(std::move(child_process.stderr_pipe()), STDERR_FILENO);
  SharedChild child(std::move(child_process));

  SignalState state;
  const bool terminal_signals_reach_child = terminal_delivers_to_child();
  StopIo stop_io(console);
  auto known_id = [&]() -> std::string {
    std::lock_guard lock(state.mutex);
    if (state.id.empty()) {
      state.id = read_id(cidfile);
    }
    return state.id;
  };
  console.watch_signals([&](int signal) -> std::optional<std::chrono::milliseconds> {
    if (signal == SIGWINCH) {
      return std::nullopt; // the child shares our terminal and gets it from the kernel
    }
    std::string id = known_id();
    int terminations = 0;
    bool killed = false;
    {
      std::lock_guard lock(state.mutex);
      if (is_terminating(signal)) {
        terminations = ++state.terminations;
      }
      killed = state.killed;
    }
    if (signal == 0 || terminations >= 2) {
      if (killed || id.empty()) {
        child.send_signal(SIGKILL); // the CLI itself did not end after the kill
        return std::nullopt;
      }
      kill_container(id, std::nullopt);
      std::lock_guard lock(state.mutex);
      state.killed = true;
      return 5s;
    }
    // As run_sequence says it for the API engines: once, without -t.
    if (terminations == 1 && !spec.tty && !id.empty() && (signal == SIGINT || signal == SIGTERM)) {
      console.warn(fmt::format("crun-any: stopping container {} (press Ctrl-C again to kill it)",
                               spec.name.empty() ? id.substr(0, 12) : spec.name));
    }
    bool from_terminal = (signal == SIGINT || signal == SIGQUIT) && terminal_signals_reach_child;
    if (!from_terminal) {
      if (id.empty()) {
        child.send_signal(signal); // still pulling or creating: the CLI stops
      } else {
        // Through the engine, not to the CLI: it forwards only SIGINT and
        // SIGTERM, and dies of the others, leaving the container running.
        kill_container(id, core::signal_name(signal));
      }
    }
    if (is_terminating(signal)) {
      return RunOptions{}.stop_grace;
    }
    return std::nullopt;
  });

  std::optional<std::chrono::steady_clock::time_point> deadline;
  if (spec.detach) {
    deadline = std::chrono::steady_clock::now() + k_pull_timeout;
  }
  transport::ExitStatus status = child.wait(deadline);
  console.stop_io();
  relay.finish();
  std::string tail = relay.tail();
  std::string id = read_id(cidfile);

  // Under --rm nothing is left behind, whichever way the run ended.
  if (spec.remove && !id.empty()) {
    try {
      if (inspect_container(id)) {
        remove_container(id);
      }
    } catch (const Error& error) {
      console.warn(fmt::format("could not remove container {}: {}", id, error.message()));
    }
  }
  FailedCommand what{fmt::format("run {} for {}", spec.image.str(), spec.platform.str()),
                     spec.image.str(), spec.platform.str(), m_cli.executable()};
  if (child.timed_out()) {
    fail(Errc::engine_error, "Apple's container did not start {} within {} minutes",
         spec.image.str(), k_pull_timeout.count());
  }
  if (spec.detach) {
    if (status.code != 0 || status.signal != 0) {
      throw classify_failure(tail, status.code, what);
    }
    console.warn(
      "WARNING: Apple's container cannot report a detached container's exit code later (it has "
      "no wait); run it in the foreground when you need the exit code");
    return 0;
  }
  // Exit 1 is the workload's or the CLI's own: the CLI's when it printed a
  // failure it is known to print, or when it failed before creating the
  // container (no ID). 64 is always the CLI's (its usage errors).
  bool cli_failed =
    status.signal == 0 &&
    (status.code == 64 ||
     (status.code == 1 &&
      (is_cli_failure_text(tail) || (id.empty() && tail.find("Error:") != std::string::npos))));
  if (cli_failed) {
    throw classify_failure(tail, status.code, what);
  }
  return status.shell_code();
}

} // namespace crun::backends::apple
