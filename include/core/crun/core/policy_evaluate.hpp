#pragma once
// evaluate_policy: what the effective policy says of one command, as every
// violation at once (a user fixes them all in one round, and `policy check`
// lists them), each naming its rule, the file(s) that set it, the input and
// the fix. Pure: the caller resolves the backend, the platform, the lock and
// the emulator beforehand (policy_local_content.hpp has the pull_only check
// of a local image for `run`).

#include <crun/core/image_ref.hpp>
#include <crun/core/lock_file.hpp>
#include <crun/core/platform.hpp>
#include <crun/core/policy.hpp>

#include <optional>
#include <string>
#include <vector>

namespace crun::core {

/// Whether the engine can run a foreign architecture: detected (binfmt_misc
/// entry, Rosetta, what a VM's engine reports), detected missing, or not
/// known (no detection for this engine, or it failed).
enum class EmulatorState { present, absent, unknown };

struct PolicyRequest {
  /// The command's words: {"run"}, {"pull"}, {"artifact", "add"}.
  VerbPath verb;
  /// The image, as given (a tag, a digest or both); absent for verbs that
  /// name none: then only the verb and backend rules apply.
  std::optional<ImageRef> image;
  /// The platform the command will use, resolved by the caller (lock entry
  /// > --platform > policy > engine); absent: the engine's native one.
  std::optional<Platform> platform;
  /// "docker", "podman" or "apple"; empty when not resolved yet (`policy
  /// check` without an engine): the backends rule is then not checked.
  std::string backend;
  /// The lock in effect, if any; it must outlive the call.
  const LockFile* lock = nullptr;
  /// The engine's own platform (not the host's: Docker Desktop on a Mac
  /// runs linux/arm64).
  Platform native;
  /// Whether an emulator for `platform` is installed, when it is not native.
  EmulatorState emulator = EmulatorState::unknown;
  /// `run --privileged`: checked against the privileged rule.
  bool privileged = false;
};

/// One finding. `rule` is the policy key ("allowed_registries"); `file` the
/// file(s) that set it, "(built in)" when no file did (an absent emulator).
struct Violation {
  std::string rule;
  std::string file;
  std::string message;

  bool operator==(const Violation&) const = default;
};

struct PolicyVerdict {
  /// Every refusal, in rule order: pull_only (verb), privileged, backends,
  /// allowed_registries, require_digest, require_lock, platform, platforms,
  /// emulation.
  std::vector<Violation> violations;
  /// What the user should know but does not refuse (emulation: warn, an
  /// emulator that could not be detected); same shape.
  std::vector<Violation> warnings;

  /// No violation. Never fails.
  bool allowed() const noexcept { return violations.empty(); }
};

/// Evaluates `request` against the effective `policy` (merge_policies()).
/// Never throws (except std::bad_alloc): a refusal is a violation; turning
/// violations into Error(Errc::policy_denied) is the caller's.
PolicyVerdict evaluate_policy(const Policy& policy, const PolicyRequest& request);

/// Whether `verb` is one of `blocked` or under one (`buildx` blocks
/// `buildx build`; `artifact add` does not block `artifact ls`). Never fails.
bool verb_blocked(const VerbPath& verb, const std::vector<VerbPath>& blocked);

/// Whether `platform` differs from `native` in OS or architecture, so that
/// running it needs an emulator (a variant alone does not: arm64 runs arm/v7
/// and amd64 its v2/v3 variants natively). Never fails.
bool needs_emulation(const Platform& platform, const Platform& native);

/// Whether `lock` holds `ref` for `platform`: its tag's entry has the
/// platform and, when `ref` carries a digest, that digest is the entry's
/// (index) or the platform's manifest digest. A digest-only reference is
/// locked when an entry of the same repository holds it. Never fails.
bool locked_for(const LockFile* lock, const ImageRef& ref, const Platform& platform);

} // namespace crun::core
