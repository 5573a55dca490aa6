#include <crun/backends/http_decode.hpp>

#include <crun/backends/json_fields.hpp>
#include <crun/core/image_ref.hpp>

namespace crun::backends {
namespace {

// The repository's entry with `preferred` as its digest if there is one
// (libpod lists every name x every known digest, and its own `Digest` is the
// one the image was pulled by), else any entry of the repository.
std::optional<std::string> pick_digest(const std::vector<std::string>& repo_digests,
                                       const std::string& repository, std::string_view preferred)
{
  for (const auto& entry : repo_digests) {
    auto ref = core::ImageRef::try_parse(entry);
    if (ref && ref->digest() && ref->repository() == repository &&
        ref->digest()->str() == preferred) {
      return std::string(preferred);
    }
  }
  return digest_for_repository(repo_digests, repository);
}

} // namespace

ImageConfig decode_image_config(const nlohmann::json& config)
{
  ImageConfig out;
  if (!config.is_object()) {
    return out;
  }
  out.user = string_field(config, "User");
  out.env = string_list(field(config, "Env"));
  out.entrypoint = optional_list(config, "Entrypoint");
  out.cmd = optional_list(config, "Cmd");
  out.working_dir = string_field(config, "WorkingDir");
  const nlohmann::json& labels = field(config, "Labels");
  if (labels.is_object()) {
    for (const auto& item : labels.items()) {
      if (item.value().is_string()) {
        out.labels[item.key()] = item.value().get<std::string>();
      }
    }
  }
  out.exposed_ports = object_keys(field(config, "ExposedPorts"));
  out.volumes = object_keys(field(config, "Volumes"));
  out.stop_signal = string_field(config, "StopSignal");
  return out;
}

ImageInfo decode_image_inspect(const nlohmann::json& doc, std::string_view asked,
                               std::string_view backend, std::string_view preferred_digest)
{
  if (!doc.is_object()) {
    fail(Errc::protocol, "the engine's image inspect answer is not a JSON object");
  }
  ImageInfo image;
  image.backend = std::string(backend);
  image.id = string_field(doc, "Id");
  image.repo_tags = normalized_names(string_list(field(doc, "RepoTags")));
  image.repo_digests = normalized_names(string_list(field(doc, "RepoDigests")));
  image.platform.os = string_field(doc, "Os");
  image.platform.architecture = string_field(doc, "Architecture");
  image.platform.variant = string_field(doc, "Variant");
  image.created = string_field(doc, "Created");
  image.size = int_field(doc, "Size");
  image.config = decode_image_config(field(doc, "Config"));
  image.reference = std::string(asked);
  if (auto ref = core::ImageRef::try_parse(asked)) {
    image.reference = ref->str();
    image.digest = ref->digest()
                     ? std::optional(ref->digest()->str())
                     : pick_digest(image.repo_digests, ref->repository(), preferred_digest);
  } else if (!image.repo_digests.empty()) {
    // Asked by ID: the digest it was pulled by, in its first repository.
    if (auto first = core::ImageRef::try_parse(image.repo_digests.front())) {
      image.digest = pick_digest(image.repo_digests, first->repository(), preferred_digest);
    }
  }
  image.raw = doc;
  return image;
}

ContainerInfo decode_container_inspect(const nlohmann::json& doc, std::string_view backend)
{
  if (!doc.is_object()) {
    fail(Errc::protocol, "the engine's container inspect answer is not a JSON object");
  }
  ContainerInfo c;
  c.backend = std::string(backend);
  c.id = string_field(doc, "Id");
  c.name = string_field(doc, "Name");
  if (c.name.starts_with("/")) {
    c.name.erase(0, 1);
  }
  c.image_id = string_field(doc, "Image");
  c.created = string_field(doc, "Created");
  const nlohmann::json& config = field(doc, "Config");
  c.reference = string_field(config, "Image");
  if (c.reference.empty()) {
    c.reference = string_field(doc, "ImageName"); // libpod's, when Config has none
  }
  if (auto ref = core::ImageRef::try_parse(c.reference)) {
    c.reference = ref->str();
  }
  c.tty = bool_field(config, "Tty");
  c.open_stdin = bool_field(config, "OpenStdin");
  const nlohmann::json& state = field(doc, "State");
  c.state.status = string_field(state, "Status");
  c.state.running = bool_field(state, "Running");
  c.state.exit_code = static_cast<int>(int_field(state, "ExitCode"));
  c.state.error = string_field(state, "Error");
  c.state.oom_killed = bool_field(state, "OOMKilled");
  c.state.started_at = string_field(state, "StartedAt");
  c.state.finished_at = string_field(state, "FinishedAt");
  c.raw = doc;
  return c;
}

core::Platform decode_host_platform(const nlohmann::json& object, const char* os_key,
                                    const char* arch_key, std::string_view no_arch_message)
{
  core::Platform platform{string_field(object, os_key), string_field(object, arch_key), ""};
  if (platform.architecture.empty()) {
    throw Error(Errc::protocol, std::string(no_arch_message));
  }
  if (platform.os.empty()) {
    platform.os = "linux";
  }
  return platform.normalized();
}

CreatedContainer decode_create(const nlohmann::json& doc)
{
  CreatedContainer created;
  created.id = string_field(doc, "Id");
  if (created.id.empty()) {
    fail(Errc::protocol, "the engine created a container but sent no ID: {}", doc.dump());
  }
  created.warnings = string_list(field(doc, "Warnings"));
  return created;
}

Errc classify_start_error(std::string_view message)
{
  auto has = [&](std::string_view text) { return message.find(text) != std::string_view::npos; };
  if (has("executable file not found") || has("no such file or directory") ||
      has("system cannot find the file specified")) {
    return Errc::command_not_found;
  }
  if (has("permission denied") || has("is a directory")) {
    return Errc::command_not_executable;
  }
  return Errc::engine_error;
}

} // namespace crun::backends
