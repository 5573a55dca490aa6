#pragma once
// Decoding what a registry serves for a tag or a digest: an index (OCI image
// index, Docker manifest list) that points at one manifest per platform, or
// a single image manifest (OCI, Docker schema 2) that points at its config.
// Decoders are pure and lenient about fields crun-any does not use, strict
// about the ones it does (a digest we would pin must parse).

#include <crun/core/digest.hpp>
#include <crun/core/platform.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crun::registry {

/// A content descriptor (OCI image-spec descriptor.md).
struct Descriptor {
  std::string media_type{};
  core::Digest digest;
  std::int64_t size = 0;
  /// In an index: the entry's platform, normalised (core::Platform::
  /// normalized); std::nullopt when the entry has none. Never set on a
  /// manifest's config.
  std::optional<core::Platform> platform{};
};

struct Manifest {
  /// The media type, from the body's mediaType or else the Content-Type
  /// (OCI manifests may omit mediaType: the bench registry's do).
  std::string media_type{};
  bool is_index = false;
  /// Index only: the per-platform entries, in the registry's order.
  /// Attestation entries (buildx's provenance and SBOM manifests, platform
  /// "unknown/unknown" or annotated vnd.docker.reference.type=
  /// attestation-manifest) are dropped: they are not images to run.
  std::vector<Descriptor> manifests{};
  /// Single manifest only: the image config's descriptor.
  std::optional<Descriptor> config{};
};

/// Decodes a manifest or index `body` served with `content_type` (parameters
/// such as "; charset=utf-8" ignored). The type is the body's mediaType when
/// present, else `content_type`, else guessed from the shape ("manifests" or
/// "config"), as registries serving plain application/json need.
/// Throws Error(Errc::protocol) for: a body that is not a JSON object;
/// Docker schema 1 ("the manifest uses the Docker schema 1 format, which
/// crun-any does not read: push the image again with a current docker or
/// podman"); another media type; schemaVersion other than 2; a missing or
/// malformed manifests array or config; a descriptor without mediaType,
/// size or a sha256 digest, or with a platform lacking os or architecture.
Manifest decode_manifest(std::string_view body, std::string_view content_type);

} // namespace crun::registry
