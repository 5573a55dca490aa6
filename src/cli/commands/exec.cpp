// `crun-any exec [-i] [-t] [-d] [-e K=V|K]... [--env-file F]... [-u USER]
// [-w DIR] CONTAINER COMMAND [ARG...]`, with docker's option spelling. Exits
// with the command's code; 125 when crun-any or the engine fails before the
// command runs (no such container, not running); 126/127 when the command
// cannot be invoked / is not found (exec_sequence.hpp).

#include <crun/backends/exec_spec.hpp>
#include <crun/backends/run_spec.hpp>
#include <crun/cli/commands.hpp>
#include <crun/cli/fd_buffer.hpp>
#include <crun/cli/posix_console.hpp>
#include <crun/cli/session.hpp>
#include <crun/core/error.hpp>

#include <CLI/CLI.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace crun::cli {
namespace {

std::string read_env_file(const std::string& path)
{
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    fail(Errc::usage, "cannot read env file {}: it is a directory", path);
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    fail(Errc::usage, "cannot read env file {}: no such file or not readable", path);
  }
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

class ExecCommand : public Command {
public:
  explicit ExecCommand(CLI::App& sub)
  {
    sub.add_flag("-i,--interactive", m_spec.interactive, "Forward stdin, then close it");
    sub.add_flag("-t,--tty", m_spec.tty, "Give the command a terminal");
    sub.add_flag("-d,--detach", m_spec.detach, "Start the command in the background");
    sub.add_option("-e,--env", m_env, "Set an environment variable K=V (or K from here)")
      ->type_name("K=V")
      ->allow_extra_args(false);
    sub.add_option("--env-file", m_env_files, "Read environment variables from a file")
      ->type_name("FILE")
      ->allow_extra_args(false);
    sub.add_option("-u,--user", m_spec.user, "User in the container: name|uid[:gid]");
    sub.add_option("-w,--workdir", m_spec.workdir, "Working directory in the container");
  }

  CommandKind kind() const override { return CommandKind::run; }
  // Everything from CONTAINER on is the command's: options after it are
  // its, never crun-any's.
  bool stops_at_first_positional() const override { return true; }
  void set_positionals(std::vector<std::string> args) override { m_rest = std::move(args); }

  int execute(Context& ctx) override
  {
    if (m_rest.size() < 2) {
      fail(Errc::usage,
           "exec needs a CONTAINER and a COMMAND: crun-any exec [OPTIONS] CONTAINER COMMAND "
           "[ARG...]");
    }
    backends::ExecSpec spec = m_spec;
    spec.container = m_rest.front();
    spec.command.assign(m_rest.begin() + 1, m_rest.end());
    for (const auto& file : m_env_files) {
      for (auto& entry : backends::parse_env_file(read_env_file(file), file, ctx.env)) {
        spec.env.push_back(std::move(entry));
      }
    }
    for (const auto& entry : m_env) {
      if (auto value = backends::resolve_env_arg(entry, ctx.env)) {
        spec.env.push_back(*value);
      }
    }
    // No image is named: of the policy, the verb and backends rules apply.
    Session session(ctx, {"exec"});
    backends::Engine& engine = session.engine();
    flush_or_fail(ctx.io.out, "stdout");
    flush_or_fail(ctx.io.err, "stderr");
    auto console = make_posix_console();
    return engine.exec(spec, *console);
  }

private:
  std::vector<std::string> m_rest;
  backends::ExecSpec m_spec;
  std::vector<std::string> m_env;
  std::vector<std::string> m_env_files;
};

} // namespace

void add_exec_command(CLI::App& app, std::vector<CommandEntry>& out)
{
  CLI::App* sub = app.add_subcommand("exec", "Run a command in a running container");
  out.push_back({sub, std::make_unique<ExecCommand>(*sub)});
}

} // namespace crun::cli
