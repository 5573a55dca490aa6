// pull_only's check of `run`, on Docker and on Podman: an image whose local
// content no registry served for its name (imported, committed, or another
// image tagged under the name) is refused under pull_only and runs without
// it; what crun-any pulled from the registry runs under pull_only. Each test
// uses a tag of its own in the bench registry's bench/small repository: the
// registry serves bench/small:1's manifest for it (copied there first), so
// the registry does hold a digest for the name, just not the local one. The
// engine's own CLI makes the local images, as a developer would.
#include "support/bench_fixtures.hpp"
#include "support/policy_files.hpp"
#include "support/temp_dir.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

namespace crun::test {
namespace {

using ::testing::HasSubstr;

class PolicyLocalContent : public EngineTest {
protected:
  void SetUp() override
  {
    EngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) {
      return;
    }
    tag = unique_name("local");
    ref = bench.ref("bench/small", tag);
    ASSERT_FALSE(copy_registry_tag("bench/small", "1", tag).empty());
    policy = world.write_override("pull-only.json", R"({"pull_only": true})");
  }

  void TearDown() override
  {
    for (const auto& name : containers) {
      remove_container(name);
    }
    if (!ref.empty()) {
      engine_cli({"rmi", "-f", ref});
    }
    EngineTest::TearDown();
  }

  // crun-any from world.work() with its (empty) user config.
  ProcessResult in_world(std::vector<std::string> args) const
  {
    return crun(std::move(args), world.options());
  }
  // The same under the pull_only policy (--policy).
  ProcessResult pull_only(std::vector<std::string> args) const
  {
    args.insert(args.begin(), {"--policy", policy});
    return in_world(std::move(args));
  }

  // Under pull_only, `ref` with `command` is refused (exit 125, naming
  // pull_only and the policy file, nothing run); without it, it prints `out`.
  void expect_refused_then_runs(const std::vector<std::string>& command,
                                const std::string& out) const
  {
    std::vector<std::string> args = {"run", "--rm", ref};
    args.insert(args.end(), command.begin(), command.end());
    auto refused = pull_only(args);
    EXPECT_TRUE(refused_by(refused, 125, "pull_only", policy));
    EXPECT_THAT(refused.err, HasSubstr(ref));
    EXPECT_EQ(refused.out, "");
    auto ran = in_world(args);
    EXPECT_EQ(ran.exit_code, 0) << ran.describe();
    EXPECT_EQ(ran.out, out);
  }

  PolicyWorld world;
  std::string tag, ref, policy;
  std::vector<std::string> containers;
};

TEST_P(PolicyLocalContent, ARegistryImagePulledByCrunAnyRuns)
{
  auto pulled = pull_only({"pull", "-q", ref});
  ASSERT_EQ(pulled.exit_code, 0) << pulled.describe();
  auto ran = pull_only({"run", "--rm", ref, "echo", "from-the-registry"});
  EXPECT_EQ(ran.exit_code, 0) << ran.describe();
  EXPECT_EQ(ran.out, "from-the-registry\n");
  EXPECT_THAT(ran.err, ::testing::Not(HasSubstr("pull_only")));
  // A run that pulls the image itself (absent before) also runs.
  engine_cli({"rmi", "-f", ref});
  auto fresh = pull_only({"run", "--rm", ref, "echo", "pulled-by-run"});
  EXPECT_EQ(fresh.exit_code, 0) << fresh.describe();
  EXPECT_EQ(fresh.out, "pulled-by-run\n");
}

TEST_P(PolicyLocalContent, AnImportedImageUnderTheRegistryNameIsRefused)
{
  TempDir dir{"crun-import"};
  const std::string root = dir.sub("rootfs");
  std::filesystem::create_directories(root + "/bin");
  std::filesystem::copy_file("/bin/busybox", root + "/bin/busybox");
  write_file(root + "/imported", "imported here\n");
  const std::string tar = dir.path() + "/rootfs.tar";
  auto tarred = run_process({"tar", "-C", root, "-cf", tar, "."});
  ASSERT_EQ(tarred.exit_code, 0) << tarred.describe();
  auto imported = engine_cli({"import", tar, ref});
  ASSERT_EQ(imported.exit_code, 0) << imported.describe();

  expect_refused_then_runs({"/bin/busybox", "cat", "/imported"}, "imported here\n");
}

TEST_P(PolicyLocalContent, ACommittedContainerUnderTheRegistryNameIsRefused)
{
  auto pulled = in_world({"pull", "-q", bench.image_small});
  ASSERT_EQ(pulled.exit_code, 0) << pulled.describe();
  const std::string name = unique_name("commit");
  containers.push_back(name);
  auto made =
    in_world({"run", "--name", name, bench.image_small, "sh", "-c", "echo committed > /here"});
  ASSERT_EQ(made.exit_code, 0) << made.describe();
  auto committed = engine_cli({"commit", name, ref});
  ASSERT_EQ(committed.exit_code, 0) << committed.describe();

  expect_refused_then_runs({"cat", "/here"}, "committed\n");
}

TEST_P(PolicyLocalContent, AnotherImageTaggedUnderTheRegistryNameIsRefused)
{
  // bench/multi's amd64 image: another registry image, but not this name's
  // (by digest: another test may have the multi tag on arm64 right now).
  const std::string other = bench.registry + "/bench/multi@" + bench.digest_multi_amd64;
  auto pulled = in_world({"pull", "-q", other});
  ASSERT_EQ(pulled.exit_code, 0) << pulled.describe();
  auto tagged = engine_cli({"tag", other, ref});
  ASSERT_EQ(tagged.exit_code, 0) << tagged.describe();

  expect_refused_then_runs({"cat", "/etc/bench-arch"}, "amd64\n");

  // Pulled again by crun-any, the name holds the registry's content: it runs.
  auto repulled = pull_only({"pull", "-q", ref});
  ASSERT_EQ(repulled.exit_code, 0) << repulled.describe();
  auto ran = pull_only({"run", "--rm", ref, "echo", "registry-content"});
  EXPECT_EQ(ran.exit_code, 0) << ran.describe();
  EXPECT_EQ(ran.out, "registry-content\n");

  // Having pulled the name once proves nothing about what it names later:
  // retagged again, it is refused again.
  ASSERT_EQ(engine_cli({"tag", other, ref}).exit_code, 0);
  auto again = pull_only({"run", "--rm", ref, "cat", "/etc/bench-arch"});
  EXPECT_TRUE(refused_by(again, 125, "pull_only", policy));
  EXPECT_EQ(again.out, "");
}

INSTANTIATE_TEST_SUITE_P(Policy, PolicyLocalContent, bench_engines(), backend_name);

} // namespace
} // namespace crun::test
