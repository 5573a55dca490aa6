#pragma once
// The lock file, `crun-any.lock` (docs/lockfile.md): which content each tag
// a project uses had when CI locked it. Per image, keyed by its normalised
// reference ("alpine" and "docker.io/library/alpine:latest" are one entry):
// the tag, the digest the tag resolved to (an index, or a single manifest)
// and, per normalised platform, the manifest digest that runs there.
// Pure: parse() and write() turn text into a LockFile and back; reading and
// writing the file itself is the CLI's (cli/lock_store.hpp). write() gives
// the one text of a LockFile (sorted keys, two-space indent, trailing
// newline, nothing that changes when nothing changed), so locking the same
// content again changes no byte.

#include <crun/core/contract_versions.hpp>
#include <crun/core/digest.hpp>
#include <crun/core/image_ref.hpp>
#include <crun/core/platform.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crun::core {

/// The format version this crun-any reads and writes (contract_versions.hpp).
inline constexpr int k_lock_version = k_lock_format_version;
/// The file name looked for, walking up from the working directory.
inline constexpr std::string_view k_lock_file_name = "crun-any.lock";

/// What the locked digest names: an index (one manifest per platform) or a
/// single manifest (one platform, its digest is the platform's).
enum class LockKind { index, manifest };

/// "index" or "manifest". Never fails.
std::string_view lock_kind_name(LockKind kind);

struct LockedImage {
  std::string tag;                         ///< the reference's tag ("latest" when none was written)
  LockKind kind = LockKind::index;         ///< what `digest` names
  Digest digest;                           ///< the index's, or the single manifest's
  std::map<std::string, Digest> platforms; ///< normalised "os/arch[/variant]" -> manifest digest

  bool operator==(const LockedImage&) const = default;
};

struct LockFile {
  /// By the key of lock_key(): "docker.io/library/alpine:latest".
  std::map<std::string, LockedImage> images;

  /// The entry of `ref` (its digest ignored); nullptr when there is none.
  /// Never fails.
  const LockedImage* find(const ImageRef& ref) const;

  bool operator==(const LockFile&) const = default;
};

/// The key `ref` has in a lock: its normalised reference without a digest,
/// with ":latest" when it has no tag. Never fails.
std::string lock_key(const ImageRef& ref);

/// The normalised platform key of `platform`: "linux/amd64", "linux/arm/v7";
/// arm64's v8 variant is dropped by normalisation ("linux/arm64"). Never fails.
std::string lock_platform_key(const Platform& platform);

/// One way the registry no longer matches a lock entry.
struct LockDrift {
  std::string what;   ///< "digest" (the tag's), or the platform key: "linux/amd64"
  std::string locked; ///< the locked digest
  std::string served; ///< the served digest, or "none" when the registry lacks the platform

  bool operator==(const LockDrift&) const = default;
};

/// How `served` (everything the registry serves for the tag now) differs
/// from `locked`: the tag's digest, then each locked platform in key order
/// (platforms served but not locked are no drift; a new platform changes
/// the index digest anyway). Empty when the lock still holds. Never fails.
std::vector<LockDrift> lock_drifts(const LockedImage& locked, const LockedImage& served);

/// Reads a lock file's `text`; `file` names it in messages.
/// Throws Error(Errc::invalid_input):
///   - text that is not JSON, or holds a key twice in one object:
///     "<file>:<line>:<column>: not valid JSON: <what>" (the key case gives
///     the JSON path instead of a position: nlohmann gives none);
///   - a schema error: "<file>: <path>: <problem>", with the JSON path as
///     `images["docker.io/library/alpine:latest"].platforms["linux/amd64"]`:
///     a missing or non-integer version; a field of the wrong type, missing
///     or unknown; a bad reference, digest or platform; a reference with a
///     digest; a tag that is not the key's; a manifest entry whose one
///     platform is not its digest; no platforms; two keys that normalise to
///     one (`alpine` and `docker.io/library/alpine:latest`);
///   - a version other than k_lock_version: "<file>: lock file version 2 is
///     newer than this crun-any reads (1): upgrade crun-any".
LockFile parse_lock_file(std::string_view text, std::string_view file);

/// The text of `lock`: sorted keys, two-space indent, trailing newline,
/// "version": k_lock_version. parse_lock_file() gives back an equal LockFile.
/// Never fails.
std::string write_lock_file(const LockFile& lock);

} // namespace crun::core
