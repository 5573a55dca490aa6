// merge_policies: each rule has one tightening operation; none of them can
// widen what an earlier layer set, which is what makes the admin file
// impossible to loosen from the project, the user or the command line.
#include <crun/core/policy_merge.hpp>

#include <crun/core/error.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

namespace crun::core {
namespace {

std::vector<std::string> joined(std::vector<std::string> first,
                                const std::vector<std::string>& more)
{
  for (const auto& source : more) {
    if (std::find(first.begin(), first.end(), source) == first.end()) {
      first.push_back(source);
    }
  }
  return first;
}

// Booleans only turn on; the source is the first file that turned it on (a
// later `false` changes nothing and is no source of the value).
void merge_flag(std::optional<Sourced<bool>>& into, const std::optional<Sourced<bool>>& layer)
{
  if (!layer) {
    return;
  }
  if (!into || (!into->value && layer->value)) {
    into = layer;
  }
}

template <typename T>
std::vector<T> intersect_values(const std::vector<T>& first, const std::vector<T>& second)
{
  std::vector<T> out;
  for (const auto& item : first) {
    if (std::find(second.begin(), second.end(), item) != second.end()) {
      out.push_back(item);
    }
  }
  return out;
}

template <typename T, typename Intersect>
void merge_list(std::optional<Sourced<std::vector<T>>>& into,
                const std::optional<Sourced<std::vector<T>>>& layer, Intersect intersect)
{
  if (!layer) {
    return;
  }
  if (!into) {
    into = layer;
    return;
  }
  into = Sourced<std::vector<T>>{intersect(into->value, layer->value),
                                 joined(into->sources, layer->sources)};
}

void merge_blocked(std::optional<Sourced<std::vector<VerbPath>>>& into, const PolicyLayer& layer)
{
  const auto& verbs = layer.policy.blocked_verbs;
  if (!verbs) {
    return;
  }
  if (!into) {
    if (layer.level == PolicyLevel::admin) {
      into = verbs;
      return;
    }
    into = Sourced<std::vector<VerbPath>>{default_blocked_verbs(), {}};
  }
  for (const auto& verb : verbs->value) {
    if (std::find(into->value.begin(), into->value.end(), verb) == into->value.end()) {
      into->value.push_back(verb);
    }
  }
  into->sources = joined(into->sources, verbs->sources);
}

void check_platform_allowed(const Policy& merged)
{
  if (!merged.platform || !merged.platforms) {
    return;
  }
  const auto& allowed = merged.platforms->value;
  const Platform& required = merged.platform->value;
  // As parse_policy() checks one file: an allowed platform without a
  // variant admits the required one's variant.
  if (std::none_of(allowed.begin(), allowed.end(),
                   [&required](const Platform& p) { return required.matches(p); })) {
    fail(
      Errc::policy_invalid,
      "policy files contradict each other: {} requires platform {}, but {} allows only "
      "platforms [{}]; a later file may only tighten an earlier one: remove or align one of them",
      describe_sources(merged.platform->sources), merged.platform->value,
      describe_sources(merged.platforms->sources), fmt::join(allowed, ", "));
  }
}

} // namespace

std::string_view policy_level_name(PolicyLevel level)
{
  switch (level) {
  case PolicyLevel::admin: return "admin";
  case PolicyLevel::project: return "project";
  case PolicyLevel::user: return "user";
  case PolicyLevel::override_file: return "override";
  }
  return "override";
}

Policy merge_policies(const std::vector<PolicyLayer>& layers)
{
  Policy merged;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const PolicyLayer& layer = layers[i];
    const Policy& policy = layer.policy;
    if (i > 0 && layer.level < layers[i - 1].level) {
      fail(Errc::internal,
           "policy layer {} ({}) comes after a {} layer: layers go admin, project, "
           "user, override",
           policy.file, policy_level_name(layer.level), policy_level_name(layers[i - 1].level));
    }
    merge_list(merged.allowed_registries, policy.allowed_registries, intersect_prefixes);
    merge_list(merged.platforms, policy.platforms, intersect_values<Platform>);
    merge_list(merged.backends, policy.backends, intersect_values<std::string>);
    merge_flag(merged.require_digest, policy.require_digest);
    merge_flag(merged.pull_only, policy.pull_only);
    merge_flag(merged.require_lock, policy.require_lock);
    // privileged: allowed until a file says false; then false stays.
    if (policy.privileged &&
        (!merged.privileged || (merged.privileged->value && !policy.privileged->value))) {
      merged.privileged = policy.privileged;
    }
    merge_blocked(merged.blocked_verbs, layer);
    if (policy.emulation &&
        (!merged.emulation || merged.emulation->value < policy.emulation->value)) {
      merged.emulation = policy.emulation;
    }
    if (policy.platform) {
      if (!merged.platform) {
        merged.platform = policy.platform;
      } else if (merged.platform->value != policy.platform->value) {
        fail(Errc::policy_invalid,
             "policy files contradict each other: {} requires platform {} and {} requires {}; a "
             "later file may only tighten an earlier one: remove or align one of them",
             describe_sources(merged.platform->sources), merged.platform->value,
             describe_sources(policy.platform->sources), policy.platform->value);
      }
    }
    check_platform_allowed(merged);
    if (policy.lockfile) {
      if (!merged.lockfile) {
        merged.lockfile = policy.lockfile;
      } else if (merged.lockfile->value != policy.lockfile->value) {
        fail(Errc::policy_invalid,
             "policy files contradict each other: {} names lock file \"{}\" and {} names \"{}\"; "
             "a later file may not replace the lock an earlier one chose: remove one",
             describe_sources(merged.lockfile->sources), merged.lockfile->value,
             describe_sources(policy.lockfile->sources), policy.lockfile->value);
      }
    }
  }
  return merged;
}

} // namespace crun::core
