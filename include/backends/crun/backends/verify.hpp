#pragma once
// `crun-any verify`'s judgement, pure: is the local image the content the
// lock or the registry names for a platform?
//
// What "the local image's digest" is differs by engine, so no RepoDigest is
// trusted alone: Docker 20.10 records whichever digest it pulled (an index's
// or a platform manifest's), and Podman lists RepoDigests for images it never
// pulled (local builds, imports tagged under a registry name). The content is
// compared instead: on Docker and Podman the image ID is the sha256 of its
// config, and the config names the image's layers (rootfs.diff_ids) and
// platform, so an ID equal to the config digest of the expected manifest is
// that content, and any other image (a retag, an import, a local build)
// has another ID. Apple's `container` reports the platform manifest's
// digest as the image's digest (ImageInfo::digest), which is compared there.

#include <crun/backends/model.hpp>
#include <crun/core/digest.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace crun::backends {

/// What the local image should be.
struct VerifyExpectation {
  std::string source;    ///< "lock" or "registry"
  core::Digest digest;   ///< the tag's digest: index or single manifest
  core::Digest manifest; ///< the platform's manifest digest
  core::Digest config;   ///< that manifest's config digest: the image ID engines give it
};

enum class VerifyVerdict { match, mismatch, absent };

/// "match", "mismatch", "absent". Never fails.
std::string_view verdict_name(VerifyVerdict verdict);

struct VerifyResult {
  VerifyVerdict verdict = VerifyVerdict::absent;
  std::string compared; ///< "id" (config digest) or "manifest" (Apple)
  std::string
    local; ///< the local value compared: its ID, or its manifest digest; empty when absent
  std::string expected; ///< the value it should be
  std::string
    local_digest; ///< the local image's repo digest for the repository, if any (information only)
};

/// Compares `local` (the engine's inspect of the name, std::nullopt when the
/// engine has none) with `expected`, for `repository` ("127.0.0.1:5857/bench/multi").
/// Never fails.
VerifyResult compare_local_image(const std::optional<ImageInfo>& local,
                                 const VerifyExpectation& expected, const std::string& repository);

/// The --json object of one image (docs/lockfile.md): reference, platform,
/// source, verdict, compared, local, local_digest, expected,
/// expected_digests {digest, manifest, config}.
/// Never fails.
nlohmann::json verify_json(const std::string& reference, const std::string& platform,
                           const VerifyExpectation& expected, const VerifyResult& result);

} // namespace crun::backends
