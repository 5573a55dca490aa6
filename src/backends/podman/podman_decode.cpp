// The decoders of podman_api.hpp: libpod's answers into the unified model,
// from the decoders both engines share (http_decode.hpp) and the tolerant
// readers of libpod_json.hpp.
#include "libpod_json.hpp"

#include <crun/backends/http_decode.hpp>
#include <crun/backends/podman/podman_api.hpp>
#include <crun/core/error.hpp>

#include <charconv>

namespace crun::backends::podman {
namespace {

// libpod's container states in the unified set (model.hpp).
std::string unified_status(const std::string& status)
{
  if (status == "configured" || status == "initialized") {
    return "created";
  }
  if (status == "stopped") {
    return "exited";
  }
  if (status == "stopping") {
    return "running";
  }
  return status;
}

std::string with_sha256(std::string id)
{
  if (!id.empty() && !id.starts_with("sha256:")) {
    id.insert(0, "sha256:");
  }
  return id;
}

} // namespace

ImageInfo decode_image(const nlohmann::json& doc, std::string_view asked)
{
  // The image's own `Digest` is the one it was pulled by, among the several
  // libpod lists for each name.
  ImageInfo image = decode_image_inspect(doc, asked, "podman", string_field(doc, "Digest"));
  image.id = with_sha256(image.id);
  return image;
}

ContainerInfo decode_container(const nlohmann::json& doc)
{
  ContainerInfo c = decode_container_inspect(doc, "podman");
  c.image_id = with_sha256(c.image_id);
  c.config = decode_container_config(field(doc, "Config"));
  c.state.status = unified_status(c.state.status);
  return c;
}

int decode_wait(std::string_view body)
{
  auto doc = nlohmann::json::parse(body, nullptr, false);
  if (!doc.is_discarded() && doc.is_number_integer()) {
    return doc.get<int>();
  }
  // A Docker-shaped answer, should a proxy or a later version send one.
  if (!doc.is_discarded() && doc.is_object() && doc.contains("StatusCode") &&
      doc["StatusCode"].is_number_integer()) {
    return doc["StatusCode"].get<int>();
  }
  fail(Errc::protocol, "the engine's wait answer is not an exit code: {}",
       first_line(body).substr(0, 200));
}

std::optional<int> decode_died_exit_code(std::string_view body)
{
  std::optional<int> code;
  while (!body.empty()) {
    auto end = body.find('\n');
    auto line = body.substr(0, end);
    body = end == std::string_view::npos ? std::string_view{} : body.substr(end + 1);
    auto doc = nlohmann::json::parse(line, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) {
      continue;
    }
    std::string text = string_field(field(field(doc, "Actor"), "Attributes"), "containerExitCode");
    int value = 0;
    auto [rest, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (!text.empty() && ec == std::errc{} && rest == text.data() + text.size()) {
      code = value;
    }
  }
  return code;
}

std::string decode_remove_error(std::string_view body)
{
  auto doc = nlohmann::json::parse(body, nullptr, false);
  if (doc.is_discarded() || !doc.is_array()) {
    return {};
  }
  for (const auto& report : doc) {
    std::string err = string_field(report, "Err");
    if (!err.empty()) {
      return err;
    }
  }
  return {};
}

Errc classify_start_error(std::string_view message)
{
  auto has = [&](std::string_view text) { return message.find(text) != std::string_view::npos; };
  // Podman's own verdict (libpod's getOCIRuntimeError), whatever the runtime.
  if (has("OCI runtime attempted to invoke a command that was not found")) {
    return Errc::command_not_found;
  }
  if (has("OCI permission denied")) {
    return Errc::command_not_executable;
  }
  return backends::classify_start_error(message);
}

std::string reword_attach_error(std::string_view message, std::string_view id)
{
  std::string prefix = fmt::format("preparing container {} for attach: ", id);
  auto at = message.find(prefix);
  if (id.empty() || at == std::string_view::npos) {
    return std::string(message);
  }
  std::string reason(message.substr(at + prefix.size()));
  // libpod names the container again inside some reasons: `workdir "/x"
  // exists on container <ID>, but is not a directory`.
  for (std::string_view with : {"on container ", "container "}) {
    std::string named = fmt::format("{}{}", with, id);
    for (auto pos = reason.find(named); pos != std::string::npos; pos = reason.find(named)) {
      reason.replace(pos, named.size(),
                     with.starts_with("on") ? "in the container" : "the container");
    }
  }
  return "cannot start the container: " + reason;
}

bool is_image_unknown(std::string_view message)
{
  return message.find("image not known") != std::string_view::npos;
}

core::Platform decode_info_platform(const nlohmann::json& doc)
{
  return decode_host_platform(field(doc, "host"), "os", "arch",
                              "the Podman service's /libpod/info names no host.arch");
}

} // namespace crun::backends::podman
