// `crun-any run [options] IMAGE [COMMAND [ARG...]]`, with docker's option
// spelling. Exits with the container's code; 125 when crun-any, the policy or
// the engine fails before the command runs; 126/127 when the command cannot
// be invoked / is not found; 141 when the reader of its output went away
// (the container is killed and, under --rm, removed first).

#include <crun/backends/cidfile.hpp>
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

std::string read_seccomp_profile(const std::string& path)
{
  std::error_code error;
  std::ifstream in(path, std::ios::binary);
  if (!in || std::filesystem::is_directory(path, error)) {
    fail(Errc::usage, "invalid --security-opt seccomp={}: no such file or not readable", path);
  }
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

// CLI11 2.1 cannot name positionals that are not its own: everything from
// IMAGE on is the container's (stops_at_first_positional).
class RunFormatter : public CLI::Formatter {
public:
  std::string make_usage(const CLI::App* /*app*/, std::string name) const override
  {
    return "Usage: " + name + " [OPTIONS] IMAGE [COMMAND [ARG...]]\n";
  }
};

class RunCommand : public Command {
public:
  explicit RunCommand(CLI::App& sub)
  {
    sub.formatter(std::make_shared<RunFormatter>());
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
    add_more_options(sub);
  }

  // The options of issue 13 (run_options.hpp); docs/run.md says which
  // backend maps or refuses each.
  void add_more_options(CLI::App& sub)
  {
    auto many = [&](const char* names, std::vector<std::string>& into, const char* help,
                    const char* type) {
      sub.add_option(names, into, help)->type_name(type)->allow_extra_args(false);
    };
    sub.add_flag("--init", m_spec.init, "Run an init inside the container (signals, reaping)");
    sub.add_flag("--read-only", m_spec.read_only,
                 "Mount the container's root filesystem read-only");
    many("--tmpfs", m_tmpfs, "Mount a tmpfs: PATH[:OPTS]", "PATH");
    many("--mount", m_mounts, "Mount: type=bind|volume|tmpfs,source=S,target=T[,readonly]...",
         "SPEC");
    sub.add_option("--cpus", m_cpus, "Number of CPUs (fractional)")->type_name("N");
    sub.add_option("-m,--memory", m_memory, "Memory limit (b, k, m, g)")->type_name("BYTES");
    sub.add_option("--hostname", m_spec.hostname, "The container's hostname")->type_name("NAME");
    many("--add-host", m_add_hosts, "Add a line to /etc/hosts: HOST:IP", "HOST:IP");
    many("--cap-add", m_spec.cap_add, "Add a Linux capability", "CAP");
    many("--cap-drop", m_spec.cap_drop, "Drop a Linux capability", "CAP");
    many("--security-opt", m_security_opts,
         "no-new-privileges, seccomp=PROFILE, apparmor=PROFILE, label=VALUE", "OPT");
    sub.add_flag("--privileged", m_spec.privileged, "Give the container every privilege");
    many("--device", m_devices, "Add a host device: HOST[:CONTAINER[:PERMS]]", "DEV");
    many("--group-add", m_spec.group_add, "Add a supplementary group", "GROUP");
    sub.add_option("--userns", m_spec.userns, "User namespace (host; Podman: keep-id, ...)")
      ->type_name("MODE");
    many("--ulimit", m_ulimits, "Set a ulimit: NAME=SOFT[:HARD]", "LIMIT");
    sub.add_option("--shm-size", m_shm_size, "Size of /dev/shm (b, k, m, g)")->type_name("BYTES");
    sub.add_option("--stop-signal", m_spec.stop_signal, "Signal that stops the container")
      ->type_name("SIGNAL");
    sub.add_option("--stop-timeout", m_stop_timeout, "Seconds to wait for it to stop")
      ->type_name("SECONDS");
    sub
      .add_option("--cidfile", m_spec.cidfile, "Write the container's ID to FILE (must not exist)")
      ->type_name("FILE");
    sub.add_flag("-P,--publish-all", m_spec.publish_all, "Publish every exposed port");
    many("--expose", m_expose, "Expose a port or range: PORT[/PROTO]", "PORT");
    many("-a,--attach", m_attach, "Attach only to STDIN, STDOUT or STDERR", "STREAM");
    sub.add_flag("--sig-proxy", m_spec.sig_proxy,
                 "Forward received signals to the container (default true)");
    sub.add_option("--restart", m_restart, "Restart policy: only \"no\"")->type_name("POLICY");
    sub.add_option("--log-driver", m_log_driver, "Logging driver: only \"none\"")
      ->type_name("DRIVER");
  }

  // The values of add_more_options, parsed into `spec`. Throws
  // Error(Errc::usage) naming a bad value.
  void parse_more_options(backends::RunSpec& spec) const
  {
    for (const auto& text : m_tmpfs) {
      spec.tmpfs.push_back(backends::parse_tmpfs(text));
    }
    for (const auto& text : m_mounts) {
      spec.mount_options.push_back(backends::parse_mount_option(text));
    }
    if (m_cpus) {
      spec.nano_cpus = backends::parse_cpus(*m_cpus);
    }
    if (m_memory) {
      spec.memory = backends::parse_memory_size("--memory", *m_memory);
    }
    for (const auto& text : m_add_hosts) {
      spec.add_hosts.push_back(backends::parse_add_host(text));
    }
    for (const auto& text : m_security_opts) {
      backends::add_security_opt(spec.security, text);
    }
    if (!spec.security.seccomp.empty() && spec.security.seccomp != "unconfined") {
      spec.security.seccomp_profile = read_seccomp_profile(spec.security.seccomp);
    }
    for (const auto& text : m_devices) {
      spec.devices.push_back(backends::parse_device(text));
    }
    for (const auto& text : m_ulimits) {
      spec.ulimits.push_back(backends::parse_ulimit(text));
    }
    if (m_shm_size) {
      spec.shm_size = backends::parse_memory_size("--shm-size", *m_shm_size);
    }
    if (!spec.stop_signal.empty()) {
      backends::parse_stop_signal(spec.stop_signal);
    }
    if (m_stop_timeout) {
      if (*m_stop_timeout < -1) {
        fail(Errc::usage, "invalid --stop-timeout {}: give seconds (-1: wait forever)",
             *m_stop_timeout);
      }
      spec.stop_timeout = *m_stop_timeout;
    }
    for (const auto& text : m_expose) {
      for (const auto& port : backends::parse_expose(text)) {
        spec.expose.push_back(port);
      }
    }
    if (!m_attach.empty()) {
      if (spec.detach) {
        fail(Errc::usage, "conflicting options: -a/--attach and -d/--detach");
      }
      spec.attach.emplace();
      for (const auto& text : m_attach) {
        backends::add_attach(*spec.attach, text);
      }
    }
    backends::check_restart(m_restart);
    backends::check_log_driver(m_log_driver);
    spec.log_none = m_log_driver == "none";
    if (!spec.cidfile.empty()) {
      backends::check_cidfile_absent(spec.cidfile);
    }
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
    parse_more_options(spec);
    if (spec.privileged) {
      enforce_privileged(ctx);
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
  std::vector<std::string> m_tmpfs;
  std::vector<std::string> m_mounts;
  std::optional<std::string> m_cpus;
  std::optional<std::string> m_memory;
  std::vector<std::string> m_add_hosts;
  std::vector<std::string> m_security_opts;
  std::vector<std::string> m_devices;
  std::vector<std::string> m_ulimits;
  std::optional<std::string> m_shm_size;
  std::optional<int> m_stop_timeout;
  std::vector<std::string> m_expose;
  std::vector<std::string> m_attach;
  std::string m_restart;
  std::string m_log_driver;
};

} // namespace

void add_run_command(CLI::App& app, std::vector<CommandEntry>& out)
{
  CLI::App* sub = app.add_subcommand("run", "Run a command in a new container");
  out.push_back({sub, std::make_unique<RunCommand>(*sub)});
}

} // namespace crun::cli
