// The request builders of podman_api.hpp (the decoders are in podman_decode.cpp).
#include <crun/backends/podman/podman_api.hpp>

#include <crun/backends/http_api.hpp>
#include <crun/backends/registry_auth.hpp>
#include <crun/core/error.hpp>
#include <crun/registry/registry_host.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>

namespace crun::backends::podman {
namespace {

// "8000-8010" -> {8000, 11}; "80" -> {80, 1}; "" -> {0, 1}. The parts were
// validated by parse_port_spec.
std::pair<int, int> port_and_range(std::string_view text)
{
  auto number = [](std::string_view s) {
    int value = 0;
    std::from_chars(s.data(), s.data() + s.size(), value);
    return value;
  };
  auto dash = text.find('-');
  if (dash == std::string_view::npos) {
    return {number(text), 1};
  }
  int first = number(text.substr(0, dash));
  int last = number(text.substr(dash + 1));
  return {first, last >= first ? last - first + 1 : 1};
}

// --network as the podman CLI reads it: the namespace modes by name, else
// the name of a network to join in bridge mode.
void add_network(nlohmann::json& body, const std::string& network)
{
  if (network.empty()) {
    return;
  }
  if (network == "none" || network == "host" || network == "private" || network == "slirp4netns" ||
      network == "pasta") {
    body["netns"] = {{"nsmode", network}};
  } else if (network == "bridge" || network == "default") {
    body["netns"] = {{"nsmode", "bridge"}};
  } else if (network.starts_with("container:")) {
    body["netns"] = {{"nsmode", "container"}, {"value", network.substr(10)}};
  } else if (network.starts_with("ns:")) {
    body["netns"] = {{"nsmode", "path"}, {"value", network.substr(3)}};
  } else {
    body["netns"] = {{"nsmode", "bridge"}};
    // No json tag on this SpecGenerator field in 4.x: the Go name is the key.
    body["Networks"][network] = nlohmann::json::object();
  }
}

void add_mounts(nlohmann::json& body, const std::vector<MountSpec>& mounts)
{
  for (const auto& mount : mounts) {
    if (mount.is_bind()) {
      // rbind as the podman CLI does for -v; the mode comes first, then the
      // rest of what the user wrote (z, Z, shared, ...).
      nlohmann::json options = {"rbind", mount.read_only() ? "ro" : "rw"};
      for (const auto& option : mount.options) {
        if (option != "ro" && option != "rw") {
          options.push_back(option);
        }
      }
      body["mounts"].push_back({{"destination", mount.target},
                                {"type", "bind"},
                                {"source", mount.source},
                                {"options", options}});
    } else {
      // A named volume, or an anonymous one (empty Name: libpod creates it
      // and marks it anonymous, so removal with volumes=true deletes it).
      body["volumes"].push_back(
        {{"Name", mount.source}, {"Dest", mount.target}, {"Options", mount.options}});
    }
  }
}

void add_ports(nlohmann::json& body, const std::vector<PortSpec>& ports)
{
  for (const auto& port : ports) {
    auto [container_port, range] = port_and_range(port.container_port);
    nlohmann::json mapping = {
      {"container_port", container_port}, {"protocol", port.protocol}, {"range", range}};
    if (!port.host_port.empty()) {
      mapping["host_port"] = port_and_range(port.host_port).first;
    }
    if (!port.host_ip.empty()) {
      mapping["host_ip"] = port.host_ip;
    }
    body["portmappings"].push_back(mapping);
  }
}

[[noreturn]] void refuse(std::string_view option, std::string_view why)
{
  fail(Errc::usage, "{}: the podman backend cannot do this: {}", option, why);
}

// --userns as the podman CLI reads it (namespaces.go).
nlohmann::json userns_json(const std::string& mode)
{
  auto colon = mode.find(':');
  std::string kind = mode.substr(0, colon);
  std::string value = colon == std::string::npos ? "" : mode.substr(colon + 1);
  if (kind == "ns") {
    return {{"nsmode", "path"}, {"value", value}};
  }
  if (kind == "keep-id" || kind == "auto" || kind == "nomap") {
    nlohmann::json out = {{"nsmode", kind}};
    if (!value.empty()) {
      out["value"] = value;
    }
    return out;
  }
  if ((kind == "host" || kind == "private") && value.empty()) {
    return {{"nsmode", kind}};
  }
  refuse(fmt::format("--userns {}", mode),
         "Podman's modes are host, private, keep-id[:uid=U,gid=G], auto[:OPTS], nomap, ns:PATH");
}

void add_mount_options(nlohmann::json& body, const RunSpec& spec)
{
  for (const auto& tmpfs : spec.tmpfs) {
    nlohmann::json options = nlohmann::json::array();
    std::size_t start = 0;
    while (start < tmpfs.options.size()) {
      auto comma = tmpfs.options.find(',', start);
      auto option = tmpfs.options.substr(start, comma == std::string::npos ? comma : comma - start);
      if (!option.empty()) {
        options.push_back(option);
      }
      start = comma == std::string::npos ? tmpfs.options.size() : comma + 1;
    }
    body["mounts"].push_back({{"destination", tmpfs.target},
                              {"type", "tmpfs"},
                              {"source", "tmpfs"},
                              {"options", options}});
  }
  for (const auto& mount : spec.mount_options) {
    nlohmann::json options = nlohmann::json::array();
    if (mount.read_only) {
      options.push_back("ro");
    }
    switch (mount.type) {
    case MountOption::Type::bind:
      options.insert(options.begin(), "rbind");
      if (!mount.bind_propagation.empty()) {
        options.push_back(mount.bind_propagation);
      }
      body["mounts"].push_back({{"destination", mount.target},
                                {"type", "bind"},
                                {"source", mount.source},
                                {"options", options}});
      break;
    case MountOption::Type::tmpfs:
      if (mount.tmpfs_size) {
        options.push_back(fmt::format("size={}", *mount.tmpfs_size));
      }
      if (mount.tmpfs_mode) {
        options.push_back(fmt::format("mode={:o}", *mount.tmpfs_mode));
      }
      body["mounts"].push_back({{"destination", mount.target},
                                {"type", "tmpfs"},
                                {"source", "tmpfs"},
                                {"options", options}});
      break;
    case MountOption::Type::volume:
      if (mount.volume_nocopy) {
        options.push_back("nocopy");
      }
      body["volumes"].push_back(
        {{"Name", mount.source}, {"Dest", mount.target}, {"Options", options}});
      break;
    }
  }
}

// The SpecGenerator fields of the options of run_options.hpp, as the podman
// CLI fills them (pkg/specgenutil).
void add_run_options(nlohmann::json& body, const RunSpec& spec)
{
  if (!spec.hostname.empty()) {
    body["hostname"] = spec.hostname;
  }
  if (spec.init) {
    body["init"] = true;
  }
  if (spec.read_only) {
    body["read_only_filesystem"] = true;
  }
  add_mount_options(body, spec);
  if (spec.nano_cpus) {
    // podman --cpus: a CFS quota over a 100 ms period.
    body["resource_limits"]["cpu"] = {{"period", 100000}, {"quota", *spec.nano_cpus / 10000}};
  }
  if (spec.memory) {
    body["resource_limits"]["memory"]["limit"] = *spec.memory;
  }
  for (const auto& entry : spec.add_hosts) {
    body["hostadd"].push_back(entry.host + ":" + entry.ip);
  }
  if (!spec.cap_add.empty()) {
    body["cap_add"] = spec.cap_add;
  }
  if (!spec.cap_drop.empty()) {
    body["cap_drop"] = spec.cap_drop;
  }
  const auto& security = spec.security;
  if (security.no_new_privileges) {
    body["no_new_privileges"] = true;
  }
  if (!security.seccomp.empty()) {
    body["seccomp_profile_path"] = security.seccomp;
  }
  if (!security.apparmor.empty()) {
    body["apparmor_profile"] = security.apparmor;
  }
  if (!security.labels.empty()) {
    body["selinux_opts"] = security.labels;
  }
  if (spec.privileged) {
    body["privileged"] = true;
  }
  for (const auto& device : spec.devices) {
    body["devices"].push_back(
      {{"path", device.host_path + ":" + device.container_path + ":" + device.permissions}});
  }
  if (!spec.group_add.empty()) {
    body["groups"] = spec.group_add;
  }
  if (!spec.userns.empty()) {
    body["userns"] = userns_json(spec.userns);
  }
  for (const auto& limit : spec.ulimits) {
    // The name as the podman CLI sends it: libpod prefixes RLIMIT_ itself.
    const std::string& type = limit.name;
    // -1 (unlimited) is the largest uint64, as the podman CLI sends it.
    auto value = [](std::int64_t v) -> nlohmann::json {
      if (v < 0) {
        return std::numeric_limits<std::uint64_t>::max();
      }
      return v;
    };
    body["r_limits"].push_back(
      {{"type", type}, {"soft", value(limit.soft)}, {"hard", value(limit.hard)}});
  }
  if (spec.shm_size) {
    body["shm_size"] = *spec.shm_size;
  }
  if (!spec.stop_signal.empty()) {
    body["stop_signal"] = parse_stop_signal(spec.stop_signal);
  }
  if (spec.stop_timeout) {
    body["stop_timeout"] = *spec.stop_timeout;
  }
  if (spec.publish_all) {
    body["publish_image_ports"] = true;
  }
  for (const auto& port : spec.expose) {
    body["expose"][std::to_string(port.port)] = port.protocol;
  }
  if (spec.log_none) {
    body["log_configuration"] = {{"driver", "none"}};
  }
}

} // namespace

std::string check_libpod_version(std::string_view server)
{
  bool well_formed = !server.empty() && server.find('.') != std::string_view::npos &&
                     server.front() >= '0' && server.front() <= '9';
  for (char c : server) {
    // "4.3.1", also "5.0.0-dev" and "4.9.4-rhel".
    if (!(c >= '0' && c <= '9') && c != '.' && c != '-' && !(c >= 'a' && c <= 'z')) {
      well_formed = false;
    }
  }
  if (!well_formed) {
    fail(Errc::protocol,
         "the engine announced libpod API version \"{}\", which is not "
         "MAJOR.MINOR.PATCH",
         server);
  }
  if (compare_versions(server, k_min_libpod_api) < 0) {
    fail(Errc::engine_error,
         "the engine speaks libpod API {}, older than the {} crun-any needs: upgrade Podman "
         "(4.0 or later)",
         server, k_min_libpod_api);
  }
  return std::string(server);
}

std::string api_root(std::string_view api)
{
  return fmt::format("/v{}/libpod", api);
}

transport::HttpRequest make_info_request(std::string_view root)
{
  return make_api_request("GET", root, "/info");
}

transport::HttpRequest make_pull_request(std::string_view root, const core::ImageRef& ref,
                                         const core::Platform& platform,
                                         const std::optional<registry::Credentials>& credentials)
{
  QueryParams params = {{"reference", ref.str()},
                        {"policy", "always"},
                        {"arch", platform.architecture},
                        {"os", platform.os},
                        {"variant", platform.variant}};
  // Only loopback registries are spoken to over plain HTTP (registry_host.hpp),
  // as the registry client does; everything else keeps TLS verification.
  if (registry::use_plain_http(ref.domain())) {
    params.emplace_back("tlsVerify", "false");
  }
  params.emplace_back("quiet", "false");
  auto req = make_api_request("POST", root, "/images/pull", params);
  add_registry_auth(req, ref, credentials);
  return req;
}

nlohmann::json make_create_body(const RunSpec& spec, std::string_view image)
{
  nlohmann::json body = {
    {"image", image},
    {"raw_image_name", spec.image_name},
    {"image_os", spec.platform.os},
    {"image_arch", spec.platform.architecture},
    {"terminal", spec.tty},
    {"stdin", spec.interactive},
  };
  if (!spec.platform.variant.empty()) {
    body["image_variant"] = spec.platform.variant;
  }
  if (!spec.name.empty()) {
    body["name"] = spec.name;
  }
  if (!spec.command.empty()) {
    body["command"] = spec.command;
  }
  if (spec.entrypoint) {
    // --entrypoint= (empty) resets the image's entrypoint: [""] as in docker.
    body["entrypoint"] = nlohmann::json::array({*spec.entrypoint});
  }
  body["env"] = nlohmann::json::object();
  for (const auto& entry : spec.env) {
    auto eq = entry.find('=');
    body["env"][entry.substr(0, eq)] = eq == std::string::npos ? "" : entry.substr(eq + 1);
  }
  if (!spec.workdir.empty()) {
    body["work_dir"] = spec.workdir;
  }
  if (!spec.user.empty()) {
    body["user"] = spec.user;
  }
  body["labels"] = nlohmann::json::object();
  for (const auto& [key, value] : spec.labels) {
    body["labels"][key] = value;
  }
  add_mounts(body, spec.mounts);
  add_ports(body, spec.ports);
  add_network(body, spec.network);
  add_run_options(body, spec);
  if (spec.remove) {
    // The engine removes the container even when crun-any dies (SIGKILL) or
    // nobody waits for it (-d), as Docker's AutoRemove does.
    body["remove"] = true;
  }
  return body;
}

transport::HttpRequest make_create_request(std::string_view root, const RunSpec& spec,
                                           std::string_view image)
{
  auto req = make_api_request("POST", root, "/containers/create");
  set_json_body(req, make_create_body(spec, image));
  return req;
}

transport::HttpRequest make_attach_request(std::string_view root, std::string_view id, bool stdin,
                                           bool stdout, bool stderr)
{
  auto req = make_api_request("POST", root, fmt::format("/containers/{}/attach", path_name(id)),
                              {{"stream", "true"},
                               {"stdin", stdin ? "true" : "false"},
                               {"stdout", stdout ? "true" : "false"},
                               {"stderr", stderr ? "true" : "false"},
                               {"detachKeys", ""}});
  ask_upgrade(req);
  return req;
}

transport::HttpRequest make_wait_request(std::string_view root, std::string_view id)
{
  return make_api_request("POST", root, fmt::format("/containers/{}/wait", path_name(id)));
}

transport::HttpRequest make_died_events_request(std::string_view root, std::string_view id)
{
  nlohmann::json filters = {
    {"type", {"container"}}, {"container", {std::string(id)}}, {"event", {"died"}}};
  return make_api_request("GET", root, "/events",
                          {{"stream", "false"}, {"filters", filters.dump()}});
}

transport::HttpRequest make_remove_request(std::string_view root, std::string_view id)
{
  // `v` is what Docker-compatible paths read; libpod's own is `volumes`.
  return make_api_request("DELETE", root, fmt::format("/containers/{}", path_name(id)),
                          {{"force", "true"}, {"v", "true"}, {"volumes", "true"}});
}

} // namespace crun::backends::podman
