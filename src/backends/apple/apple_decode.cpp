#include <crun/backends/apple/apple_decode.hpp>

#include <crun/backends/http_decode.hpp>
#include <crun/backends/json_fields.hpp>
#include <crun/core/error.hpp>
#include <crun/core/image_ref.hpp>

#include <fmt/chrono.h>

#include <chrono>
#include <cmath>

namespace crun::backends::apple {
namespace {

// Foundation's reference date, 2001-01-01T00:00:00Z, in Unix seconds.
constexpr std::int64_t k_reference_date_unix = 978307200;

// The first entry of `doc`, an array of objects; nullptr when it is empty.
const nlohmann::json* first_object(const nlohmann::json& doc, std::string_view what)
{
  if (!doc.is_array() || (!doc.empty() && !doc.front().is_object())) {
    fail(Errc::protocol, "`container {}` printed no array of objects: {}", what,
         doc.dump().substr(0, 200));
  }
  return doc.empty() ? nullptr : &doc.front();
}

core::Platform platform_of(const nlohmann::json& platform)
{
  return core::Platform{string_field(platform, "os"), string_field(platform, "architecture"),
                        string_field(platform, "variant")};
}

// BuildKit's attestation manifests: stored by an all-platform pull, never run.
bool is_attestation(const core::Platform& platform)
{
  return platform.os == "unknown" || platform.architecture == "unknown";
}

std::vector<const nlohmann::json*> runnable_variants(const nlohmann::json& image)
{
  std::vector<const nlohmann::json*> out;
  const nlohmann::json& variants = field(image, "variants");
  if (!variants.is_array()) {
    return out;
  }
  for (const auto& variant : variants) {
    if (variant.is_object() && !is_attestation(platform_of(field(variant, "platform")))) {
      out.push_back(&variant);
    }
  }
  return out;
}

const nlohmann::json* choose_variant(const std::vector<const nlohmann::json*>& variants,
                                     const std::optional<core::Platform>& preferred)
{
  if (preferred) {
    for (const auto* variant : variants) {
      if (platform_of(field(*variant, "platform")).normalized().matches(*preferred)) {
        return variant;
      }
    }
  }
  return variants.empty() ? nullptr : variants.front();
}

bool is_manifest_type(const std::string& media_type)
{
  return media_type.find("manifest.v") != std::string::npos; // OCI and Docker schema 2
}

std::string with_sha256(std::string hex)
{
  if (!hex.empty() && !hex.starts_with("sha256:")) {
    hex.insert(0, "sha256:");
  }
  return hex;
}

std::string date_field(const nlohmann::json& doc, const char* key)
{
  const nlohmann::json& value = field(doc, key);
  if (value.is_string()) {
    return value.get<std::string>();
  }
  if (value.is_number()) {
    return date_from_reference_seconds(value.get<double>());
  }
  return {};
}

// `{"id":{"uid":0,"gid":0}}` or `{"raw":{"userString":"nginx"}}`.
std::string user_of(const nlohmann::json& user)
{
  const nlohmann::json& raw = field(user, "raw");
  if (raw.is_object()) {
    return string_field(raw, "userString");
  }
  const nlohmann::json& id = field(user, "id");
  if (id.is_object()) {
    return fmt::format("{}:{}", int_field(id, "uid"), int_field(id, "gid"));
  }
  return {};
}

std::string unified_status(const std::string& state)
{
  if (state == "stopped") {
    return "exited";
  }
  if (state == "stopping" || state == "running") {
    return "running";
  }
  return "created"; // "unknown": known to the engine, not running, never reported as ended
}

} // namespace

std::string date_from_reference_seconds(double seconds)
{
  if (!std::isfinite(seconds)) {
    return {};
  }
  auto unix_seconds = static_cast<std::int64_t>(std::floor(seconds)) + k_reference_date_unix;
  std::chrono::sys_seconds time{std::chrono::seconds(unix_seconds)};
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}Z", time);
}

std::vector<core::Platform> image_platforms(const nlohmann::json& image)
{
  std::vector<core::Platform> out;
  for (const auto* variant : runnable_variants(image)) {
    out.push_back(platform_of(field(*variant, "platform")).normalized());
  }
  return out;
}

