// merge_policies: each rule's tightening, each contradiction with both
// files named, and that no later layer (project, user, --policy,
// CRUN_ANY_POLICY) can loosen anything the admin file set.
#include <crun/core/policy_merge.hpp>

#include <crun/core/error.hpp>

#include <gtest/gtest.h>

#include <string>

namespace crun::core {
namespace {

const std::string k_admin = "/etc/crun-any/policy.json";
const std::string k_project = "/src/app/.crun-any.json";
const std::string k_user = "/home/dev/.config/crun-any/config.json";
const std::string k_override = "strict.json";

PolicyLayer layer(PolicyLevel level, const std::string& file, std::string_view text)
{
  return {level, parse_policy(text, file)};
}

PolicyLayer admin(std::string_view text)
{
  return layer(PolicyLevel::admin, k_admin, text);
}
PolicyLayer project(std::string_view text)
{
  return layer(PolicyLevel::project, k_project, text);
}

std::vector<std::string> prefixes(const Policy& policy)
{
  std::vector<std::string> out;
  out.reserve(policy.allowed_registries->value.size());
  for (const auto& prefix : policy.allowed_registries->value) {
    out.push_back(prefix.str());
  }
  return out;
}

std::string contradiction(const std::vector<PolicyLayer>& layers)
{
  try {
    merge_policies(layers);
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), Errc::policy_invalid);
    return error.message();
  }
  ADD_FAILURE() << "merged";
  return {};
}

using Strings = std::vector<std::string>;

TEST(PolicyMerge, NoLayersConstrainNothing)
{
  EXPECT_EQ(merge_policies({}), Policy{});
}

TEST(PolicyMerge, AllowedRegistriesIntersectByPrefix)
{
  Policy merged = merge_policies({admin(R"({"allowed_registries": ["ghcr.io", "quay.io"]})"),
                                  project(R"({"allowed_registries": ["ghcr.io/team"]})")});
  EXPECT_EQ(prefixes(merged), Strings{"ghcr.io/team"});
  EXPECT_EQ(merged.allowed_registries->sources, (Strings{k_admin, k_project}));

  Policy disjoint = merge_policies({admin(R"({"allowed_registries": ["ghcr.io"]})"),
                                    project(R"({"allowed_registries": ["quay.io"]})")});
  EXPECT_TRUE(disjoint.allowed_registries->value.empty());

  Policy only_later = merge_policies({admin("{}"), project(R"({"allowed_registries": ["a.io"]})")});
  EXPECT_EQ(prefixes(only_later), Strings{"a.io"});
  EXPECT_EQ(only_later.allowed_registries->sources, Strings{k_project});
}

TEST(PolicyMerge, BooleansOnlyTurnOn)
{
  for (std::string_view key : {"require_digest", "pull_only", "require_lock"}) {
    SCOPED_TRACE(key);
    auto text = [key](bool on) {
      return std::string(R"({")") + std::string(key) + R"(": )" + (on ? "true" : "false") + "}";
    };
    auto get = [key](const Policy& p) {
      return key == "require_digest" ? p.require_digest
             : key == "pull_only"    ? p.pull_only
                                     : p.require_lock;
    };
    Policy on_then_off = merge_policies({admin(text(true)), project(text(false))});
    EXPECT_EQ(get(on_then_off), (Sourced<bool>{true, {k_admin}}));
    Policy off_then_on = merge_policies({admin(text(false)), project(text(true))});
    EXPECT_EQ(get(off_then_on), (Sourced<bool>{true, {k_project}}));
  }
}

TEST(PolicyMerge, TheStrictestEmulationWins)
{
  const struct {
    std::string first;
    std::string second;
    EmulationMode expected;
    std::string source;
  } rows[] = {
    {"allow", "warn", EmulationMode::warn, k_project},
    {"warn", "allow", EmulationMode::warn, k_admin},
    {"deny", "allow", EmulationMode::deny, k_admin},
    {"deny", "warn", EmulationMode::deny, k_admin},
    {"warn", "deny", EmulationMode::deny, k_project},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.first + " then " + row.second);
    Policy merged = merge_policies({admin(R"({"emulation": ")" + row.first + R"("})"),
                                    project(R"({"emulation": ")" + row.second + R"("})")});
    EXPECT_EQ(merged.emulation, (Sourced<EmulationMode>{row.expected, {row.source}}));
  }
}

