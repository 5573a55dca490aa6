// parse_policy: what each key reads into, with its source, and every
// malformed file with the exact message (file:line:column for bad JSON, the
// JSON path for schema errors). A policy fails closed: nothing is skipped.
#include <crun/core/error.hpp>
#include <crun/core/exit_codes.hpp>
#include <crun/core/policy.hpp>

#include <gtest/gtest.h>

#include <string>

namespace crun::core {
namespace {

const std::string k_file = "/etc/crun-any/policy.json";

std::string message_of(std::string_view text, PolicyText part = PolicyText::whole_file)
{
  try {
    parse_policy(text, k_file, part);
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), Errc::policy_invalid);
    EXPECT_EQ(exit_code_for(error.code(), CommandKind::other), 3);
    EXPECT_EQ(exit_code_for(error.code(), CommandKind::run), 125);
    return error.message();
  }
  ADD_FAILURE() << "parsed: " << text;
  return {};
}

TEST(PolicyParse, ReadsEveryKeyWithItsSource)
{
  Policy policy = parse_policy(R"({
    "allowed_registries": ["ghcr.io/team", "docker.io", "ghcr.io/team"],
    "require_digest": true,
    "pull_only": true,
    "blocked_verbs": ["build", "artifact add"],
    "platform": "linux/arm64",
    "platforms": ["linux/amd64", "linux/aarch64"],
    "emulation": "warn",
    "backends": ["docker", "podman"],
    "lockfile": "ci/crun-any.lock",
    "require_lock": false
  })",
                               k_file);
  const std::vector<std::string> src = {k_file};
  EXPECT_EQ(policy.file, k_file);
  ASSERT_TRUE(policy.allowed_registries);
  ASSERT_EQ(policy.allowed_registries->value.size(), 2U); // the duplicate dropped
  EXPECT_EQ(policy.allowed_registries->value[0].str(), "ghcr.io/team");
  EXPECT_EQ(policy.allowed_registries->value[1].str(), "docker.io");
  EXPECT_EQ(policy.allowed_registries->sources, src);
  EXPECT_EQ(policy.require_digest, (Sourced<bool>{true, src}));
  EXPECT_EQ(policy.pull_only, (Sourced<bool>{true, src}));
  EXPECT_EQ(policy.blocked_verbs,
            (Sourced<std::vector<VerbPath>>{{{"build"}, {"artifact", "add"}}, src}));
  EXPECT_EQ(policy.platform, (Sourced<Platform>{Platform::parse("linux/arm64"), src}));
  ASSERT_TRUE(policy.platforms);
  EXPECT_EQ(policy.platforms->value[1].str(), "linux/arm64"); // normalised
  EXPECT_EQ(policy.emulation, (Sourced<EmulationMode>{EmulationMode::warn, src}));
  EXPECT_EQ(policy.backends, (Sourced<std::vector<std::string>>{{"docker", "podman"}, src}));
  EXPECT_EQ(policy.lockfile, (Sourced<std::string>{"ci/crun-any.lock", src}));
  EXPECT_EQ(policy.require_lock, (Sourced<bool>{false, src}));
}

TEST(PolicyParse, AnEmptyObjectConstrainsNothing)
{
  Policy policy = parse_policy("{}", k_file);
  Policy expected;
  expected.file = k_file;
  EXPECT_EQ(policy, expected);
}

TEST(PolicyParse, UserConfigKeepsThePolicyUnderItsPolicyMember)
{
  Policy none = parse_policy(R"({"backend": "podman"})", "config.json", PolicyText::policy_member);
  EXPECT_FALSE(none.pull_only);
  Policy some = parse_policy(R"({"backend": "podman", "policy": {"pull_only": true}})",
                             "config.json", PolicyText::policy_member);
  ASSERT_TRUE(some.pull_only);
  EXPECT_TRUE(some.pull_only->value);
  EXPECT_EQ(message_of(R"({"policy": {"pull-only": true}})", PolicyText::policy_member),
            k_file + ": policy[\"pull-only\"]: unknown key (known: allowed_registries, backends, "
                     "blocked_verbs, emulation, lockfile, platform, platforms, privileged, "
                     "pull_only, require_digest, require_lock)");
  EXPECT_EQ(message_of(R"({"policy": []})", PolicyText::policy_member),
            k_file + ": policy: must be an object, not array");
  EXPECT_EQ(message_of("[]", PolicyText::policy_member),
            k_file + ": (top level): must be an object, not array");
}