std::optional<ImageInfo> decode_image(const nlohmann::json& doc, std::string_view asked,
                                      const std::optional<core::Platform>& preferred)
{
  const nlohmann::json* found = first_object(doc, "image inspect");
  if (found == nullptr) {
    return std::nullopt;
  }
  const nlohmann::json& image = *found;
  ImageInfo info;
  info.backend = "apple";
  info.raw = image;
  const nlohmann::json& configuration = field(image, "configuration");
  std::string name;
  nlohmann::json top;              // the descriptor of what the name points to
  if (configuration.is_object()) { // 1.x
    name = string_field(configuration, "name");
    top = field(configuration, "descriptor");
    info.id = with_sha256(string_field(image, "id"));
    info.created = string_field(configuration, "creationDate");
  } else { // 0.x
    name = string_field(image, "name");
    top = field(image, "index");
  }
  if (info.id.empty()) {
    info.id = string_field(top, "digest");
  }

  const nlohmann::json* variant = choose_variant(runnable_variants(image), preferred);
  std::optional<std::string> manifest;
  if (variant != nullptr) {
    info.platform = platform_of(field(*variant, "platform")).normalized();
    info.size = int_field(*variant, "size");
    const nlohmann::json& config = field(*variant, "config");
    info.config = decode_image_config(field(config, "config"));
    if (std::string created = string_field(config, "created"); !created.empty()) {
      info.created = created;
    }
    if (std::string digest = string_field(*variant, "digest"); !digest.empty()) {
      manifest = digest; // 1.x: the registry's manifest digest, always
    }
  }
  if (!manifest && is_manifest_type(string_field(top, "mediaType"))) {
    manifest = string_field(top, "digest"); // 0.x single manifest: `index` is the manifest
  }

  info.reference = std::string(asked);
  auto name_ref = core::ImageRef::try_parse(name);
  auto asked_ref = core::ImageRef::try_parse(asked);
  if (asked_ref) {
    info.reference = asked_ref->str();
  } else if (name_ref) {
    info.reference = name_ref->str();
  }
  if (name_ref && name_ref->tag()) {
    info.repo_tags.push_back(name_ref->str());
  }
  if (asked_ref && asked_ref->digest()) {
    info.digest = asked_ref->digest()->str();
  } else if (manifest && !manifest->empty()) {
    info.digest = *manifest;
  }
  const core::ImageRef* repo = asked_ref ? &*asked_ref : (name_ref ? &*name_ref : nullptr);
  if (repo != nullptr && info.digest) {
    info.repo_digests.push_back(repo->repository() + "@" + *info.digest);
  }
  return info;
}

std::optional<ContainerInfo> decode_container(const nlohmann::json& doc)
{
  const nlohmann::json* found = first_object(doc, "inspect");
  if (found == nullptr) {
    return std::nullopt;
  }
  const nlohmann::json& container = *found;
  ContainerInfo info;
  info.backend = "apple";
  info.raw = container;
  const nlohmann::json& configuration = field(container, "configuration");
  info.id = string_field(container, "id");
  if (info.id.empty()) {
    info.id = string_field(configuration, "id"); // 0.x has no top-level id
  }
  info.name = info.id; // Apple's --name is the ID
  const nlohmann::json& image = field(configuration, "image");
  info.reference = string_field(image, "reference");
  if (auto ref = core::ImageRef::try_parse(info.reference)) {
    info.reference = ref->str();
  }
  info.image_id = string_field(field(image, "descriptor"), "digest");
  info.platform = platform_of(field(configuration, "platform")).normalized();
  info.created = date_field(configuration, "creationDate");

  const nlohmann::json& process = field(configuration, "initProcess");
  std::string executable = string_field(process, "executable");
  if (!executable.empty()) {
    info.config.entrypoint = std::vector<std::string>{executable};
  }
  info.config.cmd = string_list(field(process, "arguments"));
  info.config.env = string_list(field(process, "environment"));
  info.config.working_dir = string_field(process, "workingDirectory");
  info.config.user = user_of(field(process, "user"));
  info.config.stop_signal = string_field(configuration, "stopSignal");
  const nlohmann::json& labels = field(configuration, "labels");
  if (labels.is_object()) {
    for (const auto& item : labels.items()) {
      if (item.value().is_string()) {
        info.config.labels[item.key()] = item.value().get<std::string>();
      }
    }
  }
  info.tty = bool_field(process, "terminal");

  const nlohmann::json& status = field(container, "status");
  std::string state;
  if (status.is_object()) { // 1.x
    state = string_field(status, "state");
    info.state.started_at = date_field(status, "startedDate");
  } else { // 0.x
    state = string_field(container, "status");
    info.state.started_at = date_field(container, "startedDate");
  }
  info.state.status = unified_status(state);
  info.state.running = info.state.status == "running";
  info.state.exit_code_known = false; // apple/container#1501: never reported
  return info;
}

} // namespace crun::backends::apple