TEST(PolicyMerge, PlatformsAndBackendsIntersect)
{
  Policy merged = merge_policies(
    {admin(R"({"platforms": ["linux/amd64", "linux/arm64"], "backends": ["docker", "podman"]})"),
     project(
       R"({"platforms": ["linux/arm64", "linux/arm/v7"], "backends": ["podman", "apple"]})")});
  ASSERT_EQ(merged.platforms->value.size(), 1U);
  EXPECT_EQ(merged.platforms->value[0].str(), "linux/arm64");
  EXPECT_EQ(merged.platforms->sources, (Strings{k_admin, k_project}));
  EXPECT_EQ(merged.backends->value, Strings{"podman"});
}

TEST(PolicyMerge, BlockedVerbsOnlyGrow)
{
  // No layer lists any: the default applies (left absent).
  EXPECT_FALSE(merge_policies({admin(R"({"pull_only": true})")}).blocked_verbs);
  // An admin's own list replaces the default...
  Policy admin_list = merge_policies({admin(R"({"blocked_verbs": ["build"]})")});
  EXPECT_EQ(admin_list.blocked_verbs->value, std::vector<VerbPath>{{"build"}});
  // ...any later list only adds, to the admin's list or to the default.
  Policy added = merge_policies(
    {admin(R"({"blocked_verbs": ["build"]})"), project(R"({"blocked_verbs": ["push"]})")});
  EXPECT_EQ(added.blocked_verbs->value, (std::vector<VerbPath>{{"build"}, {"push"}}));
  EXPECT_EQ(added.blocked_verbs->sources, (Strings{k_admin, k_project}));
  Policy shorter = merge_policies({project(R"({"blocked_verbs": ["push"]})")});
  auto expected = default_blocked_verbs();
  expected.push_back({"push"});
  EXPECT_EQ(shorter.blocked_verbs->value, expected);
  Policy emptied = merge_policies({project(R"({"blocked_verbs": []})")});
  EXPECT_EQ(emptied.blocked_verbs->value, default_blocked_verbs());
}

TEST(PolicyMerge, ARepeatedPlatformOrLockfileIsNoContradiction)
{
  Policy merged =
    merge_policies({admin(R"({"platform": "linux/amd64", "lockfile": "crun-any.lock"})"),
                    project(R"({"platform": "linux/x86_64", "lockfile": "crun-any.lock"})")});
  EXPECT_EQ(merged.platform->value.str(), "linux/amd64");
  EXPECT_EQ(merged.platform->sources, Strings{k_admin});
  EXPECT_EQ(merged.lockfile->sources, Strings{k_admin});
}

TEST(PolicyMerge, ContradictionsNameBothFiles)
{
  EXPECT_EQ(
    contradiction(
      {admin(R"({"platform": "linux/amd64"})"), project(R"({"platform": "linux/arm64"})")}),
    "policy files contradict each other: " + k_admin + " requires platform linux/amd64 and " +
      k_project +
      " requires linux/arm64; a later file may only tighten an earlier one: remove or align "
      "one of them");
  EXPECT_EQ(contradiction({admin(R"({"platforms": ["linux/amd64"]})"),
                           project(R"({"platform": "linux/arm64"})")}),
            "policy files contradict each other: " + k_project +
              " requires platform linux/arm64, but " + k_admin +
              " allows only platforms [linux/amd64]; a later file may only tighten an earlier one: "
              "remove or align one of them");
  // The other way round: a later `platforms` that leaves out the required one.
  EXPECT_EQ(contradiction({admin(R"({"platform": "linux/arm64"})"),
                           project(R"({"platforms": ["linux/amd64"]})")}),
            "policy files contradict each other: " + k_admin +
              " requires platform linux/arm64, but " + k_project +
              " allows only platforms [linux/amd64]; a later file may only tighten an earlier one: "
              "remove or align one of them");
  // Two `platforms` lists that intersect to nothing, under a required one.
  EXPECT_NE(contradiction({admin(R"({"platform": "linux/arm64", "platforms": ["linux/arm64"]})"),
                           project(R"({"platforms": ["linux/amd64"]})")})
              .find("allows only platforms []"),
            std::string::npos);
  EXPECT_EQ(
    contradiction({admin(R"({"lockfile": "a.lock"})"), project(R"({"lockfile": "b.lock"})")}),
    "policy files contradict each other: " + k_admin + " names lock file \"a.lock\" and " +
      k_project +
      " names \"b.lock\"; a later file may not replace the lock an earlier one chose: "
      "remove one");
}

TEST(PolicyMerge, LayersOutOfOrderAreABug)
{
  try {
    merge_policies({project("{}"), admin("{}")});
    FAIL() << "merged";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), Errc::internal);
  }
}