TEST(PolicyParse, EveryMalformedFileNamesFileAndPosition)
{
  const struct {
    std::string text;
    std::string message;
  } rows[] = {
    {"", ":1:1: not valid JSON: syntax error while parsing value - unexpected end of input; "
         "expected '[', '{', or a literal"},
    {"{\n  \"pull_only\": true,\n  \"require_digest\": tru\n}",
     ":3:24: not valid JSON: syntax error while parsing value - invalid literal; last read: "
     "'\"require_digest\": tru<U+000A>'"},
    {"{\"pull_only\": true,}", ":1:20: not valid JSON: syntax error while parsing object key - "
                               "unexpected '}'; expected string literal"},
    {R"({"pull_only": true, "pull_only": false})",
     ": pull_only: the key appears twice in one object"},
    {"[]", ": (top level): must be an object, not array"},
    {R"({"pull-only": true})",
     ": [\"pull-only\"]: unknown key (known: allowed_registries, backends, blocked_verbs, "
     "emulation, lockfile, platform, platforms, privileged, pull_only, require_digest, "
     "require_lock)"},
    {R"({"pull_only": "yes"})", ": pull_only: must be true or false, not string"},
    {R"({"require_digest": 1})", ": require_digest: must be true or false, not number"},
    {R"({"require_lock": null})", ": require_lock: must be true or false, not null"},
    {R"({"privileged": "no"})", ": privileged: must be true or false, not string"},
    {R"({"allowed_registries": "ghcr.io"})", ": allowed_registries: must be a list, not string"},
    {R"({"allowed_registries": []})",
     ": allowed_registries: an empty list allows nothing; leave the key out to allow any"},
    {R"({"allowed_registries": ["ghcr.io", ""]})", ": allowed_registries[1]: must not be empty"},
    {R"({"allowed_registries": [3]})", ": allowed_registries[0]: must be a string, not number"},
    {R"({"allowed_registries": ["ghcr.io/"]})",
     ": allowed_registries[0]: invalid registry prefix \"ghcr.io/\": an empty name component (a "
     "trailing or doubled \"/\")"},
    {R"({"allowed_registries": ["https://ghcr.io"]})",
     ": allowed_registries[0]: invalid registry prefix \"https://ghcr.io\": a registry is named "
     "without a scheme: ghcr.io"},
    {R"({"allowed_registries": ["ghcr.io/*"]})",
     ": allowed_registries[0]: invalid registry prefix \"ghcr.io/*\": no wildcards: a prefix "
     "admits every name under it on whole components"},
    {R"({"allowed_registries": ["library"]})",
     ": allowed_registries[0]: invalid registry prefix \"library\": \"library\" is no registry "
     "host (one has a \".\" or \":\", or is localhost); for Docker Hub write docker.io/library"},
    {R"({"platform": "linux/amd64/v2/x"})", ": platform: invalid platform \"linux/amd64/v2/x\": "
                                            "too many components, expected os/arch[/variant]"},
    {R"({"platform": ["linux/amd64"]})", ": platform: must be a string, not array"},
    {R"({"platforms": []})",
     ": platforms: an empty list allows nothing; leave the key out to allow any"},
    {R"({"platforms": ["linux/amd64", "linux//x"]})",
     ": platforms[1]: invalid platform \"linux//x\": empty architecture"},
    {R"({"platform": "linux/arm64", "platforms": ["linux/amd64"]})",
     ": platform: linux/arm64 is not among platforms (linux/amd64) of the same file"},
    {R"({"emulation": "maybe"})",
     ": emulation: must be \"allow\", \"warn\" or \"deny\", not \"maybe\""},
    {R"({"emulation": true})", ": emulation: must be a string, not boolean"},
    {R"({"backends": ["docker", "nerdctl"]})",
     ": backends[1]: \"nerdctl\" is no backend (known: docker, podman, apple)"},
    {R"({"backends": []})",
     ": backends: an empty list allows nothing; leave the key out to allow any"},
    {R"({"blocked_verbs": ["artifact  add"]})",
     ": blocked_verbs[0]: \"artifact  add\" is no verb path: words of [a-z0-9-] separated by "
     "one space, as \"artifact add\""},
    {R"({"blocked_verbs": ["Build"]})",
     ": blocked_verbs[0]: \"Build\" is no verb path: words of [a-z0-9-] separated by one "
     "space, as \"artifact add\""},
    {R"({"lockfile": ""})", ": lockfile: must not be empty"},
    {R"({"lockfile": 1})", ": lockfile: must be a string, not number"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.text);
    EXPECT_EQ(message_of(row.text), k_file + row.message);
  }
}

TEST(PolicyParse, AnEmptyBlockedVerbListIsAllowed)
{
  // Only an admin's list replaces the default (policy_merge.hpp); an empty
  // one is that admin's choice to refuse no verb.
  Policy policy = parse_policy(R"({"blocked_verbs": []})", k_file);
  ASSERT_TRUE(policy.blocked_verbs);
  EXPECT_TRUE(policy.blocked_verbs->value.empty());
}

TEST(PolicyParse, DefaultBlockedVerbsCoverEveryEngine)
{
  const auto& verbs = default_blocked_verbs();
  for (const VerbPath& verb : std::vector<VerbPath>{{"build"},
                                                    {"buildx"},
                                                    {"builder"},
                                                    {"commit"},
                                                    {"import"},
                                                    {"load"},
                                                    {"image", "build"},
                                                    {"image", "load"},
                                                    {"artifact", "add"},
                                                    {"clean"}}) {
    SCOPED_TRACE(verb_path_str(verb));
    EXPECT_NE(std::find(verbs.begin(), verbs.end(), verb), verbs.end());
  }
}

TEST(PolicySources, DescribesOneOrMoreFiles)
{
  EXPECT_EQ(describe_sources({}), "(built in)");
  EXPECT_EQ(describe_sources({"a"}), "a");
  EXPECT_EQ(describe_sources({"a", "b"}), "a and b");
  EXPECT_EQ(describe_sources({"a", "b", "c"}), "a, b and c");
}

// Found by fuzzing the lock's parser, which shares parse_json_text: a number
// too big for a double was nlohmann's out_of_range, no crun::Error.
TEST(PolicyParse, ANumberTooBigForADoubleIsInvalid)
{
  EXPECT_EQ(message_of(R"({"require_digest": 1e999})"),
            k_file + ": not valid JSON: number overflow parsing '1e999'");
  EXPECT_EQ(message_of(R"({"policy": -1e400})", PolicyText::policy_member),
            k_file + ": not valid JSON: number overflow parsing '-1e400'");
}

} // namespace
} // namespace crun::core

namespace crun::core {
namespace {

TEST(PolicyParse, PrivilegedIsABoolWithItsSource)
{
  Policy off = parse_policy(R"({"privileged": false})", "team.json");
  EXPECT_EQ(off.privileged, (Sourced<bool>{false, {"team.json"}}));
  EXPECT_EQ(parse_policy(R"({"privileged": true})", "team.json").privileged,
            (Sourced<bool>{true, {"team.json"}}));
  EXPECT_EQ(parse_policy("{}", "team.json").privileged, std::nullopt);
}

} // namespace
} // namespace crun::core
