#include <crun/backends/docker/docker_api.hpp>

#include <crun/backends/http_api.hpp>
#include <crun/backends/http_decode.hpp>
#include <crun/backends/json_fields.hpp>
#include <crun/backends/registry_auth.hpp>
#include <crun/core/error.hpp>

namespace crun::backends::docker {

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
    {"AttachStdin", spec.interactive && !spec.detach},
    {"AttachStdout", !spec.detach},
    {"AttachStderr", !spec.detach},
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
  if (!spec.network.empty()) {
    host["NetworkMode"] = spec.network;
  }
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

transport::HttpRequest make_attach_request(std::string_view root, std::string_view id, bool stdin)
{
  auto req = make_api_request(
    "POST", root, fmt::format("/containers/{}/attach", path_name(id)),
    {{"stream", "1"}, {"stdin", stdin ? "1" : "0"}, {"stdout", "1"}, {"stderr", "1"}});
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
