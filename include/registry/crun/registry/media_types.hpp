#pragma once
// The manifest media types crun-any reads (OCI image-spec media-types.md,
// Docker's manifest v2 schema 2 spec), and the Accept header that asks for
// them. Schema 1 is named only to be refused clearly: registries can still
// serve it for images pushed long ago.

#include <string_view>

namespace crun::registry {

inline constexpr std::string_view k_oci_index = "application/vnd.oci.image.index.v1+json";
inline constexpr std::string_view k_oci_manifest = "application/vnd.oci.image.manifest.v1+json";
inline constexpr std::string_view k_docker_manifest_list =
  "application/vnd.docker.distribution.manifest.list.v2+json";
inline constexpr std::string_view k_docker_manifest =
  "application/vnd.docker.distribution.manifest.v2+json";
inline constexpr std::string_view k_docker_schema1 =
  "application/vnd.docker.distribution.manifest.v1+json";
inline constexpr std::string_view k_docker_schema1_signed =
  "application/vnd.docker.distribution.manifest.v1+prettyjws";

/// The Accept header of a manifest GET: the two index types first, so that
/// a registry that converts (Docker Hub) serves the index. Schema 1 is left
/// out on purpose.
inline constexpr std::string_view k_manifest_accept =
  "application/vnd.oci.image.index.v1+json, "
  "application/vnd.docker.distribution.manifest.list.v2+json, "
  "application/vnd.oci.image.manifest.v1+json, "
  "application/vnd.docker.distribution.manifest.v2+json";

} // namespace crun::registry
