// `crun-any exec` on Apple's `container`: `container exec` itself is the
// child, holding the terminal, as `container run` is for run
// (apple_run.cpp): the process's stdin and stdout flow straight through it
// and its exit code is the CLI's. crun-any keeps the CLI's stderr, to tell
// the CLI's own failure (no such container, not running) from the process's.
#include "apple_engine_impl.hpp"
#include "private_files.hpp"
#include "stderr_relay.hpp"

#include <crun/backends/apple/apple_errors.hpp>
#include <crun/backends/apple/apple_exec_args.hpp>
#include <crun/backends/run_sequence.hpp>
#include <crun/core/error.hpp>

#include <unistd.h>

#include <csignal>
#include <mutex>
#include <thread>

namespace crun::backends::apple {
namespace {

// A ^C typed at the terminal reaches the CLI child too (same foreground
// process group): forwarding it again would signal it twice.
bool terminal_delivers_to_child()
{
  return ::isatty(STDIN_FILENO) == 1 && ::tcgetpgrp(STDIN_FILENO) == ::getpgrp();
}

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

int AppleEngine::exec(const ExecSpec& spec, RunConsole& console)
{
  TempDir dir;
  std::string env_file;
  if (auto text = env_file_text(spec.env); text && !spec.env.empty()) {
    env_file = dir.path() + "/env";
    write_private_file(env_file, *text);
  }
  transport::ProcessSpec process;
  process.executable = m_cli.executable();
  process.argv = m_cli.argv(exec_args(spec, env_file));
  process.env = child_env(m_cli.env());
  process.in = spec.interactive || spec.tty ? transport::ChildStream::inherit()
                                            : transport::ChildStream::null();
  // `container exec -d` prints the container's ID; docker's prints nothing.
  process.out = spec.detach ? transport::ChildStream::null() : transport::ChildStream::inherit();
  process.err = transport::ChildStream::pipe();
  auto started = transport::start_process(process);
  if (auto* failure = std::get_if<transport::StartFailure>(&started)) {
    fail(Errc::engine_unavailable, "cannot run Apple's container ({}): {}", m_cli.executable(),
         failure->str());
  }
  auto& child = std::get<transport::ChildProcess>(started);
  StderrRelay relay(std::move(child.stderr_pipe()), STDERR_FILENO);

  // The child is polled under the lock the signal thread signals it under,
  // so that it is never signalled once reaped.
  std::mutex mutex;
  const bool terminal_signals_reach_child = terminal_delivers_to_child();
  StopIo stop_io(console);
  console.watch_signals([&](int signal) -> std::optional<std::chrono::milliseconds> {
    if (signal == SIGWINCH || signal == SIGPIPE || signal == 0) {
      return std::nullopt; // the child shares our terminal and descriptors
    }
    bool from_terminal = (signal == SIGINT || signal == SIGQUIT) && terminal_signals_reach_child;
    if (!from_terminal) {
      std::lock_guard lock(mutex);
      child.send_signal(signal);
    }
    return std::nullopt;
  });
  transport::ExitStatus status;
  while (true) {
    {
      std::lock_guard lock(mutex);
      if (auto done = child.try_wait()) {
        status = *done;
        break;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  console.stop_io();
  relay.finish();
  std::string tail = relay.tail();
  std::string line = first_error_line(tail);
  if (status.signal == 0 && status.code == 1) {
    // ContainerExec.swift: `client.get` ("get failed: container X not
    // found") and `ensureRunning` fail before any process exists.
    if (line.starts_with("get failed: container") || line.find("container not found") == 0) {
      fail(Errc::not_found, "no such container: {} (`crun-any ps -a` lists them)", spec.container);
    }
    if (line.find("is not running") != std::string::npos) {
      fail(Errc::engine_error, "container {} is not running: start it first (`container start {}`)",
           spec.container, spec.container);
    }
  }
  bool cli_failed =
    status.signal == 0 &&
    (status.code == 64 || (status.code == 1 && is_cli_failure_text(tail)) ||
     (status.code == 1 && line.find("failed to exec process") != std::string::npos));
  if (cli_failed) {
    throw classify_failure(tail, status.code,
                           FailedCommand{fmt::format("exec in container {}", spec.container),
                                         spec.container, "", m_cli.executable()});
  }
  return status.shell_code();
}

} // namespace crun::backends::apple
