#include <crun/backends/apple/apple_args.hpp>

#include <crun/core/error.hpp>
#include <crun/registry/registry_host.hpp>

#include <regex>

namespace crun::backends::apple {
namespace {

void refuse(std::string_view option, std::string_view why_and_fix)
{
  fail(Errc::usage, "{}: the apple backend cannot do this: {}", option, why_and_fix);
}

std::string port_arg(const PortSpec& port)
{
  if (port.host_port.empty()) {
    refuse(fmt::format("-p {}", port.container_port),
           fmt::format("Apple's container cannot publish a container port without a host "
                       "port; give -p HOSTPORT:{}",
                       port.container_port));
  }
  std::string out;
  if (!port.host_ip.empty()) {
    out =
      port.host_ip.find(':') != std::string::npos ? "[" + port.host_ip + "]:" : port.host_ip + ":";
  }
  out += port.host_port + ":" + port.container_port;
  if (!port.protocol.empty() && port.protocol != "tcp") {
    out += "/" + port.protocol;
  }
  return out;
}

std::string volume_arg(const MountSpec& mount)
{
  if (mount.source.empty()) {
    refuse(fmt::format("-v {}", mount.target),
           "Apple's container keeps anonymous volumes after --rm and crun-any would leave them "
           "behind; give a host directory (-v /host/dir:" +
             mount.target + ") or a named volume (-v NAME:" + mount.target + ")");
  }
  std::string out = mount.source + ":" + mount.target;
  bool read_only = false;
  for (const auto& option : mount.options) {
    if (option == "ro" || option == "readonly") {
      read_only = true;
    } else if (option != "rw") {
      refuse(fmt::format("-v {}:{}:{}", mount.source, mount.target, option),
             fmt::format("Apple's container shares host directories into a VM and knows no "
                         "'{}' option; only ro and rw are mapped",
                         option));
    }
  }
  return read_only ? out + ":ro" : out;
}

void add_all(Args& args, std::string_view flag, const std::vector<std::string>& values)
{
  for (const auto& value : values) {
    args.emplace_back(flag);
    args.push_back(value);
  }
}

// Apple's sizes take binary units: whole MiB as "NM", else bytes.
std::string apple_size(std::int64_t bytes)
{
  constexpr std::int64_t k_mib = 1024 * 1024;
  return bytes % k_mib == 0 ? fmt::format("{}M", bytes / k_mib) : std::to_string(bytes);
}

std::string apple_mount_arg(const MountOption& mount)
{
  std::string spec = fmt::format("--mount {}", mount.target);
  if (!mount.bind_propagation.empty() || mount.volume_nocopy || mount.tmpfs_size ||
      mount.tmpfs_mode) {
    refuse(spec, "Apple's container maps type, source, target and readonly of --mount; not "
                 "bind-propagation, volume-nocopy, tmpfs-size or tmpfs-mode");
  }
  std::string out;
  switch (mount.type) {
  case MountOption::Type::bind: out = "type=bind,source=" + mount.source; break;
  case MountOption::Type::tmpfs: out = "type=tmpfs"; break;
  case MountOption::Type::volume:
    if (mount.source.empty()) {
      refuse(spec, "Apple's container keeps anonymous volumes after --rm and crun-any would "
                   "leave them behind; name the volume (source=NAME)");
    }
    out = "type=volume,source=" + mount.source;
    break;
  }
  out += ",target=" + mount.target;
  if (mount.read_only) {
    out += ",readonly";
  }
  return out;
}

// The options of run_options.hpp Apple's `container run` has (--init,
// --read-only, --tmpfs, --mount, -c, -m, --cap-add, --cap-drop, --ulimit,
// --shm-size from 1.0); every other one is refused, named.
void add_run_options(Args& args, const AppleVersion& version, const RunSpec& spec)
{
  auto lacks = [](std::string_view option, std::string_view what) {
    refuse(option, fmt::format("Apple's container run has no {}", what));
  };
  if (!spec.hostname.empty()) {
    lacks("--hostname", "--hostname (the hostname is the container's ID: use --name)");
  }
  if (!spec.add_hosts.empty()) {
    lacks("--add-host", "--add-host");
  }
  if (!spec.security.empty()) {
    lacks("--security-opt", "--security-opt (each container is a virtual machine)");
  }
  if (spec.privileged) {
    lacks("--privileged", "--privileged (each container is a virtual machine)");
  }
  if (!spec.devices.empty()) {
    lacks("--device", "--device (each container is a virtual machine)");
  }
  if (!spec.group_add.empty()) {
    lacks("--group-add", "--group-add (only --gid, the primary group)");
  }
  if (!spec.userns.empty()) {
    lacks("--userns", "--userns");
  }
  if (!spec.stop_signal.empty()) {
    lacks("--stop-signal", "--stop-signal (the image's StopSignal is used)");
  }
  if (spec.stop_timeout) {
    lacks("--stop-timeout", "--stop-timeout");
  }
  if (spec.publish_all) {
    lacks("-P/--publish-all", "-P: publish each port with -p HOSTPORT:PORT");
  }
  if (!spec.expose.empty()) {
    lacks("--expose", "--expose");
  }
  if (spec.attach) {
    lacks("-a/--attach", "--attach (its -a is --arch): every stream is attached");
  }
  if (!spec.sig_proxy) {
    lacks("--sig-proxy=false",
          "--sig-proxy: it forwards SIGINT and SIGTERM to the container itself");
  }
  if (spec.log_none) {
    lacks("--log-driver none", "--log-driver: it always keeps the container's log");
  }
  if (spec.init) {
    args.emplace_back("--init");
  }
  if (spec.read_only) {
    args.emplace_back("--read-only");
  }
  for (const auto& tmpfs : spec.tmpfs) {
    if (!tmpfs.options.empty()) {
      refuse(fmt::format("--tmpfs {}:{}", tmpfs.target, tmpfs.options),
             "Apple's --tmpfs takes a path without options; give --tmpfs " + tmpfs.target);
    }
    args.insert(args.end(), {"--tmpfs", tmpfs.target});
  }
  for (const auto& mount : spec.mount_options) {
    args.insert(args.end(), {"--mount", apple_mount_arg(mount)});
  }
  if (spec.nano_cpus) {
    if (*spec.nano_cpus % 1'000'000'000 != 0) {
      refuse(fmt::format("--cpus {}", static_cast<double>(*spec.nano_cpus) / 1e9),
             "Apple's container gives a virtual machine whole CPUs; give an integer");
    }
    args.insert(args.end(), {"--cpus", std::to_string(*spec.nano_cpus / 1'000'000'000)});
  }
  if (spec.memory) {
    args.insert(args.end(), {"--memory", apple_size(*spec.memory)});
  }
  add_all(args, "--cap-add", spec.cap_add);
  add_all(args, "--cap-drop", spec.cap_drop);
  for (const auto& limit : spec.ulimits) {
    auto value = [](std::int64_t v) {
      return v < 0 ? std::string("unlimited") : std::to_string(v);
    };
    args.emplace_back("--ulimit");
    args.push_back(fmt::format("{}={}:{}", limit.name, value(limit.soft), value(limit.hard)));
  }
  if (spec.shm_size) {
    if (!version.at_least(1, 0)) {
      refuse("--shm-size", "Apple's container has --shm-size from 1.0; upgrade it");
    }
    args.insert(args.end(), {"--shm-size", apple_size(*spec.shm_size)});
  }
}

} // namespace

Args progress_none_args(const AppleVersion& version)
{
  if (progress_takes_value(version)) {
    return {"--progress", "none"};
  }
  return {"--disable-progress-updates"};
}

Args status_args(const AppleVersion& version)
{
  if (status_has_format(version)) {
    return {"system", "status", "--format", "json"};
  }
  return {"system", "status"};
}

Args pull_args(const AppleVersion& version, const core::ImageRef& ref,
               const core::Platform& platform)
{
  Args args{"image", "pull"};
  for (auto& arg : progress_none_args(version)) {
    args.push_back(std::move(arg));
  }
  args.insert(args.end(), {"--platform", platform.str()});
  bool plain = registry::use_plain_http(registry::registry_host(ref));
  args.insert(args.end(), {"--scheme", plain ? "http" : "https", ref.str()});
  return args;
}

Args image_inspect_args(const std::string& name)
{
  return {"image", "inspect", name};
}

Args image_tag_args(const std::string& source, const core::ImageRef& target)
{
  return {"image", "tag", source, target.str()};
}

Args inspect_args(const std::string& id)
{
  return {"inspect", id};
}

Args kill_args(const std::string& id, std::optional<std::string> signal)
{
  Args args{"kill"};
  if (signal) {
    args.insert(args.end(), {"--signal", *signal});
  }
  args.push_back(id);
  return args;
}

Args delete_force_args(const std::string& id)
{
  return {"delete", "--force", id};
}

bool is_valid_container_name(std::string_view name)
{
  static const std::regex pattern("^[a-zA-Z0-9][a-zA-Z0-9_.-]+$");
  return name.size() <= 63 && std::regex_match(std::string(name), pattern);
}

std::optional<std::string> env_file_text(const std::vector<std::string>& env)
{
  std::string text;
  for (const auto& entry : env) {
    // A line break would end the entry; a leading blank or '#' would be
    // trimmed or read as a comment (a name never starts with either).
    if (entry.find_first_of("\r\n") != std::string::npos || entry.empty() || entry.front() == '#' ||
        entry.front() == ' ' || entry.front() == '\t') {
      return std::nullopt;
    }
    text += entry;
    text += '\n';
  }
  return text;
}

Args run_args(const AppleVersion& version, const RunSpec& spec, const std::string& cidfile,
              const std::string& env_file)
{
  Args args{"run"};
  for (auto& arg : progress_none_args(version)) {
    args.push_back(std::move(arg));
  }
  args.insert(args.end(), {"--platform", spec.platform.str()});
  if (spec.remove) {
    args.emplace_back("--rm");
  }
  if (spec.interactive) {
    args.emplace_back("-i");
  }
  if (spec.tty) {
    args.emplace_back("-t");
  }
  if (spec.detach) {
    args.emplace_back("-d");
  }
  if (!cidfile.empty()) {
    args.insert(args.end(), {"--cidfile", cidfile});
  }
  if (!env_file.empty() && !spec.env.empty() && env_file_text(spec.env)) {
    args.insert(args.end(), {"--env-file", env_file});
  } else {
    add_all(args, "-e", spec.env);
  }
  for (const auto& mount : spec.mounts) {
    args.emplace_back("-v");
    args.push_back(volume_arg(mount));
  }
  for (const auto& port : spec.ports) {
    args.emplace_back("-p");
    args.push_back(port_arg(port));
  }
  for (const auto& [key, value] : spec.labels) {
    args.emplace_back("-l");
    args.push_back(key + "=" + value);
  }
  if (!spec.name.empty()) {
    if (!is_valid_container_name(spec.name)) {
      refuse(fmt::format("--name {}", spec.name),
             "Apple's container uses the name as the container's ID, which must match "
             "[a-zA-Z0-9][a-zA-Z0-9_.-]+ and be at most 63 characters");
    }
    args.insert(args.end(), {"--name", spec.name});
  }
  if (!spec.workdir.empty()) {
    args.insert(args.end(), {"-w", spec.workdir});
  }
  if (!spec.user.empty()) {
    args.insert(args.end(), {"-u", spec.user});
  }
  std::vector<std::string> command = spec.command;
  if (spec.entrypoint) {
    if (!spec.entrypoint->empty()) {
      args.insert(args.end(), {"--entrypoint", *spec.entrypoint});
    } else if (!command.empty()) {
      // docker's `--entrypoint "" IMAGE CMD ARGS` runs CMD ARGS: Apple's
      // `--entrypoint CMD IMAGE ARGS` runs the same process.
      args.insert(args.end(), {"--entrypoint", command.front()});
      command.erase(command.begin());
    } else {
      refuse("--entrypoint \"\"",
             "Apple's container cannot clear the image's entrypoint without a command to run "
             "instead; give the command after the image");
    }
  }
  add_run_options(args, version, spec);
  if (!spec.network.empty()) {
    if (spec.network == "host" || spec.network.starts_with("container:")) {
      refuse(fmt::format("--network {}", spec.network),
             "each Apple container is a virtual machine with a network of its own; use "
             "--network NAME (a network created with `container network create`) or none");
    }
    args.insert(args.end(), {"--network", spec.network});
  }
  args.emplace_back("--");
  args.push_back(spec.image_name);
  args.insert(args.end(), command.begin(), command.end());
  return args;
}

Env child_env(const Env& env, const std::optional<registry::Credentials>& credentials,
              const std::string& registry_host)
{
  std::map<std::string, std::string, std::less<>> vars;
  for (const auto& [name, value] : env.vars()) {
    if (!name.starts_with("CONTAINER_")) {
      vars.emplace(name, value);
    }
  }
  if (credentials && !registry_host.empty()) {
    const std::string& secret =
      credentials->password.empty() ? credentials->identity_token : credentials->password;
    if (!credentials->username.empty() && !secret.empty()) {
      vars["CONTAINER_REGISTRY_HOST"] = registry_host;
      vars["CONTAINER_REGISTRY_USER"] = credentials->username;
      vars["CONTAINER_REGISTRY_TOKEN"] = secret;
    }
  }
  return Env(std::move(vars));
}

} // namespace crun::backends::apple
