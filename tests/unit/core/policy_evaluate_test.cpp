// evaluate_policy: every rule, the allow-list traps through the whole
// evaluation, several violations at once, and the messages naming rule,
// file, input and fix. Also pull_only's local-content check of `run`.
#include <crun/core/policy_evaluate.hpp>

#include <crun/core/policy_local_content.hpp>
#include <crun/core/policy_merge.hpp>

#include <gtest/gtest.h>

#include <string>

namespace crun::core {
namespace {

const std::string k_admin = "/etc/crun-any/policy.json";
const std::string k_project = ".crun-any.json";
const Digest k_index = Digest::parse("sha256:" + std::string(64, 'a'));
const Digest k_amd64 = Digest::parse("sha256:" + std::string(64, 'b'));
const Digest k_arm64 = Digest::parse("sha256:" + std::string(64, 'c'));
const Digest k_other = Digest::parse("sha256:" + std::string(64, 'd'));
const Platform k_native = Platform::parse("linux/amd64");

Policy policy(std::string_view text)
{
  return merge_policies({{PolicyLevel::admin, parse_policy(text, k_admin)}});
}

LockFile sample_lock()
{
  LockFile lock;
  lock.images.insert_or_assign(
    "ghcr.io/team/app:1",
    LockedImage{
      "1", LockKind::index, k_index, {{"linux/amd64", k_amd64}, {"linux/arm64", k_arm64}}});
  lock.images.insert_or_assign(
    "ghcr.io/team/amd64only:1",
    LockedImage{"1", LockKind::manifest, k_amd64, {{"linux/amd64", k_amd64}}});
  return lock;
}

PolicyRequest request(std::string_view image, std::string verb = "run")
{
  PolicyRequest r;
  r.verb = {std::move(verb)};
  if (!image.empty()) {
    r.image = ImageRef::parse(image);
  }
  r.native = k_native;
  r.emulator = EmulatorState::present;
  return r;
}

std::vector<std::string> rules(const std::vector<Violation>& found)
{
  std::vector<std::string> out;
  out.reserve(found.size());
  for (const auto& v : found) {
    out.push_back(v.rule);
  }
  return out;
}

using Strings = std::vector<std::string>;

TEST(PolicyEvaluate, NoPolicyAllowsEverything)
{
  PolicyVerdict verdict = evaluate_policy(Policy{}, request("anything.io/x:1", "build"));
  EXPECT_TRUE(verdict.allowed());
  EXPECT_TRUE(verdict.warnings.empty());
}

TEST(PolicyEvaluate, AllowedRegistriesThroughTheWholeEvaluation)
{
  Policy p = policy(R"({"allowed_registries": ["ghcr.io/team", "docker.io/library"]})");
  const struct {
    std::string image;
    bool allowed;
  } rows[] = {
    {"ghcr.io/team/app:1", true},         {"ghcr.io/team/app@sha256:" + std::string(64, 'a'), true},
    {"GHCR.IO/team/app:1", true},         {"alpine", true},
    {"docker.io/library/alpine:3", true}, {"index.docker.io/library/alpine", true},
    {"ghcr.io/teamx/app:1", false},       {"ghcr.io.evil.com/team/app:1", false},
    {"ghcr.io:444/team/app:1", false},    {"ghcr.io-x/team/app:1", false},
    {"evil.com/ghcr.io/team/app", false}, {"user/app", false},
    {"ghcr.io/Team/app", false}, // refused by the reference grammar already (skipped)
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.image);
    auto ref = ImageRef::try_parse(row.image);
    if (!ref) {
      continue; // the reference grammar refuses it before any policy
    }
    PolicyVerdict verdict = evaluate_policy(p, request(row.image));
    EXPECT_EQ(verdict.allowed(), row.allowed);
    if (!row.allowed) {
      ASSERT_EQ(rules(verdict.violations), Strings{"allowed_registries"});
      EXPECT_EQ(verdict.violations[0].file, k_admin);
    }
  }
  EXPECT_EQ(evaluate_policy(p, request("ghcr.io.evil.com/team/app:1")).violations[0].message,
            "allowed_registries (set by " + k_admin +
              ") do not admit ghcr.io.evil.com/team/app:1 (registry ghcr.io.evil.com): use an "
              "image under ghcr.io/team, docker.io/library");
}

TEST(PolicyEvaluate, DisjointRegistryListsAdmitNothing)
{
  Policy p = merge_policies(
    {{PolicyLevel::admin, parse_policy(R"({"allowed_registries": ["ghcr.io"]})", k_admin)},
     {PolicyLevel::project, parse_policy(R"({"allowed_registries": ["quay.io"]})", k_project)}});
  PolicyVerdict verdict = evaluate_policy(p, request("ghcr.io/x"));
  ASSERT_EQ(rules(verdict.violations), Strings{"allowed_registries"});
  EXPECT_EQ(verdict.violations[0].file, k_admin + " and " + k_project);
  EXPECT_NE(verdict.violations[0].message.find("admit no registry at all"), std::string::npos);
}

TEST(PolicyEvaluate, RequireDigestAcceptsADigestOrATagLockedForThePlatform)
{
  Policy p = policy(R"({"require_digest": true})");
  LockFile lock = sample_lock();
  auto check = [&](std::string_view image, std::string_view platform, bool with_lock) {
    PolicyRequest r = request(image);
    r.platform = Platform::parse(platform);
    r.emulator = EmulatorState::present;
    r.lock = with_lock ? &lock : nullptr;
    return evaluate_policy(p, r).allowed();
  };
  EXPECT_FALSE(check("ghcr.io/team/app:1", "linux/amd64", false));
  EXPECT_TRUE(check("ghcr.io/team/app:1", "linux/amd64", true));
  EXPECT_TRUE(check("ghcr.io/team/app:1", "linux/arm64", true));
  EXPECT_FALSE(check("ghcr.io/team/amd64only:1", "linux/arm64", true)); // not for that platform
  EXPECT_FALSE(check("ghcr.io/team/app:2", "linux/amd64", true));       // another tag
  EXPECT_TRUE(check("ghcr.io/team/app@" + k_other.str(), "linux/amd64", false));
  EXPECT_TRUE(check("ghcr.io/team/app:2@" + k_other.str(), "linux/amd64", false));
  PolicyVerdict verdict = evaluate_policy(p, request("alpine:3"));
  ASSERT_EQ(rules(verdict.violations), Strings{"require_digest"});
  EXPECT_EQ(verdict.violations[0].message,
            "require_digest (set by " + k_admin +
              "): alpine:3 has no digest and its tag is not locked for linux/amd64: give it by "
              "digest (docker.io/library/alpine@sha256:...) or lock the tag (`crun-any lock`)");
}

TEST(PolicyEvaluate, RequireLockNeedsTheLockToHoldTheTagAndDigest)
{
  Policy p = policy(R"({"require_lock": true})");
  LockFile lock = sample_lock();
  auto allowed = [&](std::string_view image, std::string_view platform, const LockFile* l) {
    PolicyRequest r = request(image);
    r.platform = Platform::parse(platform);
    r.lock = l;
    return evaluate_policy(p, r).allowed();
  };
  EXPECT_TRUE(allowed("ghcr.io/team/app:1", "linux/amd64", &lock));
  EXPECT_FALSE(allowed("ghcr.io/team/app:1", "linux/amd64", nullptr));
  EXPECT_FALSE(allowed("ghcr.io/team/app:2", "linux/amd64", &lock));
  EXPECT_FALSE(allowed("ghcr.io/team/amd64only:1", "linux/arm64", &lock));
  // A digest must be the locked one: the index's or the platform's.
  EXPECT_TRUE(allowed("ghcr.io/team/app:1@" + k_index.str(), "linux/amd64", &lock));
  EXPECT_TRUE(allowed("ghcr.io/team/app:1@" + k_amd64.str(), "linux/amd64", &lock));
  EXPECT_FALSE(allowed("ghcr.io/team/app:1@" + k_arm64.str(), "linux/amd64", &lock));
  EXPECT_FALSE(allowed("ghcr.io/team/app:1@" + k_other.str(), "linux/amd64", &lock));
  // A digest-only reference, by any locked tag of the repository.
  EXPECT_TRUE(allowed("ghcr.io/team/app@" + k_arm64.str(), "linux/arm64", &lock));
  EXPECT_FALSE(allowed("ghcr.io/team/app@" + k_other.str(), "linux/amd64", &lock));
  EXPECT_FALSE(allowed("ghcr.io/team/other@" + k_index.str(), "linux/amd64", &lock));

  PolicyRequest r = request("ghcr.io/team/app:2");
  r.lock = &lock;
  EXPECT_EQ(evaluate_policy(p, r).violations.at(0).message,
            "require_lock (set by " + k_admin +
              "): ghcr.io/team/app:2 is not locked for linux/amd64 (the lock does not hold its "
              "tag for it): lock it (`crun-any lock`) and commit the lock file");
}

TEST(PolicyEvaluate, PullOnlyRefusesBlockedVerbPaths)
{
  Policy p = policy(R"({"pull_only": true})");
  auto refused = [&](VerbPath verb) {
    PolicyRequest r = request("");
    r.verb = std::move(verb);
    return !evaluate_policy(p, r).allowed();
  };
  EXPECT_TRUE(refused({"build"}));
  EXPECT_TRUE(refused({"buildx", "build"}));
  EXPECT_TRUE(refused({"image", "load"}));
  EXPECT_TRUE(refused({"artifact", "add"}));
  EXPECT_TRUE(refused({"clean"}));
  EXPECT_FALSE(refused({"artifact", "ls"}));
  EXPECT_FALSE(refused({"run"}));
  EXPECT_FALSE(refused({"pull"}));
  EXPECT_FALSE(refused({"image"}));
  EXPECT_FALSE(refused({"builds"}));
  // The policy's own list, not the default, once an admin sets one.
  Policy own = policy(R"({"pull_only": true, "blocked_verbs": ["push"]})");
  PolicyRequest push = request("");
  push.verb = {"push"};
  EXPECT_EQ(evaluate_policy(own, push).violations.at(0).message,
            "pull_only (set by " + k_admin +
              ") refuses `push`: images are built in CI and pulled from a registry, never made "
              "locally; pull the image instead");
  PolicyRequest build = request("");
  build.verb = {"build"};
  EXPECT_TRUE(evaluate_policy(own, build).allowed());
  // pull_only off: no verb refused, whatever the list.
  EXPECT_TRUE(evaluate_policy(policy(R"({"blocked_verbs": ["build"]})"), build).allowed());
}

TEST(PolicyEvaluate, PlatformAndPlatforms)
{
  Policy one = policy(R"({"platform": "linux/amd64"})");
  PolicyRequest r = request("alpine");
  EXPECT_TRUE(evaluate_policy(one, r).allowed()); // native is amd64
  r.platform = Platform::parse("linux/arm64");
  PolicyVerdict verdict = evaluate_policy(one, r);
  ASSERT_EQ(rules(verdict.violations), Strings{"platform"});
  EXPECT_EQ(verdict.violations[0].message,
            "platform (set by " + k_admin +
              ") requires linux/amd64, not linux/arm64: use --platform linux/amd64 (or none)");

  Policy some = policy(R"({"platforms": ["linux/amd64", "linux/arm64"]})");
  r.platform = Platform::parse("linux/aarch64");
  EXPECT_TRUE(evaluate_policy(some, r).allowed());
  r.platform = Platform::parse("linux/arm/v7");
  EXPECT_EQ(rules(evaluate_policy(some, r).violations), Strings{"platforms"});
}

TEST(PolicyEvaluate, EmulationModes)
{
  auto verdict = [](std::string_view text, EmulatorState emulator,
                    std::string_view platform = "linux/arm64") {
    PolicyRequest r = request("alpine");
    r.platform = Platform::parse(platform);
    r.emulator = emulator;
    return evaluate_policy(policy(text), r);
  };
  // Native: nothing to say, whatever the mode or the emulator.
  EXPECT_TRUE(verdict(R"({"emulation": "deny"})", EmulatorState::absent, "linux/amd64").allowed());
  EXPECT_TRUE(
    verdict(R"({"emulation": "deny"})", EmulatorState::absent, "linux/amd64/v3").allowed());

  PolicyVerdict allow = verdict(R"({"emulation": "allow"})", EmulatorState::present);
  EXPECT_TRUE(allow.allowed());
  EXPECT_TRUE(allow.warnings.empty());

  PolicyVerdict warn = verdict(R"({"emulation": "warn"})", EmulatorState::present);
  EXPECT_TRUE(warn.allowed());
  ASSERT_EQ(rules(warn.warnings), Strings{"emulation"});
  EXPECT_EQ(warn.warnings[0].message,
            "linux/arm64 is not the engine's platform (linux/amd64): it runs emulated, slower "
            "and with less fidelity (emulation: warn, set by " +
              k_admin + ")");

  PolicyVerdict deny = verdict(R"({"emulation": "deny"})", EmulatorState::present);
  ASSERT_EQ(rules(deny.violations), Strings{"emulation"});
  EXPECT_EQ(deny.violations[0].message,
            "emulation: deny (set by " + k_admin +
              "): linux/arm64 is not the engine's platform (linux/amd64) and would run emulated: "
              "use an image for linux/amd64");

  // An absent emulator refuses even under allow, and with no policy at all.
  for (std::string_view text : {R"({"emulation": "allow"})", "{}"}) {
    SCOPED_TRACE(text);
    PolicyVerdict absent = verdict(text, EmulatorState::absent);
    ASSERT_EQ(rules(absent.violations), Strings{"emulation"});
    std::string prefix = text == "{}" ? "" : "emulation (set by " + k_admin + "): ";
    EXPECT_EQ(absent.violations[0].message,
              prefix +
                "linux/arm64 needs an emulator on this linux/amd64 engine and none is installed "
                "for arm64: install one (Linux: `docker run --privileged --rm tonistiigi/binfmt "
                "--install arm64`; macOS: `softwareupdate --install-rosetta`) or use an image for "
                "linux/amd64");
  }
  EXPECT_EQ(verdict("{}", EmulatorState::absent).violations[0].file, "(built in)");
  // deny and absent: both said.
  EXPECT_EQ(rules(verdict(R"({"emulation": "deny"})", EmulatorState::absent).violations),
            (Strings{"emulation", "emulation"}));
  // Unknown: a warning, not a refusal.
  PolicyVerdict unknown = verdict(R"({"emulation": "allow"})", EmulatorState::unknown);
  EXPECT_TRUE(unknown.allowed());
  ASSERT_EQ(rules(unknown.warnings), Strings{"emulation"});
  EXPECT_NE(unknown.warnings[0].message.find("exec format error"), std::string::npos);
}

TEST(PolicyEvaluate, Backends)
{
  Policy p = policy(R"({"backends": ["podman", "apple"]})");
  PolicyRequest r = request("alpine");
  r.backend = "docker";
  PolicyVerdict verdict = evaluate_policy(p, r);
  ASSERT_EQ(rules(verdict.violations), Strings{"backends"});
  EXPECT_EQ(verdict.violations[0].message,
            "backends (set by " + k_admin +
              ") allow podman, apple, not docker: use --backend podman");
  r.backend = "podman";
  EXPECT_TRUE(evaluate_policy(p, r).allowed());
  r.backend.clear(); // not resolved yet: not checked
  EXPECT_TRUE(evaluate_policy(p, r).allowed());
}

TEST(PolicyEvaluate, EveryViolationAtOnceEachWithItsFile)
{
  Policy p = merge_policies(
    {{PolicyLevel::admin,
      parse_policy(R"({"allowed_registries": ["ghcr.io/team"], "pull_only": true,
                       "require_digest": true, "emulation": "deny", "backends": ["podman"]})",
                   k_admin)},
     {PolicyLevel::project,
      parse_policy(R"({"require_lock": true, "platforms": ["linux/amd64"]})", k_project)}});
  PolicyRequest r = request("ghcr.io.evil.com/app:1", "build");
  r.platform = Platform::parse("linux/arm64");
  r.backend = "docker";
  r.emulator = EmulatorState::absent;
  PolicyVerdict verdict = evaluate_policy(p, r);
  EXPECT_EQ(rules(verdict.violations),
            (Strings{"pull_only", "backends", "allowed_registries", "require_digest",
                     "require_lock", "platforms", "emulation", "emulation"}));
  EXPECT_EQ(verdict.violations[0].file, k_admin);
  EXPECT_EQ(verdict.violations[4].file, k_project);
  EXPECT_EQ(verdict.violations[5].file, k_project);
  for (const auto& v : verdict.violations) {
    SCOPED_TRACE(v.message);
    EXPECT_NE(v.message.find(v.file), std::string::npos); // names the file
  }
}

