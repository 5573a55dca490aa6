#include <crun/registry/manifest.hpp>

#include <crun/core/error.hpp>
#include <crun/registry/media_types.hpp>
#include <crun/util/ascii.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

namespace crun::registry {

namespace {

using nlohmann::json;

// buildx's attestation manifests (docs.docker.com "attestation storage"):
// index entries for provenance and SBOMs, which no engine can run.
constexpr std::string_view k_reference_type_annotation = "vnd.docker.reference.type";
constexpr std::string_view k_attestation_reference_type = "attestation-manifest";

// "Application/JSON; charset=utf-8" -> "application/json".
std::string bare_media_type(std::string_view content_type)
{
  auto end = content_type.find(';');
  auto type = content_type.substr(0, end);
  while (!type.empty() && std::isspace(static_cast<unsigned char>(type.front()))) {
    type.remove_prefix(1);
  }
  while (!type.empty() && std::isspace(static_cast<unsigned char>(type.back()))) {
    type.remove_suffix(1);
  }
  return util::ascii_lower(type);
}

// schemaVersion when it is an integer, else 0 (value() would throw on a
// string, and a registry's odd answer must become a protocol error).
int schema_version(const json& body)
{
  auto it = body.find("schemaVersion");
  return it != body.end() && it->is_number_integer() ? it->get<int>() : 0;
}

bool is_index_type(std::string_view type)
{
  return type == k_oci_index || type == k_docker_manifest_list;
}

bool is_manifest_type(std::string_view type)
{
  return type == k_oci_manifest || type == k_docker_manifest;
}

bool is_schema1_type(std::string_view type)
{
  return type == k_docker_schema1 || type == k_docker_schema1_signed;
}

// The media type the body is, by the rules in decode_manifest's comment.
std::string media_type_of(const json& body, std::string_view content_type)
{
  auto declared = body.find("mediaType");
  if (declared != body.end() && declared->is_string()) {
    return declared->get<std::string>();
  }
  std::string served = bare_media_type(content_type);
  if (is_index_type(served) || is_manifest_type(served) || is_schema1_type(served)) {
    return served;
  }
  // Registries that serve everything as application/json: go by the shape.
  if (schema_version(body) == 1) {
    return std::string(k_docker_schema1);
  }
  if (body.contains("manifests")) {
    return std::string(k_oci_index);
  }
  if (body.contains("config")) {
    return std::string(k_oci_manifest);
  }
  return served;
}

core::Platform decode_platform(const json& platform, const std::string& where)
{
  if (!platform.is_object()) {
    fail(Errc::protocol, "invalid descriptor {} in the manifest: \"platform\" is not an object",
         where);
  }
  auto field = [&](const char* name) {
    auto it = platform.find(name);
    return it != platform.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  core::Platform out{field("os"), field("architecture"), field("variant")};
  if (out.os.empty() || out.architecture.empty()) {
    fail(Errc::protocol,
         "invalid descriptor {} in the manifest: its platform has no os or architecture", where);
  }
  return out.normalized();
}

Descriptor decode_descriptor(const json& entry, const std::string& where)
{
  if (!entry.is_object()) {
    fail(Errc::protocol, "invalid descriptor {} in the manifest: not an object", where);
  }
  auto media_type = entry.find("mediaType");
  if (media_type == entry.end() || !media_type->is_string()) {
    fail(Errc::protocol, "invalid descriptor {} in the manifest: no \"mediaType\"", where);
  }
  auto digest = entry.find("digest");
  if (digest == entry.end() || !digest->is_string()) {
    fail(Errc::protocol, "invalid descriptor {} in the manifest: no \"digest\"", where);
  }
  auto size = entry.find("size");
  if (size == entry.end() || !size->is_number_integer() || size->get<std::int64_t>() < 0) {
    fail(Errc::protocol, "invalid descriptor {} in the manifest: no valid \"size\"", where);
  }
  std::optional<core::Digest> parsed;
  try {
    parsed = core::Digest::parse(digest->get<std::string>());
  } catch (const Error& error) {
    fail(Errc::protocol, "invalid descriptor {} in the manifest: {}", where, error.message());
  }
  Descriptor out{media_type->get<std::string>(), *parsed, size->get<std::int64_t>(), {}};
  auto platform = entry.find("platform");
  if (platform != entry.end() && !platform->is_null()) {
    out.platform = decode_platform(*platform, where);
  }
  return out;
}

bool is_attestation(const json& entry, const Descriptor& descriptor)
{
  if (descriptor.platform && descriptor.platform->os == "unknown" &&
      descriptor.platform->architecture == "unknown") {
    return true;
  }
  auto annotations = entry.find("annotations");
  if (annotations == entry.end() || !annotations->is_object()) {
    return false;
  }
  auto type = annotations->find(k_reference_type_annotation);
  return type != annotations->end() && type->is_string() &&
         type->get<std::string>() == k_attestation_reference_type;
}

std::vector<Descriptor> decode_index_entries(const json& body)
{
  auto manifests = body.find("manifests");
  if (manifests == body.end() || !manifests->is_array()) {
    fail(Errc::protocol, "the index has no \"manifests\" array");
  }
  std::vector<Descriptor> entries;
  for (std::size_t i = 0; i < manifests->size(); ++i) {
    const json& entry = (*manifests)[i];
    Descriptor descriptor = decode_descriptor(entry, fmt::format("manifests[{}]", i));
    if (!is_attestation(entry, descriptor)) {
      entries.push_back(std::move(descriptor));
    }
  }
  return entries;
}

} // namespace

Manifest decode_manifest(std::string_view body, std::string_view content_type)
{
  json parsed = json::parse(body, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    fail(Errc::protocol, "the manifest is not a JSON object");
  }
  std::string media_type = media_type_of(parsed, content_type);
  if (is_schema1_type(media_type) || schema_version(parsed) == 1) {
    fail(Errc::protocol,
         "the manifest uses the Docker schema 1 format, which crun-any does not read: push the "
         "image again with a current docker or podman");
  }
  bool is_index = is_index_type(media_type);
  if (!is_index && !is_manifest_type(media_type)) {
    fail(Errc::protocol,
         "unsupported manifest media type \"{}\": expected an OCI image index or manifest, or a "
         "Docker manifest list or schema 2 manifest",
         media_type);
  }
  if (schema_version(parsed) != 2) {
    auto version = parsed.find("schemaVersion");
    fail(Errc::protocol, "unsupported manifest schemaVersion {}: expected 2",
         version == parsed.end() ? "(none)" : version->dump().substr(0, 20));
  }

  Manifest manifest;
  manifest.media_type = media_type;
  manifest.is_index = is_index;
  if (is_index) {
    manifest.manifests = decode_index_entries(parsed);
    return manifest;
  }
  auto config = parsed.find("config");
  if (config == parsed.end()) {
    fail(Errc::protocol, "the manifest has no \"config\" descriptor");
  }
  manifest.config = decode_descriptor(*config, "config");
  manifest.config->platform.reset(); // a config's platform is in the blob, not here
  return manifest;
}

} // namespace crun::registry
