// Runs a credential helper as docker does (os/exec, no shell): an argument
// vector, stdin and stdout on pipes, stderr to /dev/null, through the
// transport's process runner.

#include <crun/core/error.hpp>
#include <crun/registry/credential_helper.hpp>
#include <crun/transport/run_process.hpp>
#include <crun/util/path_lookup.hpp>

namespace crun::registry {

namespace {

// Helpers answer with a few hundred bytes; this only stops a runaway one.
constexpr std::size_t k_output_limit = 1024 * 1024;

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

  transport::ProcessSpec spec;
  spec.executable = *executable;
  spec.argv = argv;
  spec.env = m_env;
  spec.in = transport::ChildStream::pipe(); // the helper reads the whole of stdin first
  spec.out = transport::ChildStream::pipe();
  spec.err = transport::ChildStream::null(); // a failing helper may print the secret there
  auto outcome = transport::run_process(spec, input, {m_timeout, k_output_limit});
  if (auto* failure = std::get_if<transport::StartFailure>(&outcome)) {
    fail(Errc::invalid_input, "cannot run the credential helper {}: {}", *executable,
         failure->str());
  }
  auto& done = std::get<transport::CompletedProcess>(outcome);
  if (done.timed_out || done.over_limit) {
    fail(Errc::engine_error, "the credential helper {} {}: it was stopped", program,
         done.timed_out ? fmt::format("did not answer within {} ms", m_timeout.count())
                        : std::string("wrote more than 1 MiB"));
  }
  return HelperResult{done.status.shell_code(), std::move(done.out)};
}

} // namespace crun::registry
