// The request builders of podman_api.hpp (the decoders are in podman_decode.cpp).
#include <crun/backends/podman/podman_api.hpp>

#include <crun/backends/http_api.hpp>
#include <crun/backends/registry_auth.hpp>
#include <crun/core/error.hpp>
#include <crun/registry/registry_host.hpp>

#include <charconv>

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

transport::HttpRequest make_attach_request(std::string_view root, std::string_view id, bool stdin)
{
  auto req = make_api_request("POST", root, fmt::format("/containers/{}/attach", path_name(id)),
                              {{"stream", "true"},
                               {"stdin", stdin ? "true" : "false"},
                               {"stdout", "true"},
                               {"stderr", "true"},
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
