// The team policy's rules as a user meets them, through the real binary
// against the bench's dockerd (and its Podman service where the engine is
// the point): refusals with their exit codes and the rule and file they
// name, what runs when a rule is satisfied, policy files that cannot be read
// stopping every command, and `policy show` / `policy check`. Each test has
// a working directory and a user config directory of its own
// (support/policy_files.hpp); the admin file and its checks are in
// policy_admin_test.cpp, pull_only's local-content check of `run` in
// policy_local_content_test.cpp.
#include "support/bench_fixtures.hpp"
#include "support/policy_files.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <csignal>
#include <filesystem>
#include <thread>

namespace crun::test {
namespace {

using json = nlohmann::json;
using ::testing::HasSubstr;

class PolicyRules : public BenchTest {
protected:
  // crun-any --backend <backend> --host <its bench socket> args..., from
  // world.work(), with the user config of world, no engine or policy
  // variable of the test's own environment, NO_COLOR=1, plus env.
  ProcessResult crun(std::vector<std::string> args, const std::vector<std::string>& env = {},
                     const std::string& backend = "docker") const
  {
    ProcessOptions options = world.options(env);
    options.env_unset.insert(options.env_unset.end(), k_engine_variables.begin(),
                             k_engine_variables.end());
    options.env_set.emplace_back("NO_COLOR=1");
    options.timeout = timeout;
    args.insert(args.begin(), {"--backend", backend, "--host",
                               backend == "docker" ? bench.docker_host : bench.podman_host});
    return run_crun_any(args, options);
  }

  // crun-any with no engine reachable: the engine variables point at
  // sockets that do not exist and no --backend or --host is given.
  ProcessResult crun_without_engine(const std::vector<std::string>& args,
                                    const std::vector<std::string>& env = {}) const
  {
    std::vector<std::string> all = {"DOCKER_HOST=unix:///nonexistent/docker.sock",
                                    "CONTAINER_HOST=unix:///nonexistent/podman.sock", "NO_COLOR=1"};
    all.insert(all.end(), env.begin(), env.end());
    ProcessOptions options = world.options(all);
    options.env_unset.insert(options.env_unset.end(), k_engine_variables.begin(),
                             k_engine_variables.end());
    return run_crun_any(args, options);
  }

