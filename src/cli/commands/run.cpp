// `crun-any run [options] IMAGE [COMMAND [ARG...]]`, with docker's option
// spelling. Exits with the container's code; 125 when crun-any, the policy or
// the engine fails before the command runs; 126/127 when the command cannot
// be invoked / is not found; 141 when the reader of its output went away
// (the container is killed and, under --rm, removed first).

#include <crun/backends/run_spec.hpp>
#include <crun/cli/commands.hpp>
#include <crun/cli/engine_access.hpp>
#include <crun/cli/fd_buffer.hpp>
#include <crun/cli/lock_store.hpp>
#include <crun/cli/posix_console.hpp>
#include <crun/cli/pull_record_store.hpp>
#include <crun/cli/session.hpp>
#include <crun/core/error.hpp>
#include <crun/core/run_labels.hpp>

#include <CLI/CLI.hpp>
#include <fmt/ostream.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace crun::cli {
namespace {

// The working directory, against which -v's relative sources are made
// absolute.
std::string current_dir()
{
  std::error_code error;
  auto path = std::filesystem::current_path(error);
  if (error) {
    fail(Errc::internal, "cannot read the current directory: {}", error.message());
  }
  return path.string();
}

std::string read_file(const std::string& path)
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

// Labels the container with crun-any's record of the run (run_labels.hpp):
// what the policy said, the digest and the platform it runs.
void label_provenance(backends::RunSpec& spec, const Context& ctx,
                      const core::PolicyVerdict& verdict, const std::optional<core::Digest>& locked)
{
  core::RunProvenance provenance;
  provenance.platform = spec.platform;
  if (effective_policy(ctx) != core::Policy{}) {
    provenance.verdict = verdict.warnings.empty() ? core::RunVerdict::allowed
                                                  : core::RunVerdict::allowed_with_warnings;
  }
  if (locked) {
    provenance.digest = locked->str();
    provenance.digest_from_lock = true;
  } else if (spec.image.digest()) {
    provenance.digest = spec.image.digest()->str();
  }
  provenance.version = CRUN_ANY_VERSION;
  for (auto& [key, value] : core::run_labels(provenance)) {
    spec.labels[key] = std::move(value);
  }
}

class RunCommand : public Command {
public:
  explicit RunCommand(CLI::App& sub)
  {
    sub.add_flag("-i,--interactive", m_spec.interactive, "Forward stdin, then close it");
    sub.add_flag("-t,--tty", m_spec.tty, "Give the container a terminal");
    sub.add_flag("-d,--detach", m_spec.detach, "Run in the background and print its ID");
    sub.add_flag("--rm", m_spec.remove, "Remove the container when it exits");
    sub.add_option("-e,--env", m_env, "Set an environment variable K=V (or K from here)")
      ->type_name("K=V")
      ->allow_extra_args(false);
    sub.add_option("--env-file", m_env_files, "Read environment variables from a file")
      ->type_name("FILE")
      ->allow_extra_args(false);
    sub.add_option("-v,--volume", m_volumes, "Bind mount or volume: SRC:DST[:OPTS]")
      ->type_name("SRC:DST")
      ->allow_extra_args(false);
    sub.add_option("-p,--publish", m_ports, "Publish a port: [IP:][HOST:]CONTAINER[/PROTO]")
      ->type_name("PORTS")
      ->allow_extra_args(false);
    sub.add_option("--name", m_spec.name, "The container's name");
    sub.add_option("-w,--workdir", m_spec.workdir, "Working directory in the container");
    sub.add_option("-u,--user", m_spec.user, "User in the container: name|uid[:gid]");
    sub.add_option("--entrypoint", m_entrypoint, "Replace the image's entrypoint");
    sub.add_option("--network", m_spec.network, "Network to connect the container to");
    sub.add_option("--platform", m_platform, "Platform to run: os/arch[/variant]")->type_name("P");
    sub.add_option("--pull", m_pull, "Pull the image: always, missing (default) or never");
    sub.add_option("-l,--label", m_labels, "Set a label K=V")
      ->type_name("K=V")
      ->allow_extra_args(false);
  }

  CommandKind kind() const override { return CommandKind::run; }
  // Everything from IMAGE on is the container's: options after it are its
  // command's, never crun-any's.
  bool stops_at_first_positional() const override { return true; }
  void set_positionals(std::vector<std::string> args) override { m_rest = std::move(args); }

