#pragma once
// The effective policy of all files, in the precedence of PRODUCT.md: the
// admin file, the project's `.crun-any.json`, the user config, then
// `--policy` / CRUN_ANY_POLICY. A later file only tightens: by
// construction no rule of merge_policies() lets a later layer admit what an
// earlier one refused (unlike containers' policy.json, where a user file
// replaces the system one).

#include <crun/core/policy.hpp>

#include <string_view>
#include <vector>

namespace crun::core {

/// Where a policy file sits in the precedence, from the first (strongest)
/// to the last.
enum class PolicyLevel { admin, project, user, override_file };

/// "admin", "project", "user", "override". Never fails.
std::string_view policy_level_name(PolicyLevel level);

struct PolicyLayer {
  PolicyLevel level = PolicyLevel::admin;
  Policy policy;
};

/// Merges `layers`, given in precedence order (a level may repeat: both
/// `--policy` and CRUN_ANY_POLICY are override_file):
///   - allowed_registries, platforms, backends: the intersection (prefixes
///     by containment, intersect_prefixes); disjoint lists leave nothing
///     allowed, which evaluation reports, rather than an error;
///   - require_digest, pull_only, require_lock: true once any layer says so;
///   - privileged: false once any layer says so;
///   - emulation: the strictest (deny > warn > allow);
///   - blocked_verbs: the union; only an admin layer's list replaces the
///     default list, any other layer's adds to it (so a project cannot
///     unblock `build` by listing fewer verbs);
///   - platform, lockfile: the first layer's; a later layer may repeat it.
/// Each merged value's sources are the files that shaped it.
/// Throws Error(Errc::policy_invalid), naming both files, when two layers
/// require different platforms, a required platform is outside an allowed
/// `platforms` of another layer, or two layers name different lock files;
/// Error(Errc::internal) when the layers are out of precedence order.
Policy merge_policies(const std::vector<PolicyLayer>& layers);

} // namespace crun::core
