#include "apple_cli.hpp"

#include <crun/core/error.hpp>

namespace crun::backends::apple {

AppleCli::AppleCli(std::string executable, Env env, std::chrono::milliseconds timeout)
  : m_executable(std::move(executable)), m_env(std::move(env)), m_timeout(timeout)
{
}

std::vector<std::string> AppleCli::argv(const Args& args) const
{
  std::vector<std::string> out{m_executable};
  out.insert(out.end(), args.begin(), args.end());
  return out;
}

transport::CompletedProcess AppleCli::run(const Args& args, const Env& env,
                                          std::chrono::milliseconds timeout,
                                          std::string_view what) const
{
  transport::ProcessSpec spec;
  spec.executable = m_executable;
  spec.argv = argv(args);
  spec.env = env;
  spec.in = transport::ChildStream::null();
  spec.out = transport::ChildStream::pipe();
  spec.err = transport::ChildStream::pipe();
  transport::RunLimits limits;
  limits.timeout = timeout;
  // Inspect answers are small; a runaway child is cut off, not buffered.
  limits.output_limit = std::size_t{64} * 1024 * 1024;
  auto outcome = transport::run_process(spec, "", limits);
  if (auto* failure = std::get_if<transport::StartFailure>(&outcome)) {
    fail(Errc::engine_unavailable, "cannot run Apple's container ({}) to {}: {}", m_executable,
         what, failure->str());
  }
  auto& done = std::get<transport::CompletedProcess>(outcome);
  if (done.timed_out) {
    fail(Errc::engine_unavailable,
         "Apple's container ({}) did not {} within {} s; is its service hung? Try "
         "`container system stop && container system start`",
         m_executable, what, timeout.count() / 1000);
  }
  if (done.over_limit) {
    fail(Errc::protocol, "Apple's container ({}) printed more than 64 MiB to {}", m_executable,
         what);
  }
  return std::move(done);
}

transport::CompletedProcess AppleCli::run(const Args& args, std::string_view what) const
{
  return run(args, child_env(m_env), m_timeout, what);
}

} // namespace crun::backends::apple
