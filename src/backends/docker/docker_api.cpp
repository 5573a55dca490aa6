#include <crun/backends/docker/docker_api.hpp>

#include <crun/backends/http_api.hpp>
#include <crun/backends/http_decode.hpp>
#include <crun/backends/json_fields.hpp>
#include <crun/backends/registry_auth.hpp>
#include <crun/core/error.hpp>

namespace crun::backends::docker {
namespace {

[[noreturn]] void refuse(std::string_view option, std::string_view why)
{
  fail(Errc::usage, "{}: the docker backend cannot do this: {}", option, why);
}

nlohmann::json mount_json(const MountOption& mount)
{
  using Type = MountOption::Type;
  nlohmann::json out = {{"Type", mount.type == Type::bind     ? "bind"
                                 : mount.type == Type::volume ? "volume"
                                                              : "tmpfs"},
                        {"Target", mount.target}};
  if (!mount.source.empty()) {
    out["Source"] = mount.source;
  }
  if (mount.read_only) {
    out["ReadOnly"] = true;
  }
  if (!mount.bind_propagation.empty()) {
    out["BindOptions"]["Propagation"] = mount.bind_propagation;
  }
  if (mount.volume_nocopy) {
    out["VolumeOptions"]["NoCopy"] = true;
  }
  if (mount.tmpfs_size) {
    out["TmpfsOptions"]["SizeBytes"] = *mount.tmpfs_size;
  }
  if (mount.tmpfs_mode) {
    out["TmpfsOptions"]["Mode"] = *mount.tmpfs_mode;
  }
  return out;
}

// The HostConfig fields of the options of run_options.hpp, as the docker
// CLI fills them.
void add_host_options(nlohmann::json& host, const RunSpec& spec)
{
  if (spec.init) {
    host["Init"] = true;
  }
  if (spec.read_only) {
    host["ReadonlyRootfs"] = true;
  }
  for (const auto& tmpfs : spec.tmpfs) {
    host["Tmpfs"][tmpfs.target] = tmpfs.options;
  }
  for (const auto& mount : spec.mount_options) {
    host["Mounts"].push_back(mount_json(mount));
  }
  if (spec.nano_cpus) {
    host["NanoCpus"] = *spec.nano_cpus;
  }
  if (spec.memory) {
    host["Memory"] = *spec.memory;
  }
  for (const auto& entry : spec.add_hosts) {
    host["ExtraHosts"].push_back(entry.host + ":" + entry.ip);
  }
  if (!spec.cap_add.empty()) {
    host["CapAdd"] = spec.cap_add;
  }
  if (!spec.cap_drop.empty()) {
    host["CapDrop"] = spec.cap_drop;
  }
  const auto& security = spec.security;
  if (security.no_new_privileges) {
    host["SecurityOpt"].push_back("no-new-privileges");
  }
  if (!security.seccomp.empty()) {
    // The docker CLI sends a profile file's content, not its path.
    host["SecurityOpt"].push_back("seccomp=" + (security.seccomp == "unconfined"
                                                  ? security.seccomp
                                                  : security.seccomp_profile));
  }
  if (!security.apparmor.empty()) {
    host["SecurityOpt"].push_back("apparmor=" + security.apparmor);
  }
  for (const auto& label : security.labels) {
    host["SecurityOpt"].push_back("label=" + label);
  }
  if (spec.privileged) {
    host["Privileged"] = true;
  }
  for (const auto& device : spec.devices) {
    host["Devices"].push_back({{"PathOnHost", device.host_path},
                               {"PathInContainer", device.container_path},
                               {"CgroupPermissions", device.permissions}});
  }
  if (!spec.group_add.empty()) {
    host["GroupAdd"] = spec.group_add;
  }
  if (!spec.userns.empty()) {
    if (spec.userns != "host") {
      refuse(fmt::format("--userns {}", spec.userns),
             "Docker accepts only --userns host (or no --userns); user namespace remapping is "
             "the daemon's configuration (userns-remap). keep-id is Podman's: use "
             "--backend podman");
    }
    host["UsernsMode"] = "host";
  }
  for (const auto& limit : spec.ulimits) {
    host["Ulimits"].push_back({{"Name", limit.name}, {"Soft", limit.soft}, {"Hard", limit.hard}});
  }
  if (spec.shm_size) {
    host["ShmSize"] = *spec.shm_size;
  }
  if (spec.publish_all) {
    host["PublishAllPorts"] = true;
  }
  if (spec.log_none) {
    host["LogConfig"] = {{"Type", "none"}, {"Config", nlohmann::json::object()}};
  }
}

} // namespace

std::string negotiate_api_version(std::string_view server)
{
  auto dot = server.find('.');
  if (server.empty() || dot == std::string_view::npos || dot == 0 || dot + 1 == server.size()) {
    fail(Errc::protocol, "the engine announced API version \"{}\", which is not MAJOR.MINOR",
         server);
  }
  if (compare_versions(server, k_min_api) < 0) {
    fail(Errc::engine_error,
         "the engine speaks Docker API {}, older than the {} crun-any needs: upgrade the engine "
         "(Docker 20.10 or later)",
         server, k_min_api);
  }
  return std::string(compare_versions(server, k_max_api) > 0 ? k_max_api : server);
}

std::string api_root(std::string_view api)
{
  return fmt::format("/v{}", api);
}

core::Platform decode_version_platform(const nlohmann::json& doc)
{
  return decode_host_platform(doc, "Os", "Arch", "the Docker engine's /version names no Arch");
}

transport::HttpRequest make_pull_request(std::string_view root, const core::ImageRef& ref,
                                         const core::Platform& platform,
                                         const std::optional<registry::Credentials>& credentials)
{
  // Always send a tag or digest: without one Docker pulls every tag.
  std::string tag = ref.digest() ? ref.digest()->str() : ref.tag_or_latest();
  auto req =
    make_api_request("POST", root, "/images/create",
                     {{"fromImage", ref.repository()}, {"tag", tag}, {"platform", platform.str()}});
  add_registry_auth(req, ref, credentials);
  return req;
}

nlohmann::json make_create_body(const RunSpec& spec)
{
  nlohmann::json body = {
    {"Image", spec.image_name},
    {"Tty", spec.tty},
    {"OpenStdin", spec.interactive},
    // StdinOnce makes the half-close of the attach close the container's
    // stdin, so `echo hi | crun-any run -i IMG cat` ends.
    {"StdinOnce", spec.interactive},
    {"AttachStdin", spec.attach_stdin() && !spec.detach},
    {"AttachStdout", spec.attach_stdout() && !spec.detach},
    {"AttachStderr", spec.attach_stderr() && !spec.detach},
    {"Env", spec.env},
  };
  if (!spec.command.empty()) {
    body["Cmd"] = spec.command;
  }
  if (spec.entrypoint) {
    // --entrypoint= (empty) resets the image's entrypoint, as docker sends [""].
    body["Entrypoint"] = nlohmann::json::array({*spec.entrypoint});
  }
  if (!spec.workdir.empty()) {
    body["WorkingDir"] = spec.workdir;
  }
  if (!spec.user.empty()) {
    body["User"] = spec.user;
  }
  body["Labels"] = nlohmann::json::object();
  for (const auto& [key, value] : spec.labels) {
    body["Labels"][key] = value;
  }

  nlohmann::json host = {{"AutoRemove", spec.remove}};
  nlohmann::json binds = nlohmann::json::array();
  for (const auto& mount : spec.mounts) {
    std::string bind = mount.source.empty() ? mount.target : mount.source + ":" + mount.target;
    if (!mount.source.empty() && !mount.options.empty()) {
      bind += ":";
      for (std::size_t i = 0; i < mount.options.size(); ++i) {
        bind += (i ? "," : "") + mount.options[i];
      }
    }
    if (mount.source.empty()) {
      body["Volumes"][mount.target] = nlohmann::json::object();
    } else {
      binds.push_back(bind);
    }
  }
  if (!binds.empty()) {
    host["Binds"] = binds;
  }
  for (const auto& port : spec.ports) {
    std::string key = port.container_port + "/" + port.protocol;
    body["ExposedPorts"][key] = nlohmann::json::object();
    host["PortBindings"][key].push_back({{"HostIp", port.host_ip}, {"HostPort", port.host_port}});
  }
  for (const auto& port : spec.expose) {
    body["ExposedPorts"][fmt::format("{}/{}", port.port, port.protocol)] = nlohmann::json::object();
  }
  if (!spec.network.empty()) {
    host["NetworkMode"] = spec.network;
  }
  if (!spec.hostname.empty()) {
    body["Hostname"] = spec.hostname;
  }
  if (!spec.stop_signal.empty()) {
    body["StopSignal"] = spec.stop_signal;
  }
  if (spec.stop_timeout) {
    body["StopTimeout"] = *spec.stop_timeout;
  }
  add_host_options(host, spec);
  body["HostConfig"] = host;
  return body;
}

transport::HttpRequest make_create_request(std::string_view root, const RunSpec& spec)
{
  QueryParams params;
  if (!spec.name.empty()) {
    params.emplace_back("name", spec.name);
  }
  // The daemon then refuses a local image of another platform (404), which
  // sends run through its pull path instead of running the wrong image.
  params.emplace_back("platform", spec.platform.str());
  auto req = make_api_request("POST", root, "/containers/create", params);
  set_json_body(req, make_create_body(spec));
  return req;
}

transport::HttpRequest make_attach_request(std::string_view root, std::string_view id, bool stdin,
                                           bool stdout, bool stderr)
{
  auto req = make_api_request("POST", root, fmt::format("/containers/{}/attach", path_name(id)),
                              {{"stream", "1"},
                               {"stdin", stdin ? "1" : "0"},
                               {"stdout", stdout ? "1" : "0"},
                               {"stderr", stderr ? "1" : "0"}});
  ask_upgrade(req);
  return req;
}

transport::HttpRequest make_wait_request(std::string_view root, std::string_view id, bool removed)
{
  return make_api_request("POST", root, fmt::format("/containers/{}/wait", path_name(id)),
                          {{"condition", removed ? "removed" : "next-exit"}});
}

transport::HttpRequest make_remove_request(std::string_view root, std::string_view id)
{
  return make_api_request("DELETE", root, fmt::format("/containers/{}", path_name(id)),
                          {{"force", "1"}, {"v", "1"}});
}

ImageInfo decode_image(const nlohmann::json& doc, std::string_view asked)
{
  return decode_image_inspect(doc, asked, "docker");
}

ContainerInfo decode_container(const nlohmann::json& doc)
{
  ContainerInfo c = decode_container_inspect(doc, "docker");
  c.config = decode_image_config(field(doc, "Config"));
  c.platform.os = string_field(doc, "Platform");
  return c;
}

WaitResult decode_wait(std::string_view body)
{
  auto doc = nlohmann::json::parse(body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("StatusCode") ||
      !doc["StatusCode"].is_number_integer()) {
    fail(Errc::protocol, "the engine's wait answer is not {{\"StatusCode\": N}}: {}",
         first_line(body).substr(0, 200));
  }
  WaitResult result;
  result.status_code = doc["StatusCode"].get<int>();
  if (doc.contains("Error") && doc["Error"].is_object()) {
    result.error = string_field(doc["Error"], "Message");
  }
  return result;
}

} // namespace crun::backends::docker
