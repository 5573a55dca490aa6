#include <crun/cli/command_tree.hpp>

#include <crun/cli/commands.hpp>

#include <CLI/CLI.hpp>

#include <string>

namespace crun::cli {
namespace {

constexpr std::string_view k_description =
  "crun-any: one pull, run and inspect over Docker, Podman and Apple's container,\n"
  "with the team's image policy enforced: images come from the registry, pinned by\n"
  "digest, and run on the platform CI built them for.";

constexpr std::string_view k_backends[] = {"auto", "docker", "podman", "apple"};

constexpr ExitStatusDoc k_exit_status[] = {
  {exit_code::ok, "ok"},
  {exit_code::failed, "failed: not found, verify mismatch, engine error"},
  {exit_code::usage, "usage or bad input"},
  {exit_code::policy, "refused by policy, or the policy is malformed"},
  {exit_code::no_engine, "no engine reachable"},
};

constexpr ExitStatusDoc k_run_exit_status[] = {
  {exit_code::run_failed, "crun-any, the policy or the engine failed before the command ran"},
  {exit_code::run_cannot_invoke, "the command cannot be invoked"},
  {exit_code::run_not_found, "the command was not found"},
  {exit_code::run_signal_base, "killed by signal N"},
  {exit_code::run_broken_pipe, "the reader of the output went away"},
};

void add_global_options(CLI::App& app, GlobalOptions& global)
{
  std::vector<std::string> backends(std::begin(k_backends), std::end(k_backends));
  app.add_option("--backend", global.backend, "Engine to use: auto, docker, podman or apple")
    ->check(CLI::IsMember(backends))
    ->type_name("NAME");
  app.add_option("--host", global.host, "Engine endpoint: unix:///path or tcp://host:port")
    ->type_name("URI");
  app.add_option("--policy", global.policy_file, "An extra policy file (may only tighten)")
    ->type_name("FILE");
  app
    .add_option("--lockfile", global.lockfile,
                "The lock file (default: the nearest crun-any.lock, walking up)")
    ->type_name("FILE");
  app.add_flag("--no-color", global.no_color, "Never colour the output");
  app.add_flag("-v,--verbose", global.verbosity, "More diagnostics on stderr (repeatable)");
}

} // namespace

CommandTree make_command_tree(GlobalOptions& global)
{
  CommandTree tree{std::make_unique<CLI::App>(std::string(k_description), "crun-any"), {}};
  CLI::App& app = *tree.app;
  app.require_subcommand(0, 1);
  app.fallthrough();
  app.set_version_flag("--version", std::string("crun-any ") + CRUN_ANY_VERSION);
  app.footer(
    "Exit codes: 0 ok, 1 failed, 2 usage or bad input, 3 refused by policy, 4 no engine "
    "reachable.\n`run` (`exec`) exits with the container's (command's) code; 125 when crun-any, "
    "the policy or "
    "the engine fails\nbefore the command runs, 126 command cannot be invoked, 127 command "
    "not found, 128+N killed by signal N,\n141 the reader of the output went away. Output that "
    "cannot be written is an error (1; 125 for run and exec).");
  add_global_options(app, global);
  for (CommandFactory factory : command_factories()) {
    factory(app, tree.entries);
  }
  return tree;
}

std::string_view program_description() noexcept
{
  return k_description;
}

std::span<const std::string_view> backend_names() noexcept
{
  return k_backends;
}

std::span<const ExitStatusDoc> exit_status_docs() noexcept
{
  return k_exit_status;
}

std::span<const ExitStatusDoc> run_exit_status_docs() noexcept
{
  return k_run_exit_status;
}

} // namespace crun::cli
