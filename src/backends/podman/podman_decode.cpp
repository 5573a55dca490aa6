// The decoders of podman_api.hpp: libpod's answers into the unified model,
// read with the tolerant readers of libpod_json.hpp.
#include <crun/backends/podman/podman_api.hpp>

#include "libpod_json.hpp"

#include <crun/core/error.hpp>

namespace crun::backends::podman {
namespace {

// libpod lists every name x every known digest, and its `Digest` field is the
// one the image was pulled by: the repository's entry with that digest is the
// one to report, then any entry of the repository.
std::optional<std::string> pick_digest(const std::vector<std::string>& repo_digests,
                                       const std::string& repository,
                                       const std::string& own_digest)
{
  for (const auto& entry : repo_digests) {
    auto ref = core::ImageRef::try_parse(entry);
    if (ref && ref->digest() && ref->repository() == repository &&
        ref->digest()->str() == own_digest) {
      return own_digest;
    }
  }
  return digest_for_repository(repo_digests, repository);
}

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
  if (!doc.is_object()) {
    fail(Errc::protocol, "the engine's image inspect answer is not a JSON object");
  }
  ImageInfo image;
  image.backend = "podman";
  image.id = with_sha256(string_field(doc, "Id"));
  image.repo_tags = normalized_names(string_list(field(doc, "RepoTags")));
  image.repo_digests = normalized_names(string_list(field(doc, "RepoDigests")));
  image.platform.os = string_field(doc, "Os");
  image.platform.architecture = string_field(doc, "Architecture");
  image.platform.variant = string_field(doc, "Variant"); // absent on 4.x and 5.x
  image.created = string_field(doc, "Created");
  image.size = int_field(doc, "Size");
  image.config = decode_image_config(field(doc, "Config"));
  const std::string own_digest = string_field(doc, "Digest");
  image.reference = std::string(asked);
  if (auto ref = core::ImageRef::try_parse(asked)) {
    image.reference = ref->str();
    image.digest = ref->digest() ? std::optional(ref->digest()->str())
                                 : pick_digest(image.repo_digests, ref->repository(), own_digest);
  } else if (!image.repo_digests.empty()) {
    // Asked by ID: the digest it was pulled by, in its first repository.
    if (auto first = core::ImageRef::try_parse(image.repo_digests.front())) {
      image.digest = pick_digest(image.repo_digests, first->repository(), own_digest);
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
  c.backend = "podman";
  c.id = string_field(doc, "Id");
  c.name = string_field(doc, "Name");
  if (c.name.starts_with("/")) {
    c.name.erase(0, 1);
  }
  c.image_id = with_sha256(string_field(doc, "Image"));
  c.created = string_field(doc, "Created");
  const nlohmann::json& config = field(doc, "Config");
  c.reference = string_field(config, "Image");
  if (c.reference.empty()) {
    c.reference = string_field(doc, "ImageName");
  }
  if (auto ref = core::ImageRef::try_parse(c.reference)) {
    c.reference = ref->str();
  }
  c.config = decode_container_config(config);
  c.tty = bool_field(config, "Tty");
  c.open_stdin = bool_field(config, "OpenStdin");
  const nlohmann::json& state = field(doc, "State");
  c.state.status = unified_status(string_field(state, "Status"));
  c.state.running = bool_field(state, "Running");
  c.state.exit_code = static_cast<int>(int_field(state, "ExitCode"));
  c.state.error = string_field(state, "Error");
  c.state.oom_killed = bool_field(state, "OOMKilled");
  c.state.started_at = string_field(state, "StartedAt");
  c.state.finished_at = string_field(state, "FinishedAt");
  c.raw = doc;
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
  if (has("executable file not found") || has("no such file or directory")) {
    return Errc::command_not_found;
  }
  if (has("permission denied") || has("is a directory")) {
    return Errc::command_not_executable;
  }
  return Errc::engine_error;
}

bool is_image_unknown(std::string_view message)
{
  return message.find("image not known") != std::string_view::npos;
}

core::Platform decode_info_platform(const nlohmann::json& doc)
{
  const nlohmann::json host = doc.is_object() ? doc.value("host", nlohmann::json::object())
                                              : nlohmann::json::object();
  core::Platform platform{string_field(host, "os"), string_field(host, "arch"), ""};
  if (platform.architecture.empty()) {
    fail(Errc::protocol, "the Podman service's /libpod/info names no host.arch");
  }
  if (platform.os.empty()) {
    platform.os = "linux";
  }
  return platform.normalized();
}

} // namespace crun::backends::podman