TEST(PolicyLocalContent, DecidesByDigestOnly)
{
  Policy on = policy(R"({"pull_only": true})");
  ImageRef ref = ImageRef::parse("ghcr.io/team/app:1");
  Platform amd64 = Platform::parse("linux/amd64");
  EXPECT_EQ(check_local_content(on, ref, amd64, k_amd64, {{k_index, k_amd64}, false}).verdict,
            LocalContentVerdict::allowed);
  LocalContentCheck refused = check_local_content(on, ref, amd64, k_other, {{k_amd64}, true});
  EXPECT_EQ(refused.verdict, LocalContentVerdict::refused);
  EXPECT_EQ(refused.message,
            "pull_only (set by " + k_admin + "): the local image ghcr.io/team/app:1 (" +
              k_other.str() +
              ") is not content the registry serves for linux/amd64: it was built, imported, "
              "committed or retagged locally; remove it and pull ghcr.io/team/app:1 instead");
  LocalContentCheck offline = check_local_content(on, ref, amd64, k_other, {{k_amd64}, false});
  EXPECT_EQ(offline.verdict, LocalContentVerdict::undecidable);
  EXPECT_NE(offline.message.find("cannot tell offline"), std::string::npos);
  // Nothing known, registry answered: a local build is refused.
  EXPECT_EQ(check_local_content(on, ref, amd64, k_other, {{}, true}).verdict,
            LocalContentVerdict::refused);
  // pull_only off: any local image runs.
  EXPECT_EQ(check_local_content(Policy{}, ref, amd64, k_other, {{}, true}).verdict,
            LocalContentVerdict::allowed);
}

