#pragma once
// The team policy (docs/policy.md): one file's rules, or the effective rules
// of all files merged (policy_merge.hpp), each value with the file(s) that
// set it so that every refusal and `policy show` can name them.
// Pure: parse_policy() reads text; finding and reading the files is the
// CLI's. A value absent from a Policy is unconstrained.

#include <crun/core/platform.hpp>
#include <crun/core/registry_prefix.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crun::core {

/// A value and the files that set it, in layer order. One file for a
/// scalar (the one whose value is in effect); for a merged list, every file
/// whose list narrowed it. Never empty once parsed.
template <typename T>
struct Sourced {
  T value;
  std::vector<std::string> sources;

  bool operator==(const Sourced&) const = default;
};

/// "a.json", "a.json and b.json", "a.json, b.json and c.json". Never fails.
std::string describe_sources(const std::vector<std::string>& sources);

/// What a platform that is not the engine's own may do. Ordered from the
/// loosest to the strictest: merging keeps the greater.
enum class EmulationMode { allow, warn, deny };

/// "allow", "warn", "deny". Never fails.
std::string_view emulation_mode_name(EmulationMode mode);

/// The backends a policy may name, as `--backend` spells them.
inline constexpr std::string_view k_policy_backends[] = {"docker", "podman", "apple"};

/// A verb path: the words of a command as typed, `{"artifact", "add"}`.
using VerbPath = std::vector<std::string>;

/// "artifact add". Never fails.
std::string verb_path_str(const VerbPath& verb);

/// The verbs `pull_only` refuses when no admin policy lists its own: every
/// way the three engines make image content locally (build, load, import,
/// commit, and their management-command spellings), Podman's `artifact add`
/// and `clean`. Never fails.
const std::vector<VerbPath>& default_blocked_verbs();

struct Policy {
  /// The file this policy was read from; for a merged policy, empty.
  std::string file;

  /// Registries images may come from; absent: any. Empty (after a merge of
  /// disjoint lists): none.
  std::optional<Sourced<std::vector<RegistryPrefix>>> allowed_registries;
  /// A reference must carry a digest, or its tag be locked for the platform.
  std::optional<Sourced<bool>> require_digest;
  /// No verb of `blocked_verbs`; `run` only of content a registry serves.
  std::optional<Sourced<bool>> pull_only;
  /// The verbs pull_only refuses; absent: default_blocked_verbs().
  std::optional<Sourced<std::vector<VerbPath>>> blocked_verbs;
  /// The one platform every image must be for.
  std::optional<Sourced<Platform>> platform;
  /// The platforms images may be for (normalised, no duplicates).
  std::optional<Sourced<std::vector<Platform>>> platforms;
  /// What a platform other than the engine's may do; absent: allow.
  std::optional<Sourced<EmulationMode>> emulation;
  /// The backends that may be used ("docker", "podman", "apple").
  std::optional<Sourced<std::vector<std::string>>> backends;
  /// The lock file to use, as written (relative paths are the wiring's to
  /// resolve against the directory of the file that set it).
  std::optional<Sourced<std::string>> lockfile;
  /// Every image's tag must be locked (for the platform used).
  std::optional<Sourced<bool>> require_lock;
  /// Whether `run --privileged` may be used; absent: allowed.
  std::optional<Sourced<bool>> privileged;

  bool operator==(const Policy&) const = default;
};

/// Which part of a file holds the policy: all of a policy file, or the
/// `policy` member of the user config (whose other keys are preferences,
/// docs/backends.md).
enum class PolicyText { whole_file, policy_member };

/// Reads a policy from `text`; `file` names it in messages and is every
/// value's source. Fails closed: anything not understood is an error.
/// Throws Error(Errc::policy_invalid):
///   - not JSON, or a key twice in one object (json_text.hpp):
///     "<file>:<line>:<column>: not valid JSON: <what>";
///   - a schema error, "<file>: <path>: <problem>" with paths such as
///     `allowed_registries[2]`: not an object; an unknown key (naming the
///     known ones); a value of the wrong type; an empty list (leave the key
///     out instead) or an empty string; a bad registry prefix, platform,
///     emulation mode, backend or verb path; `platform` not among
///     `platforms` of the same file.
/// With PolicyText::policy_member, a file without `policy` is an empty
/// Policy, and paths start `policy.`.
Policy parse_policy(std::string_view text, std::string_view file,
                    PolicyText part = PolicyText::whole_file);

} // namespace crun::core
