#pragma once
// A pull as crun-any does it on every engine: the registry is read first
// (what the tag resolves to, which platforms it has), the engine pulls the
// platform's manifest BY DIGEST, the tag is set on what was pulled, and the
// local image's platform is checked afterwards, since some engines ignore the
// platform they are asked for. So the image that runs is the one the registry
// served for that platform, and a platform the registry lacks is an error
// that lists the platforms it has.

#include <crun/backends/engine.hpp>
#include <crun/core/digest.hpp>
#include <crun/core/lock_file.hpp>
#include <crun/registry/registry_client.hpp>

#include <memory>

namespace crun::backends {

/// What the pull flow needs from a registry (RegistryClient; fakes in tests).
class RegistryReader {
public:
  virtual ~RegistryReader() = default;
  /// See registry::RegistryClient::resolve.
  virtual registry::ResolvedImage resolve(const core::ImageRef& ref) = 0;
  /// See registry::RegistryClient::manifest_for_platform.
  virtual core::Digest manifest_for_platform(const registry::ResolvedImage& image,
                                             const core::Platform& wanted) = 0;
};

/// A RegistryReader over `client`, which must outlive it; `suggest` is
/// handed to manifest_for_platform (yes when the platform is the engine's
/// default, not the user's choice). Never fails.
std::unique_ptr<RegistryReader> make_registry_reader(
  registry::RegistryClient& client,
  registry::SuggestPlatform suggest = registry::SuggestPlatform::no);

struct PulledImage {
  core::ImageRef ref;           ///< as asked, normalised
  core::Digest digest;          ///< what the tag (or digest) resolved to: index or manifest
  core::Digest manifest_digest; ///< the platform's manifest: what runs
  ImageInfo image;              ///< the local image, after the pull
  /// repository[:tag]@manifest_digest, for scripts. Never fails.
  std::string pinned() const;
};

/// What the lock says `ref` is on one platform: the digest the tag was
/// locked at (index or single manifest) and the platform's manifest.
struct LockedPull {
  core::Digest digest;   ///< the entry's digest
  core::Digest manifest; ///< the platform's manifest digest: what is pulled and run
  std::string platform;  ///< the lock's key of the platform that matched
};

/// The pure decision of a pull under a lock: whether `lock` holds `ref` and,
/// if it does, what to pull for `platform`. `lock_name` names the file in
/// messages. std::nullopt when there is no lock, or it holds no entry for
/// `ref` (keyed by the normalised reference; a reference without a tag,
/// `repo@sha256:...`, is pinned already and is never looked up). A
/// reference with its own digest is accepted when that digest is the
/// entry's or the platform's manifest.
/// Throws Error(Errc::not_found) when the entry lacks `platform`, naming the
/// platforms it holds: "the lock crun-any.lock holds 127.0.0.1:5857/bench/multi:1
/// for linux/amd64, linux/arm64, not linux/s390x: lock that platform with
/// `crun-any lock --platform linux/s390x 127.0.0.1:5857/bench/multi:1`";
/// Error(Errc::mismatch) when `ref`'s own digest contradicts the entry.
std::optional<LockedPull> decide_from_lock(const core::LockFile* lock, std::string_view lock_name,
                                           const core::ImageRef& ref,
                                           const core::Platform& platform);

/// Pulls `ref` for `platform` through `engine`. With `locked`, the registry
/// is not asked what the tag resolves to: the engine pulls locked->manifest.
/// Throws: the registry's errors
/// (not_found for a missing tag or platform, listing the platforms it has;
/// engine_error for a refusal), the engine's pull errors, and
/// Error(Errc::engine_error) when the local image afterwards is of another
/// platform than asked or is missing.
/// `credentials` are handed to the engine for its pull (Engine::pull).
PulledImage pull_image(Engine& engine, RegistryReader& registry, const core::ImageRef& ref,
                       const core::Platform& platform, PullSink& sink,
                       const std::optional<registry::Credentials>& credentials = std::nullopt,
                       const std::optional<LockedPull>& locked = std::nullopt);

} // namespace crun::backends
