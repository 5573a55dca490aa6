#pragma once
// What crun-any itself pulled: for a repository and a platform, the manifest
// digest the registry served and the image ID the engine gave it. pull_only's
// check of `run` (policy_local_content.hpp) reads it to decide offline for an
// image crun-any pulled, when no lock holds it. Pure: the file is the CLI's.
// It only ever adds digests a registry served; a digest a user adds by hand
// is their own deliberate act, visible in the file (docs/policy.md).

#include <crun/core/digest.hpp>
#include <crun/core/platform.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace crun::core {

struct PulledEntry {
  std::string repository; ///< normalised: "docker.io/library/alpine"
  std::string platform;   ///< the lock's key of the platform: "linux/amd64"
  Digest manifest;        ///< the platform's manifest digest the registry served
  Digest id;              ///< the local image's ID after the pull

  bool operator==(const PulledEntry&) const = default;
};

struct PullRecord {
  /// Oldest first; at most k_max_pull_record entries.
  std::vector<PulledEntry> entries;
};

/// How many pulls the record keeps: the oldest go first.
inline constexpr std::size_t k_max_pull_record = 1000;

/// Reads a record written by write_pull_record(). Throws
/// Error(Errc::invalid_input) naming `file` when it is not one (the caller
/// then treats it as empty: a damaged record can only narrow what runs).
PullRecord parse_pull_record(std::string_view text, std::string_view file);

/// The record as JSON, one entry per line, with a trailing newline. Never
/// fails.
std::string write_pull_record(const PullRecord& record);

/// Adds `entry` (moving an equal one to the end), dropping the oldest beyond
/// k_max_pull_record. Never fails.
void add_pull(PullRecord& record, PulledEntry entry);

/// The manifest digests and IDs recorded for `repository` on `platform`.
/// Never fails.
std::vector<Digest> recorded_digests(const PullRecord& record, std::string_view repository,
                                     const Platform& platform);

} // namespace crun::core
