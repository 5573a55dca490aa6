#pragma once
// pull_only's check of `run`: the local image must be content a registry (or
// the lock, or crun-any's record of its own pulls) holds for that name
// and platform, so that an image built, imported, committed or retagged
// locally under a registry name never runs. The decision compares digests
// only: Podman lists RepoDigests even for local builds, so that a repo
// digest exists proves nothing. Pure: which digests are known (the registry, the lock) is the
// caller's to gather.

#include <crun/core/digest.hpp>
#include <crun/core/image_ref.hpp>
#include <crun/core/lock_file.hpp>
#include <crun/core/platform.hpp>
#include <crun/core/policy.hpp>

#include <string>
#include <vector>

namespace crun::core {

/// The digests known to be the content of a name on a platform.
struct KnownContent {
  /// Manifest, index and config digests (an engine's image ID is a config
  /// digest on Docker's classic store and Podman, a manifest or index digest
  /// on Docker's containerd store): every digest that identifies content
  /// the registry serves or the lock pinned for this name and platform.
  std::vector<Digest> digests;
  /// True when `digests` is complete for this name and platform (the
  /// registry answered): a local ID outside it is refused. False when only
  /// the lock and the pull record were consulted (offline): a local ID
  /// outside it cannot be decided.
  bool complete = false;
};

enum class LocalContentVerdict { allowed, refused, undecidable };

struct LocalContentCheck {
  LocalContentVerdict verdict = LocalContentVerdict::undecidable;
  /// Empty when allowed; else says why, naming the rule's file and the fix.
  std::string message;
};

/// Whether `run` may start the local image `local_id` (its ID: a config,
/// manifest or index digest) found for `ref` on `platform`, under `policy`.
/// Allowed when pull_only is off, or `local_id` is among `known.digests`;
/// refused when it is not and `known.complete`; undecidable otherwise (the
/// message says to go online or pull with crun-any). Never fails.
LocalContentCheck check_local_content(const Policy& policy, const ImageRef& ref,
                                      const Platform& platform, const Digest& local_id,
                                      const KnownContent& known);

/// The digests `lock` pins for `ref` on `platform`: the entry's digest and
/// the platform's manifest digest; empty when the lock lacks either. A
/// starting point for KnownContent (never complete by itself: a lock holds
/// no config digests). Never fails.
std::vector<Digest> locked_digests(const LockFile& lock, const ImageRef& ref,
                                   const Platform& platform);

} // namespace crun::core