// Every later level, trying every loosening: the effective values stay the
// admin's (sources may add the later file; values never widen).
TEST(PolicyMerge, NoLaterLayerLoosensTheAdmin)
{
  const std::string strict = R"({
    "allowed_registries": ["ghcr.io/team"],
    "require_digest": true, "pull_only": true, "require_lock": true,
    "blocked_verbs": ["build", "load"],
    "platforms": ["linux/amd64"], "emulation": "deny",
    "backends": ["podman"], "lockfile": "team.lock"
  })";
  const Policy base = merge_policies({admin(strict)});
  const std::string loosen[] = {
    R"({"allowed_registries": ["ghcr.io", "docker.io", "ghcr.io.evil.com"]})",
    R"({"allowed_registries": ["ghcr.io/teamx"]})",
    R"({"require_digest": false, "pull_only": false, "require_lock": false})",
    R"({"blocked_verbs": []})",
    R"({"blocked_verbs": ["build"]})",
    R"({"platforms": ["linux/amd64", "linux/arm64"]})",
    R"({"emulation": "allow"})",
    R"({"emulation": "warn"})",
    R"({"backends": ["docker", "podman", "apple"]})",
  };
  for (PolicyLevel level : {PolicyLevel::project, PolicyLevel::user, PolicyLevel::override_file}) {
    for (const auto& text : loosen) {
      SCOPED_TRACE(std::string(policy_level_name(level)) + ": " + text);
      Policy merged = merge_policies({admin(strict), layer(level, k_override, text)});
      if (text.find("teamx") != std::string::npos) {
        EXPECT_TRUE(merged.allowed_registries->value.empty()); // tighter still
      } else {
        EXPECT_EQ(merged.allowed_registries->value, base.allowed_registries->value);
      }
      EXPECT_TRUE(merged.require_digest->value);
      EXPECT_TRUE(merged.pull_only->value);
      EXPECT_TRUE(merged.require_lock->value);
      for (const auto& verb : base.blocked_verbs->value) {
        EXPECT_NE(
          std::find(merged.blocked_verbs->value.begin(), merged.blocked_verbs->value.end(), verb),
          merged.blocked_verbs->value.end());
      }
      EXPECT_EQ(merged.platforms->value, base.platforms->value);
      EXPECT_EQ(merged.emulation->value, EmulationMode::deny);
      EXPECT_EQ(merged.backends->value, base.backends->value);
      EXPECT_EQ(merged.lockfile, base.lockfile);
    }
    // Replacing the lock or requiring another platform is refused outright.
    EXPECT_THROW(merge_policies({admin(strict), layer(level, k_override, R"({"lockfile": "x"})")}),
                 Error);
    EXPECT_THROW(
      merge_policies({admin(strict), layer(level, k_override, R"({"platform": "linux/arm64"})")}),
      Error);
  }
}

TEST(PolicyMerge, EachLayerTightensInTurn)
{
  Policy merged = merge_policies(
    {admin(R"({"allowed_registries": ["ghcr.io"]})"),
     project(R"({"allowed_registries": ["ghcr.io/team"], "emulation": "warn"})"),
     layer(PolicyLevel::user, k_user, R"({"allowed_registries": ["ghcr.io/team/app"]})"),
     layer(PolicyLevel::override_file, k_override, R"({"emulation": "deny", "pull_only": true})"),
     layer(PolicyLevel::override_file, "env.json", R"({"backends": ["docker"]})")});
  EXPECT_EQ(prefixes(merged), Strings{"ghcr.io/team/app"});
  EXPECT_EQ(merged.allowed_registries->sources, (Strings{k_admin, k_project, k_user}));
  EXPECT_EQ(merged.emulation->sources, Strings{k_override});
  EXPECT_EQ(merged.backends->sources, Strings{"env.json"});
}

} // namespace
} // namespace crun::core

namespace crun::core {
namespace {

TEST(PolicyMerge, PrivilegedIsFalseOnceAnyFileSaysFalse)
{
  auto text = [](bool on) { return std::string(R"({"privileged": )") + (on ? "true}" : "false}"); };
  EXPECT_EQ(merge_policies({admin(text(false)), project(text(true))}).privileged,
            (Sourced<bool>{false, {k_admin}}));
  EXPECT_EQ(merge_policies({admin(text(true)), project(text(false))}).privileged,
            (Sourced<bool>{false, {k_project}}));
  EXPECT_EQ(merge_policies({admin(text(true)), project("{}")}).privileged,
            (Sourced<bool>{true, {k_admin}}));
  EXPECT_EQ(merge_policies({admin("{}")}).privileged, std::nullopt);
}

} // namespace
} // namespace crun::core
