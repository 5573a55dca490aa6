#pragma once
// Running one `container` command to its end: an argument vector (never a
// shell), the filtered environment of apple_args.hpp, stdin from /dev/null,
// stdout and stderr captured, and a deadline. What every command of the
// adapter but the foreground `run` goes through.

#include <crun/backends/apple/apple_args.hpp>
#include <crun/core/env.hpp>
#include <crun/transport/run_process.hpp>

#include <chrono>
#include <string>

namespace crun::backends::apple {

class AppleCli {
public:
  AppleCli(std::string executable, Env env, std::chrono::milliseconds timeout);

  const std::string& executable() const { return m_executable; }
  /// crun-any's environment, unfiltered (child_env filters it).
  const Env& env() const { return m_env; }
  std::chrono::milliseconds timeout() const { return m_timeout; }

  /// Runs `container ARGS...` with `env` (already filtered) within
  /// `timeout`, returning how it ended and what it printed, whatever its
  /// exit. Throws Error(Errc::engine_unavailable) naming the CLI and
  /// `what` when it cannot be started or does not end in time.
  transport::CompletedProcess run(const Args& args, const Env& env,
                                  std::chrono::milliseconds timeout, std::string_view what) const;
  /// As above with child_env(env()) and timeout().
  transport::CompletedProcess run(const Args& args, std::string_view what) const;

  /// The argv of a child: the executable, then `args`. Never fails.
  std::vector<std::string> argv(const Args& args) const;

private:
  std::string m_executable;
  Env m_env;
  std::chrono::milliseconds m_timeout;
};

} // namespace crun::backends::apple