TEST(PolicyLocalContent, LockedDigestsOfTheEntryAndPlatform)
{
  LockFile lock = sample_lock();
  EXPECT_EQ(
    locked_digests(lock, ImageRef::parse("ghcr.io/team/app:1"), Platform::parse("linux/arm64")),
    (std::vector<Digest>{k_index, k_arm64}));
  EXPECT_EQ(locked_digests(lock, ImageRef::parse("ghcr.io/team/amd64only:1"),
                           Platform::parse("linux/amd64")),
            std::vector<Digest>{k_amd64});
  EXPECT_TRUE(locked_digests(lock, ImageRef::parse("ghcr.io/team/amd64only:1"),
                             Platform::parse("linux/arm64"))
                .empty());
  EXPECT_TRUE(
    locked_digests(lock, ImageRef::parse("ghcr.io/team/app:2"), Platform::parse("linux/amd64"))
      .empty());
}

} // namespace
} // namespace crun::core

namespace crun::core {
namespace {

TEST(PolicyEvaluate, PrivilegedFalseRefusesOnlyAPrivilegedRun)
{
  PolicyRequest privileged = request("ghcr.io/team/app:1");
  privileged.privileged = true;
  EXPECT_TRUE(evaluate_policy(Policy{}, privileged).allowed());
  EXPECT_TRUE(evaluate_policy(policy(R"({"privileged": true})"), privileged).allowed());
  EXPECT_TRUE(
    evaluate_policy(policy(R"({"privileged": false})"), request("ghcr.io/team/app:1")).allowed());
  auto verdict = evaluate_policy(policy(R"({"privileged": false})"), privileged);
  ASSERT_EQ(verdict.violations.size(), 1U);
  EXPECT_EQ(verdict.violations[0].rule, "privileged");
  EXPECT_EQ(verdict.violations[0].file, k_admin);
  EXPECT_EQ(verdict.violations[0].message,
            "privileged: false (set by " + k_admin +
              ") refuses --privileged: a privileged container has every capability and the "
              "host's devices; add the capabilities it needs with --cap-add instead");
}

} // namespace
} // namespace crun::core