  PolicyWorld world;
  std::chrono::seconds timeout{180}; // of each crun() call
};

TEST_F(PolicyRules, AllowedRegistriesRefuseBeforeAnyConnectionToTheRegistry)
{
  Listener listener;
  timeout = std::chrono::seconds(20); // a refusal is immediate; a client would wait on it
  const std::string image = listener.host() + "/acme/app:1";
  // "127.0.0.1" admits no 127.0.0.1:<port> (a port is part of the host).
  const std::string policy = world.write_override(
    "registries.json", R"({"allowed_registries": ["ghcr.io/acme", "127.0.0.1"]})");

  auto pulled = crun({"--policy", policy, "pull", image});
  EXPECT_TRUE(refused_by(pulled, 3, "allowed_registries", policy));
  EXPECT_THAT(pulled.err, HasSubstr(image));
  auto ran = crun({"--policy", policy, "run", "--rm", image, "true"});
  EXPECT_TRUE(refused_by(ran, 125, "allowed_registries", policy));
  auto locked = crun({"--policy", policy, "lock", image});
  EXPECT_TRUE(refused_by(locked, 3, "allowed_registries", policy));
  EXPECT_FALSE(std::filesystem::exists(world.lock_file()));
  auto checked = crun({"--policy", policy, "policy", "check", image});
  EXPECT_EQ(checked.exit_code, 3) << checked.describe();
  EXPECT_EQ(listener.connections(), 0) << "crun-any connected to the refused registry";

  // The listener does see a client that is not refused: without the policy,
  // the same pull connects (then it is stopped; the listener never answers).
  {
    ChildProcess unrefused;
    ProcessOptions options = world.options({"NO_COLOR=1"});
    options.env_unset.insert(options.env_unset.end(), k_engine_variables.begin(),
                             k_engine_variables.end());
    unrefused.start(
      {crun_any_bin(), "--backend", "docker", "--host", bench.docker_host, "pull", image}, options);
    for (int i = 0; i < 100 && listener.connections() == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_GT(listener.connections(), 0) << "without a policy, pull never reached the listener";
    unrefused.send(SIGKILL, true);
  }

  // An entry admits the names under it on a '/' boundary only.
  const std::string bench_only = world.write_override(
    "bench.json", json{{"allowed_registries", {bench.registry + "/bench"}}}.dump());
  auto admitted = crun({"--policy", bench_only, "pull", "-q", bench.image_small});
  EXPECT_EQ(admitted.exit_code, 0) << admitted.describe();
  auto sibling = crun({"--policy", bench_only, "pull", "-q", bench.registry + "/benchx/small:1"});
  EXPECT_TRUE(refused_by(sibling, 3, "allowed_registries", bench_only));
}

TEST_F(PolicyRules, RequireDigestRefusesABareTagUntilItIsLockedOrGivenByDigest)
{
  world.write_project(R"({"require_digest": true})");
  auto bare = crun({"run", "--rm", bench.image_small, "echo", "bare"});
  EXPECT_TRUE(refused_by(bare, 125, "require_digest", world.project_file()));
  EXPECT_THAT(bare.err, HasSubstr(bench.image_small));
  EXPECT_EQ(bare.out, "");
  EXPECT_TRUE(
    refused_by(crun({"pull", "-q", bench.image_small}), 3, "require_digest", world.project_file()));

  const std::string by_digest = bench.registry + "/bench/small@" + bench.digest_small;
  auto digest_run = crun({"run", "--rm", by_digest, "echo", "by-digest"});
  EXPECT_EQ(digest_run.exit_code, 0) << digest_run.describe();
  EXPECT_EQ(digest_run.out, "by-digest\n");

  // Locked (under the same policy, as a project would): the tag runs.
  auto locked = crun({"lock", bench.image_small});
  ASSERT_EQ(locked.exit_code, 0) << locked.describe();
  auto tag_run = crun({"run", "--rm", bench.image_small, "echo", "locked"});
  EXPECT_EQ(tag_run.exit_code, 0) << tag_run.describe();
  EXPECT_EQ(tag_run.out, "locked\n");
  // Another tag of the same repository is not locked.
  auto other = crun({"pull", "-q", bench.ref("bench/small", "not-locked")});
  EXPECT_TRUE(refused_by(other, 3, "require_digest", world.project_file()));
}

TEST_F(PolicyRules, RequireLockAcceptsOnlyLockedTagsAndTheDigestsTheyPin)
{
  world.write_project(R"({"require_lock": true})");
  const std::string by_digest = bench.registry + "/bench/small@" + bench.digest_small;
  auto unlocked = crun_without_engine({"policy", "check", bench.image_small});
  EXPECT_EQ(unlocked.exit_code, 3) << unlocked.describe();
  EXPECT_THAT(unlocked.out + unlocked.err, HasSubstr("require_lock"));
  EXPECT_THAT(unlocked.out + unlocked.err, HasSubstr(world.project_file()));
  EXPECT_EQ(crun_without_engine({"policy", "check", by_digest}).exit_code, 3);

  ASSERT_EQ(crun({"lock", bench.image_small}).exit_code, 0);
  auto tag = crun_without_engine({"policy", "check", bench.image_small});
  EXPECT_EQ(tag.exit_code, 0) << tag.describe();
  auto pinned = crun_without_engine({"policy", "check", by_digest});
  EXPECT_EQ(pinned.exit_code, 0) << pinned.describe();
  // A digest no locked tag of the repository pins.
  auto other = crun_without_engine(
    {"policy", "check", bench.registry + "/bench/small@" + bench.digest_multi_amd64});
  EXPECT_EQ(other.exit_code, 3) << other.describe();
  EXPECT_THAT(other.out + other.err, HasSubstr("require_lock"));
  // The same under run: refused before anything is created.
  auto ran = crun({"run", "--rm", bench.ref("bench/small", "not-locked"), "true"});
  EXPECT_TRUE(refused_by(ran, 125, "require_lock", world.project_file()));
}

TEST_F(PolicyRules, LockfileNamesTheLockAndNoFlagOrOtherFileCanSwapIt)
{
  // Relative to the directory of the file that names it.
  world.write_project(R"({"lockfile": "team.lock", "require_lock": true})");
  const std::string team = world.work() + "/team.lock";
  auto locked = crun({"lock", bench.image_small});
  ASSERT_EQ(locked.exit_code, 0) << locked.describe();
  EXPECT_TRUE(std::filesystem::exists(team)) << "lock did not write the policy's lockfile";
  EXPECT_FALSE(std::filesystem::exists(world.lock_file()));
  auto checked = crun_without_engine({"policy", "check", bench.image_small});
  EXPECT_EQ(checked.exit_code, 0) << checked.describe();
  auto ran = crun({"run", "--rm", bench.image_small, "echo", "team-lock"});
  EXPECT_EQ(ran.exit_code, 0) << ran.describe();
  EXPECT_EQ(ran.out, "team-lock\n");

  // Another lock by flag or variable: refused, naming the rule and the file.
  const std::string mine = world.file("mine.lock");
  write_file(mine, "{\n  \"images\": {},\n  \"version\": 1\n}\n");
  auto by_flag = crun({"--lockfile", mine, "pull", "-q", bench.image_small});
  EXPECT_EQ(by_flag.exit_code, 3) << by_flag.describe();
  EXPECT_THAT(by_flag.err, HasSubstr("lockfile"));
  EXPECT_THAT(by_flag.err, HasSubstr(world.project_file()));
  auto by_variable =
    crun({"run", "--rm", bench.image_small, "true"}, {"CRUN_ANY_LOCKFILE=" + mine});
  EXPECT_EQ(by_variable.exit_code, 125) << by_variable.describe();
  EXPECT_THAT(by_variable.err, HasSubstr("lockfile"));
  EXPECT_THAT(by_variable.err, HasSubstr(world.project_file()));

  // A later policy file naming another lock: a contradiction naming both.
  const std::string other =
    world.write_override("other-lock.json", json{{"lockfile", mine}}.dump());
  auto contradiction = crun({"--policy", other, "version"});
  EXPECT_EQ(contradiction.exit_code, 3) << contradiction.describe();
  EXPECT_THAT(contradiction.err, HasSubstr(other));
  EXPECT_THAT(contradiction.err, HasSubstr(world.project_file()));
}

TEST_F(PolicyRules, PlatformsRefuseOtherPlatformsAndAContradictionNamesBothFiles)
{
  world.write_project(R"({"platforms": ["linux/amd64"]})");
  auto arm = crun({"run", "--rm", "--platform", "linux/arm64", bench.image_multi, "uname", "-m"});
  EXPECT_TRUE(refused_by(arm, 125, "platforms", world.project_file()));
  EXPECT_EQ(arm.out, "");
  auto check_arm =
    crun_without_engine({"policy", "check", "--platform", "linux/arm64", bench.image_multi});
  EXPECT_EQ(check_arm.exit_code, 3) << check_arm.describe();
  auto check_amd =
    crun_without_engine({"policy", "check", "--platform", "linux/amd64", bench.image_multi});
  EXPECT_EQ(check_amd.exit_code, 0) << check_amd.describe();

  // A required platform outside the project's platforms: no policy at all.
  const std::string arm_only = world.write_override("arm.json", R"({"platform": "linux/arm64"})");
  auto contradiction = crun({"--policy", arm_only, "version"});
  EXPECT_EQ(contradiction.exit_code, 3) << contradiction.describe();
  EXPECT_THAT(contradiction.err, HasSubstr(arm_only));
  EXPECT_THAT(contradiction.err, HasSubstr(world.project_file()));
}

TEST_F(PolicyRules, EmulationDenyRefusesAnArm64ImageAndWarnRunsItWithOneWarning)
{
  world.write_project(R"({"emulation": "deny"})");
  auto denied =
    crun({"run", "--rm", "--platform", "linux/arm64", bench.image_multi, "uname", "-m"});
  EXPECT_TRUE(refused_by(denied, 125, "emulation", world.project_file()));
  EXPECT_EQ(denied.out, "");
  std::filesystem::remove(world.project_file());

  const std::string warn = world.write_override("warn.json", R"({"emulation": "warn"})");
  auto warned = crun({"--policy", warn, "run", "--rm", "--platform", "linux/arm64",
                      bench.image_multi, "uname", "-m"});
  EXPECT_EQ(warned.exit_code, 0) << warned.describe();
  EXPECT_EQ(warned.out, "aarch64\n");
  auto warnings = lines_with(warned.err, "emulat");
  ASSERT_EQ(warnings.size(), 1u) << warned.err;
  EXPECT_THAT(warnings[0], HasSubstr("crun-any: warning: "));
  EXPECT_THAT(warnings[0], HasSubstr("linux/arm64"));

  // emulation allow (the default): the same run, no warning about it.
  auto allowed =
    crun({"run", "--rm", "--platform", "linux/arm64", bench.image_multi, "uname", "-m"});
  EXPECT_EQ(allowed.exit_code, 0) << allowed.describe();
  EXPECT_EQ(allowed.out, "aarch64\n");
  EXPECT_THAT(lines_with(allowed.err, "emulat"), ::testing::IsEmpty()) << allowed.err;
}

TEST_F(PolicyRules, AMissingEmulatorIsRefusedBeforeThePullAndTheRealOneRuns)
{
  if (real_admin_policy_exists()) {
    GTEST_SKIP() << "/etc/crun-any/policy.json exists: CRUN_ANY_TEST_ROOT is ignored then";
  }
  // A tag of our own (bench/multi:1's index): absent from the engine before.
  const std::string tag = unique_name("emu");
  const std::string ref = bench.ref("bench/multi", tag);
  ASSERT_FALSE(copy_registry_tag("bench/multi", "1", tag).empty());
  Defer cleanup([&] { run_docker({"rmi", "-f", ref}); });
  SeamRoot seam;
  seam.binfmt_without_emulators();

  auto refused =
    crun({"run", "--rm", "--platform", "linux/arm64", ref, "uname", "-m"}, {seam.env()});
  EXPECT_EQ(refused.exit_code, 125) << refused.describe();
  EXPECT_THAT(refused.err, HasSubstr("linux/arm64"));
  EXPECT_THAT(refused.err, HasSubstr("emulator"));
  EXPECT_THAT(refused.err, HasSubstr("tonistiigi/binfmt"));
  EXPECT_EQ(refused.out, "");
  auto absent = run_docker({"image", "inspect", ref});
  EXPECT_NE(absent.exit_code, 0) << "the refused run pulled " << ref;

  // The machine's own binfmt_misc has qemu-aarch64: the same run works.
  auto ran = crun({"run", "--rm", "--platform", "linux/arm64", ref, "uname", "-m"});
  EXPECT_EQ(ran.exit_code, 0) << ran.describe();
  EXPECT_EQ(ran.out, "aarch64\n");
}

TEST_F(PolicyRules, BackendsRefuseAnEngineOutsideTheList)
{
  world.write_project(R"({"backends": ["podman"]})");
  auto docker = crun({"pull", "-q", bench.image_small});
  EXPECT_TRUE(refused_by(docker, 3, "backends", world.project_file()));
  EXPECT_THAT(docker.err, HasSubstr("docker"));
  auto docker_run = crun({"run", "--rm", bench.image_small, "true"});
  EXPECT_TRUE(refused_by(docker_run, 125, "backends", world.project_file()));
  auto podman = crun({"pull", "-q", bench.image_small}, {}, "podman");
  EXPECT_EQ(podman.exit_code, 0) << podman.describe();
}

TEST_F(PolicyRules, PullOnlyRefusesEveryBuildTypeVerbNamingTheFile)
{
  const std::string policy = world.write_override("pull-only.json", R"({"pull_only": true})");
  const std::vector<std::vector<std::string>> verbs = {
    {"build", "."},          {"buildx", "build", "."},        {"builder", "prune"},
    {"commit", "c", "i:1"},  {"import", "rootfs.tar"},        {"load", "-i", "image.tar"},
    {"image", "build", "."}, {"artifact", "add", "a:1", "f"}, {"clean"}};
  for (const auto& verb : verbs) {
    SCOPED_TRACE(verb.front());
    std::vector<std::string> args = {"--policy", policy};
    args.insert(args.end(), verb.begin(), verb.end());
    auto r = crun(args);
    EXPECT_EQ(r.exit_code, 3) << r.describe();
    EXPECT_THAT(r.err, HasSubstr("pull_only"));
    EXPECT_THAT(r.err, HasSubstr(policy));
  }
  // With no policy at all, the classic build verbs are still refused.
  for (const std::string verb : {"build", "buildx", "builder", "commit", "import", "load"}) {
    SCOPED_TRACE(verb);
    auto r = crun({verb, "."});
    EXPECT_EQ(r.exit_code, 3) << r.describe();
    EXPECT_THAT(r.err, HasSubstr("refused"));
  }
}

struct BrokenFile {
  std::string name;
  std::string text;       // the file's content (none for a directory)
  std::string expected;   // what stderr says after the file's name: ":2:" gives the line
  bool directory = false; // a directory where the file should be: unreadable
};

TEST_F(PolicyRules, APolicyThatCannotBeReadStopsEveryCommand)
{
  const std::vector<BrokenFile> broken = {
    {"bad-json", "{\n  \"pull_only\": tru\n}\n", ":2:"},
    {"unknown-key", R"({"pull-only": true})", ": [\"pull-only\"]: unknown key"},
    {"twice", R"({"pull_only": true, "pull_only": false})", ": pull_only"},
    {"empty-list", R"({"allowed_registries": []})", ": allowed_registries"},
    {"unreadable", "", "", true},
  };
  const std::vector<std::vector<std::string>> commands = {
    {"version"},
    {"doctor"},
    {"pull", "-q", bench.image_small},
    {"run", "--rm", bench.image_small, "echo", "ran"},
    {"inspect", bench.image_small},
    {"lock", bench.image_small},
    {"verify", bench.image_small},
    {"policy", "show"},
  };
  struct Source {
    std::string name;
    bool project = false; // the file is the project's .crun-any.json
  };
  for (const auto& file : broken) {
    const std::string path = world.file(file.name + ".json");
    if (file.directory) {
      std::filesystem::create_directories(path);
    } else {
      write_file(path, file.text);
    }
    // The same file as each kind of source: --policy, CRUN_ANY_POLICY and
    // the project's .crun-any.json (a directory only as the first two).
    std::vector<Source> sources = {{"--policy"}, {"CRUN_ANY_POLICY"}};
    if (!file.directory) {
      sources.push_back({"project", true});
    }
    for (const auto& source : sources) {
      std::vector<std::string> flags, env;
      std::string named = path;
      if (source.name == "--policy") {
        flags = {"--policy", path};
      } else if (source.name == "CRUN_ANY_POLICY") {
        env = {"CRUN_ANY_POLICY=" + path};
      } else {
        write_file(world.project_file(), file.text);
        named = world.project_file();
      }
      for (const auto& command : commands) {
        SCOPED_TRACE(file.name + " as " + source.name + ": " + command.front());
        std::vector<std::string> args = flags;
        args.insert(args.end(), command.begin(), command.end());
        auto r = crun(args, env);
        EXPECT_EQ(r.exit_code, command.front() == "run" ? 125 : 3) << r.describe();
        EXPECT_THAT(r.err, HasSubstr(named + file.expected));
        EXPECT_EQ(r.out, "");
      }
      std::filesystem::remove(world.project_file());
    }
    std::filesystem::remove_all(path);
  }
  EXPECT_FALSE(std::filesystem::exists(world.lock_file())) << "lock wrote a lock file";

  // The user config: a bad policy member stops every command too.
  write_file(world.user_config(), R"({"policy": {"emulation": "sometimes"}})");
  for (const auto& command : commands) {
    SCOPED_TRACE("user config: " + command.front());
    auto r = crun(command);
    EXPECT_EQ(r.exit_code, command.front() == "run" ? 125 : 3) << r.describe();
    EXPECT_THAT(r.err, HasSubstr(world.user_config()));
    EXPECT_THAT(r.err, HasSubstr("emulation"));
  }
}

TEST_F(PolicyRules, ShowGivesEachValueWithTheFilesItCameFrom)
{
  world.write_project(R"({"allowed_registries": ["ghcr.io", "quay.io"]})");
  world.write_user(R"({"emulation": "warn"})");
  const std::string flag = world.write_override(
    "flag.json", R"({"allowed_registries": ["ghcr.io/acme"], "require_digest": true})");
  const std::string variable =
    world.write_override("variable.json", R"({"platforms": ["linux/amd64", "linux/arm64"]})");
  const std::vector<std::string> env = {"CRUN_ANY_POLICY=" + variable};

  auto shown = crun_without_engine({"--policy", flag, "policy", "show", "--json"}, env);
  ASSERT_EQ(shown.exit_code, 0) << shown.describe();
  json doc = json::parse(shown.out, nullptr, false);
  ASSERT_FALSE(doc.is_discarded()) << shown.out;

  std::vector<std::pair<std::string, std::string>> files;
  for (const auto& file : doc.at("files")) {
    files.emplace_back(file.at("level"), file.at("path"));
  }
  const std::vector<std::pair<std::string, std::string>> expected_files = {
    {"project", world.project_file()},
    {"user", world.user_config()},
    {"override", flag},
    {"override", variable}};
  EXPECT_EQ(files, expected_files) << shown.out;

  const json& policy = doc.at("policy");
  EXPECT_EQ(policy.at("allowed_registries").at("value"), json({"ghcr.io/acme"}));
  EXPECT_THAT(policy.at("allowed_registries").at("sources").get<std::vector<std::string>>(),
              ::testing::Contains(flag));
  EXPECT_EQ(policy.at("emulation").at("value"), "warn");
  EXPECT_EQ(policy.at("emulation").at("sources"), json({world.user_config()}));
  EXPECT_EQ(policy.at("require_digest").at("value"), true);
  EXPECT_EQ(policy.at("require_digest").at("sources"), json({flag}));
  EXPECT_EQ(policy.at("platforms").at("value"), json({"linux/amd64", "linux/arm64"}));
  EXPECT_EQ(policy.at("platforms").at("sources"), json({variable}));
  EXPECT_FALSE(policy.contains("pull_only")) << "a rule no file sets is shown set";

  auto text = crun_without_engine({"--policy", flag, "policy", "show"}, env);
  ASSERT_EQ(text.exit_code, 0) << text.describe();
  for (const std::string& needle : {world.project_file(), world.user_config(), flag, variable,
                                    std::string("ghcr.io/acme"), std::string("emulation")}) {
    EXPECT_THAT(text.out, HasSubstr(needle));
  }
}

TEST_F(PolicyRules, CheckListsEveryViolationOfEachImageWithoutEngineOrRegistry)
{
  Listener listener;
  ASSERT_EQ(crun({"lock", bench.image_small}).exit_code, 0); // ./crun-any.lock
  const std::string policy = world.write_override(
    "check.json", json{{"allowed_registries", {bench.registry + "/bench", listener.host()}},
                       {"require_digest", true},
                       {"platforms", {"linux/amd64"}}}
                    .dump());
  const std::string by_digest = bench.registry + "/bench/multi@" + bench.digest_multi;
  const std::string evil = "ghcr.io.evil.com/acme/app:1";
  const std::string unlocked = listener.host() + "/bench/app:2";

  auto allowed = crun_without_engine({"--policy", policy, "policy", "check", "--platform",
                                      "linux/amd64", bench.image_small, by_digest});
  EXPECT_EQ(allowed.exit_code, 0) << allowed.describe();

  auto mixed = crun_without_engine({"--policy", policy, "policy", "check", "--platform",
                                    "linux/amd64", bench.image_small, evil, unlocked});
  EXPECT_EQ(mixed.exit_code, 3) << mixed.describe();
  const std::string all = mixed.out + mixed.err;
  // evil breaks two rules (registry and digest), unlocked one: each listed.
  for (const std::string& needle :
       {evil, unlocked, std::string("allowed_registries (set by ") + policy,
        std::string("require_digest (set by ") + policy}) {
    EXPECT_THAT(all, HasSubstr(needle));
  }
  EXPECT_GE(lines_with(all, "require_digest (set by").size(), 2u) << all;

  auto arm = crun_without_engine(
    {"--policy", policy, "policy", "check", "--platform", "linux/arm64", by_digest});
  EXPECT_EQ(arm.exit_code, 3) << arm.describe();
  EXPECT_THAT(arm.out + arm.err, HasSubstr("platforms"));

  auto as_json = crun_without_engine({"--policy", policy, "policy", "check", "--json", "--platform",
                                      "linux/amd64", bench.image_small, evil});
  EXPECT_EQ(as_json.exit_code, 3) << as_json.describe();
  json doc = json::parse(as_json.out, nullptr, false);
  ASSERT_FALSE(doc.is_discarded()) << as_json.out;
  EXPECT_THAT(as_json.out, HasSubstr(evil));
  EXPECT_THAT(as_json.out, HasSubstr("allowed_registries"));

  EXPECT_EQ(listener.connections(), 0) << "policy check connected to a registry";
}

} // namespace
} // namespace crun::test