  int execute(Context& ctx) override
  {
    const auto& rest = m_rest;
    if (rest.empty()) {
      fail(Errc::usage, "run needs an IMAGE: crun-any run [OPTIONS] IMAGE [COMMAND [ARG...]]");
    }
    backends::RunSpec spec = m_spec;
    spec.image = core::ImageRef::parse(rest.front());
    spec.command.assign(rest.begin() + 1, rest.end());
    spec.pull = backends::parse_pull_policy(m_pull);
    spec.entrypoint = m_entrypoint;
    for (const auto& file : m_env_files) {
      for (auto& entry : backends::parse_env_file(read_file(file), file, ctx.env)) {
        spec.env.push_back(std::move(entry));
      }
    }
    for (const auto& entry : m_env) {
      if (auto value = backends::resolve_env_arg(entry, ctx.env)) {
        spec.env.push_back(*value);
      }
    }
    if (!m_volumes.empty()) {
      std::string cwd = current_dir();
      for (const auto& volume : m_volumes) {
        spec.mounts.push_back(backends::parse_mount_spec(volume, cwd));
      }
    }
    for (const auto& port : m_ports) {
      spec.ports.push_back(backends::parse_port_spec(port));
    }
    for (const auto& label : m_labels) {
      auto entry = backends::parse_label(label);
      if (core::is_run_label(entry.first)) {
        fail(Errc::usage,
             "--label {}: labels under {} are crun-any's own record of the run (its policy "
             "verdict, digest and platform) and cannot be set by hand; choose another key",
             label, core::k_run_label_prefix);
      }
      spec.labels.insert(std::move(entry));
    }

    Session session(ctx, {"run"});
    session.screen(spec.image);
    auto choice = session.choose_platform(m_platform);
    RegistryAccess access(ctx);
    auto verdict = session.admit(spec.image, choice, Session::Emulation::checked, [&] {
      served_for_platform(access.client(), spec.image, choice.platform);
    });
    backends::Engine& engine = session.engine();
    spec.platform = choice.platform;
    spec.platform_explicit = choice.explicit_choice;
    spec.image_name = spec.image.digest()
                        ? spec.image.repository() + "@" + spec.image.digest()->str()
                        : spec.image.str();
    // A tag the lock holds runs the locked manifest, by digest: whatever the
    // local tag or the registry's tag points to now.
    auto locked = consult_lock(ctx, session.lock(), spec.image, spec.platform, false);
    if (locked) {
      spec.image_name = spec.image.repository() + "@" + locked->manifest.str();
    }
    label_provenance(spec, ctx, verdict, locked ? std::optional(locked->manifest) : std::nullopt);

    auto registry = backends::make_registry_reader(
      access.client(),
      choice.explicit_choice ? registry::SuggestPlatform::no : registry::SuggestPlatform::yes);
    auto pull = [&] {
      ProgressSink sink(ctx, "auto");
      auto pulled = backends::pull_image(engine, *registry, spec.image, spec.platform, sink,
                                         access.engine_credentials(spec.image), locked);
      sink.finish(pulled.manifest_digest.str());
      remember_pull(ctx, pulled, spec.platform);
    };
    if (spec.pull == backends::PullPolicy::always) {
      pull();
    }
    // What runs is what the engine has under that name now: under
    // pull_only it must be the registry's (or the lock's) content.
    session.admit_local_content(spec.image_name, spec.image, spec.platform, access.client());
    // Output crun-any could not write (the pull's) stops the run before the
    // container starts: 125 (141 when the reader went away).
    flush_or_fail(ctx.io.out, "stdout");
    flush_or_fail(ctx.io.err, "stderr");
    auto console = make_posix_console();
    return engine.run(spec, *console, pull);
  }

private:
  std::vector<std::string> m_rest;
  backends::RunSpec m_spec;
  std::vector<std::string> m_env;
  std::vector<std::string> m_env_files;
  std::vector<std::string> m_volumes;
  std::vector<std::string> m_ports;
  std::vector<std::string> m_labels;
  std::optional<std::string> m_entrypoint;
  std::optional<std::string> m_platform;
  std::string m_pull = "missing";
};

} // namespace

void add_run_command(CLI::App& app, std::vector<CommandEntry>& out)
{
  CLI::App* sub = app.add_subcommand("run", "Run a command in a new container");
  out.push_back({sub, std::make_unique<RunCommand>(*sub)});
}

} // namespace crun::cli
