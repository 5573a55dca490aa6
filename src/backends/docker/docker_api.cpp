#include <crun/backends/docker/docker_api.hpp>

#include <crun/backends/json_fields.hpp>
#include <crun/core/error.hpp>
#include <crun/core/url.hpp>

#include <charconv>

namespace crun::backends::docker {
namespace {

using Params = std::vector<std::pair<std::string, std::string>>;

transport::HttpRequest request(std::string method, std::string_view api, std::string_view path,
                               const Params& params = {})
{
  transport::HttpRequest req;
  req.method = std::move(method);
  req.target = fmt::format("/v{}{}{}", api, path, core::query_string(params));
  return req;
}

// Names in paths may hold '/' and ':' (references): both engines route
// `{name:.*}`, so those stay; everything else is escaped.
std::string path_name(std::string_view name)
{
  return core::percent_encode(name, "/:@");
}

ImageConfig decode_config(const nlohmann::json& config)
{
  ImageConfig out;
  if (!config.is_object()) {
    return out;
  }
  out.user = string_field(config, "User");
  out.env = string_list(config.value("Env", nlohmann::json()));
  out.entrypoint = optional_list(config, "Entrypoint");
  out.cmd = optional_list(config, "Cmd");
  out.working_dir = string_field(config, "WorkingDir");
  if (config.contains("Labels") && config["Labels"].is_object()) {
    for (const auto& item : config["Labels"].items()) {
      if (item.value().is_string()) {
        out.labels[item.key()] = item.value().get<std::string>();
      }
    }
  }
  out.exposed_ports = object_keys(config.value("ExposedPorts", nlohmann::json()));
  out.volumes = object_keys(config.value("Volumes", nlohmann::json()));
  out.stop_signal = string_field(config, "StopSignal");
  return out;
}

} // namespace

int compare_api_versions(std::string_view a, std::string_view b)
{
  auto parts = [](std::string_view v) {
    int major = 0;
    int minor = 0;
    auto dot = v.find('.');
    std::from_chars(v.data(), v.data() + (dot == std::string_view::npos ? v.size() : dot), major);
    if (dot != std::string_view::npos) {
      std::from_chars(v.data() + dot + 1, v.data() + v.size(), minor);
    }
    return std::pair{major, minor};
  };
  auto pa = parts(a);
  auto pb = parts(b);
  if (pa == pb) {
    return 0;
  }
  return pa < pb ? -1 : 1;
}

std::string negotiate_api_version(std::string_view server)
{
  auto dot = server.find('.');
  if (server.empty() || dot == std::string_view::npos || dot == 0 || dot + 1 == server.size()) {
    fail(Errc::protocol, "the engine announced API version \"{}\", which is not MAJOR.MINOR",
         server);
  }
  if (compare_api_versions(server, k_min_api) < 0) {
    fail(Errc::engine_error,
         "the engine speaks Docker API {}, older than the {} crun-any needs: upgrade the engine "
         "(Docker 20.10 or later)",
         server, k_min_api);
  }
  return std::string(compare_api_versions(server, k_max_api) > 0 ? k_max_api : server);
}

transport::HttpRequest make_ping_request()
{
  transport::HttpRequest req;
  req.method = "GET";
  req.target = "/_ping";
  return req;
}

transport::HttpRequest make_version_request(std::string_view api)
{
  return request("GET", api, "/version");
}

transport::HttpRequest make_pull_request(std::string_view api, const core::ImageRef& ref,
                                         const core::Platform& platform,
                                         const std::string& registry_auth)
{
  // Always send a tag or digest: without one Docker pulls every tag.
  std::string tag = ref.digest() ? ref.digest()->str() : ref.tag_or_latest();
  auto req = request("POST", api, "/images/create",
                     {{"fromImage", ref.repository()}, {"tag", tag}, {"platform", platform.str()}});
  if (!registry_auth.empty()) {
    req.headers.emplace_back("X-Registry-Auth", registry_auth);
  }
  return req;
}

transport::HttpRequest make_tag_request(std::string_view api, std::string_view source,
                                        const core::ImageRef& target)
{
  return request("POST", api, fmt::format("/images/{}/tag", path_name(source)),
                 {{"repo", target.repository()}, {"tag", target.tag_or_latest()}});
}

transport::HttpRequest make_image_inspect_request(std::string_view api, std::string_view name)
{
  return request("GET", api, fmt::format("/images/{}/json", path_name(name)));
}

transport::HttpRequest make_container_inspect_request(std::string_view api, std::string_view id)
{
  return request("GET", api, fmt::format("/containers/{}/json", path_name(id)));
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

transport::HttpRequest make_create_request(std::string_view api, const RunSpec& spec)
{
  Params params;
  if (!spec.name.empty()) {
    params.emplace_back("name", spec.name);
  }
  // The daemon then refuses a local image of another platform (404), which
  // sends run through its pull path instead of running the wrong image.
  params.emplace_back("platform", spec.platform.str());
  auto req = request("POST", api, "/containers/create", params);
  req.body = make_create_body(spec).dump();
  req.content_type = "application/json";
  return req;
}

transport::HttpRequest make_attach_request(std::string_view api, std::string_view id, bool stdin)
{
  auto req = request("POST", api, fmt::format("/containers/{}/attach", path_name(id)),
                     {{"stream", "1"}, {"stdin", stdin ? "1" : "0"}, {"stdout", "1"}, {"stderr", "1"}});
  req.headers.emplace_back("Connection", "Upgrade");
  req.headers.emplace_back("Upgrade", "tcp");
  return req;
}

transport::HttpRequest make_wait_request(std::string_view api, std::string_view id, bool removed)
{
  return request("POST", api, fmt::format("/containers/{}/wait", path_name(id)),
                 {{"condition", removed ? "removed" : "next-exit"}});
}

transport::HttpRequest make_start_request(std::string_view api, std::string_view id)
{
  return request("POST", api, fmt::format("/containers/{}/start", path_name(id)));
}

transport::HttpRequest make_kill_request(std::string_view api, std::string_view id,
                                         std::string_view signal)
{
  return request("POST", api, fmt::format("/containers/{}/kill", path_name(id)),
                 {{"signal", std::string(signal)}});
}

transport::HttpRequest make_resize_request(std::string_view api, std::string_view id,
                                           unsigned rows, unsigned cols)
{
  return request("POST", api, fmt::format("/containers/{}/resize", path_name(id)),
                 {{"h", std::to_string(rows)}, {"w", std::to_string(cols)}});
}

transport::HttpRequest make_remove_request(std::string_view api, std::string_view id)
{
  return request("DELETE", api, fmt::format("/containers/{}", path_name(id)),
                 {{"force", "1"}, {"v", "1"}});
}

ImageInfo decode_image(const nlohmann::json& doc, std::string_view asked)
{
  if (!doc.is_object()) {
    fail(Errc::protocol, "the engine's image inspect answer is not a JSON object");
  }
  ImageInfo image;
  image.backend = "docker";
  image.id = string_field(doc, "Id");
  image.repo_tags = normalized_names(string_list(doc.value("RepoTags", nlohmann::json())));
  image.repo_digests = normalized_names(string_list(doc.value("RepoDigests", nlohmann::json())));
  image.platform.os = string_field(doc, "Os");
  image.platform.architecture = string_field(doc, "Architecture");
  image.platform.variant = string_field(doc, "Variant");
  image.created = string_field(doc, "Created");
  if (doc.contains("Size") && doc["Size"].is_number_integer()) {
    image.size = doc["Size"].get<std::int64_t>();
  }
  image.config = decode_config(doc.value("Config", nlohmann::json()));
  image.reference = std::string(asked);
  if (auto ref = core::ImageRef::try_parse(asked)) {
    image.reference = ref->str();
    image.digest = ref->digest() ? std::optional(ref->digest()->str())
                                 : digest_for_repository(image.repo_digests, ref->repository());
  } else if (!image.repo_digests.empty()) {
    // Asked by ID: any repo digest will do.
    if (auto first = core::ImageRef::try_parse(image.repo_digests.front())) {
      image.digest = digest_for_repository(image.repo_digests, first->repository());
    }
  }
  image.raw = doc;
  return image;
}

ContainerInfo decode_container(const nlohmann::json& doc)
{
  if (!doc.is_object()) {
    fail(Errc::protocol, "the engine's container inspect answer is not a JSON object");
  }
  ContainerInfo c;
  c.backend = "docker";
  c.id = string_field(doc, "Id");
  c.name = string_field(doc, "Name");
  if (c.name.starts_with("/")) {
    c.name.erase(0, 1);
  }
  c.image_id = string_field(doc, "Image");
  c.created = string_field(doc, "Created");
  const auto config = doc.value("Config", nlohmann::json::object());
  c.reference = string_field(config, "Image");
  if (auto ref = core::ImageRef::try_parse(c.reference)) {
    c.reference = ref->str(); // an ID, or what the engine wrote, stays as it is
  }
  c.config = decode_config(config);
  c.tty = config.value("Tty", false);
  c.open_stdin = config.value("OpenStdin", false);
  const auto state = doc.value("State", nlohmann::json::object());
  c.state.status = string_field(state, "Status");
  c.state.running = state.value("Running", false);
  c.state.exit_code = state.value("ExitCode", 0);
  c.state.error = string_field(state, "Error");
  c.state.oom_killed = state.value("OOMKilled", false);
  c.state.started_at = string_field(state, "StartedAt");
  c.state.finished_at = string_field(state, "FinishedAt");
  c.platform.os = string_field(doc, "Platform");
  c.raw = doc;
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

Errc classify_start_error(std::string_view message)
{
  if (message.find("executable file not found") != std::string_view::npos ||
      message.find("no such file or directory") != std::string_view::npos ||
      message.find("system cannot find the file specified") != std::string_view::npos) {
    return Errc::command_not_found;
  }
  if (message.find("permission denied") != std::string_view::npos ||
      message.find("is a directory") != std::string_view::npos) {
    return Errc::command_not_executable;
  }
  return Errc::engine_error;
}

} // namespace crun::backends::docker
