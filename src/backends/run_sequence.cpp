#include <crun/backends/run_sequence.hpp>

#include <crun/backends/cidfile.hpp>
#include <crun/core/error.hpp>

#include <csignal>
#include <mutex>

namespace crun::backends {
namespace {

// Removes the container when the run fails after create, under --rm.
class RemoveOnFailure {
public:
  RemoveOnFailure(ContainerApi& api, const std::string& id, bool armed)
    : m_api(api), m_id(id), m_armed(armed)
  {
  }
  ~RemoveOnFailure()
  {
    if (!m_armed) {
      return;
    }
    try {
      m_api.remove(m_id);
    } catch (const Error&) {
      // The failure that brought us here is the one to report.
    }
  }
  RemoveOnFailure(const RemoveOnFailure&) = delete;
  RemoveOnFailure& operator=(const RemoveOnFailure&) = delete;
  void release() { m_armed = false; }

private:
  ContainerApi& m_api;
  const std::string& m_id;
  bool m_armed;
};

// Stops the console's pumps and signal watching, and restores the terminal,
// on every exit path.
class StopIo {
public:
  explicit StopIo(RunConsole& console) : m_console(console) {}
  ~StopIo() { m_console.stop_io(); }
  StopIo(const StopIo&) = delete;
  StopIo& operator=(const StopIo&) = delete;

private:
  RunConsole& m_console;
};

bool is_terminating(int signal)
{
  return signal == SIGINT || signal == SIGTERM || signal == SIGHUP;
}

// What the signal thread needs to know about the run in the main thread.
struct SignalState {
  std::mutex mutex;
  std::string id; ///< empty until the container exists
  int terminations = 0;
};

// How the user names the container in messages: its --name, else the short
// ID the engines' CLIs show.
std::string display_name(const RunSpec& spec, const std::string& id)
{
  return spec.name.empty() ? id.substr(0, 12) : spec.name;
}

// The removal under --rm once the container has exited: its exit code is
// the run's, so an engine that cannot remove it (or does not answer) only
// earns a warning saying how to remove it by hand.
void remove_after_run(ContainerApi& api, const std::string& id, int status, RunConsole& console,
                      const RunOptions& options)
{
  try {
    api.remove(id);
  } catch (const Error& error) {
    std::string how = options.engine_cli.empty()
                        ? fmt::format("remove it with the engine's CLI (`rm -f {}`)", id)
                        : fmt::format("remove it with `{} rm -f {}`", options.engine_cli, id);
    console.warn(fmt::format(
      "crun-any: warning: container {} exited with {}, but removing it (--rm) failed: {}; {}",
      id.substr(0, 12), status, error.message(), how));
  }
}

CreatedContainer create_or_pull(ContainerApi& api, const RunSpec& spec, RunConsole& console,
                                const std::function<void()>& pull)
{
  try {
    return api.create(spec);
  } catch (Error& error) {
    if (error.code() != Errc::not_found) {
      throw;
    }
    if (spec.pull == PullPolicy::never) {
      fail(Errc::not_found,
           "image {} is not present locally for {} and --pull=never forbids pulling it: "
           "run `crun-any pull --platform {} {}` first",
           spec.image.str(), spec.platform.str(), spec.platform.str(), spec.image.familiar());
    }
    console.warn(fmt::format("Unable to find image '{}' locally for {}", spec.image.familiar(),
                             spec.platform.str()));
  }
  pull();
  return api.create(spec);
}

} // namespace

int run_sequence(ContainerApi& api, const RunSpec& spec, RunConsole& console,
                 const std::function<void()>& pull, const RunOptions& options)
{
  SignalState state;
  std::unique_ptr<transport::ByteStream> stream;
  std::unique_ptr<PendingWait> pending;
  // Declared after what the pumps and the signal handler use, so that on
  // every exit path they stop before those are destroyed.
  StopIo stop_io(console);

  // Signals are watched from the start, so that an interrupt never leaves a
  // container behind: before one exists crun-any just exits; afterwards the
  // signal is forwarded (docker's sig-proxy), and a container that ignores
  // the first SIGINT/SIGTERM/SIGHUP (a shell or `sleep` as PID 1 does) is
  // killed after the grace period, or at once on a second one.
  console.watch_signals([&](int signal) -> std::optional<std::chrono::milliseconds> {
    std::string id;
    int terminations = 0;
    {
      std::lock_guard lock(state.mutex);
      id = state.id;
      if (is_terminating(signal)) {
        terminations = ++state.terminations;
      }
    }
    if (id.empty()) {
      if (is_terminating(signal)) {
        console.exit_now(128 + signal);
      }
      return std::nullopt;
    }
    try {
      if (signal == SIGWINCH) {
        if (spec.tty) {
          if (auto size = console.terminal_size()) {
            api.resize(id, size->rows, size->cols);
          }
        }
        return std::nullopt;
      }
      // SIGPIPE: the console can no longer write the container's output (its
      // reader went away, the file is full). Nobody can see what it prints:
      // it is killed at once, as the docker CLI would die of the broken pipe.
      // --sig-proxy=false: nothing is forwarded. A terminating signal ends
      // crun-any as it ends the docker CLI, and the container runs on (the
      // engine still removes it under --rm once it exits).
      if (!spec.sig_proxy && signal != 0 && signal != SIGPIPE) {
        if (is_terminating(signal)) {
          console.exit_now(128 + signal);
        }
        return std::nullopt;
      }
      if (signal == 0 || signal == SIGPIPE || terminations >= 2) {
        api.kill(id, SIGKILL);
        return std::nullopt;
      }
      // Without -t, Ctrl-C reaches crun-any, not the container's terminal:
      // say once what happens now and how to go further. Under -t it is a
      // byte in the terminal's stream, and a signal sent to crun-any by
      // other means needs no advice about Ctrl-C.
      if (terminations == 1 && !spec.tty && (signal == SIGINT || signal == SIGTERM)) {
        console.warn(fmt::format("crun-any: stopping container {} (press Ctrl-C again to kill it)",
                                 display_name(spec, id)));
      }
      api.kill(id, signal);
      if (is_terminating(signal)) {
        return options.stop_grace;
      }
    } catch (const Error&) {
      // The container may have exited meanwhile: nothing left to signal.
    }
    return std::nullopt;
  });

  CreatedContainer created = create_or_pull(api, spec, console, pull);
  {
    std::lock_guard lock(state.mutex);
    state.id = created.id;
  }
  const std::string& id = created.id;
  for (const auto& warning : created.warnings) {
    console.warn("WARNING: " + warning);
  }
  RemoveOnFailure cleanup(api, id, spec.remove);
  if (!spec.cidfile.empty()) {
    write_cidfile(spec.cidfile, id);
  }

  if (spec.detach) {
    api.start(id);
    console.print_id(id);
    cleanup.release();
    return 0;
  }

  stream = api.attach(id, spec);
  pending = api.wait(id, spec);
  if (spec.tty) {
    console.enter_raw_mode();
  }
  console.start_io(*stream, spec.tty, spec.attach_stdin());

  api.start(id);
  if (spec.tty) {
    if (auto size = console.terminal_size()) {
      try {
        api.resize(id, size->rows, size->cols);
      } catch (const Error&) {
        // A container that exited at once has no terminal left to size.
      }
    }
  }

  int status = pending->result();
  console.finish_output();
  console.stop_io();
  cleanup.release();
  if (spec.remove) {
    remove_after_run(api, id, status, console, options);
  }
  return status;
}

} // namespace crun::backends
