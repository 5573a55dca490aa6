// What `run` leaves behind, and what it says, when things go wrong around
// it: crun-any itself killed during `run --rm`, and a container the engine
// cannot prepare (a --user or --workdir the image cannot satisfy). The real
// binary against the bench's Docker and Podman (Apple's `container` removes
// through its own CLI: out of scope here).
#include "support/bench.hpp"
#include "support/bench_fixtures.hpp"
#include "support/process.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>
#include <regex>
#include <thread>

namespace {

using crun::test::ChildProcess;
using crun::test::Defer;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class RunHardening : public crun::test::EngineTest {
protected:
  void pull_small() const
  {
    auto r = crun({"pull", "-q", bench.image_small});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
  }

  // IDs of the containers, running or not, named exactly `name`.
  std::vector<std::string> containers_named(const std::string& name) const
  {
    return containers_filtered("name=^" + name + "$");
  }
};

bool has_full_id(const std::string& text)
{
  static const std::regex k_hex64("[0-9a-f]{64}");
  return std::regex_search(text, k_hex64);
}

TEST_P(RunHardening, RmContainerIsRemovedByTheEngineWhenCrunAnyIsKilled)
{
  pull_small();
  std::string name = crun::test::unique_name("rm-sigkill");
  Defer cleanup([&] { remove_container(name); });
  ChildProcess child;
  child.start(crun_argv(
    {"run", "--rm", "--name", name, bench.image_small, "sh", "-c", "echo started; sleep 20"}));
  ASSERT_TRUE(child.wait_for_output("started", std::chrono::seconds(60))) << child.err();
  ASSERT_EQ(containers_named(name).size(), 1u);

  // Nothing of crun-any runs any more: no removal, no signal handler.
  ASSERT_TRUE(child.send(SIGKILL));
  auto r = child.wait();
  EXPECT_EQ(r.exit_code, -1) << r.describe();

  // The container outlives crun-any, runs to its end, and the engine removes it.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  std::vector<std::string> left = containers_named(name);
  while (!left.empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    left = containers_named(name);
  }
  EXPECT_THAT(left, IsEmpty());
}

TEST_P(RunHardening, ExitCodesStandUnderRmWhenTheEngineRemovesTheContainerItself)
{
  // A container that exits at once may be gone before the exit code is
  // asked for (Podman removes it itself under --rm): the code is still the
  // container's, every time.
  pull_small();
  for (int i = 0; i < 5; ++i) {
    auto r = crun({"run", "--rm", bench.image_small, "sh", "-c", "exit 3"});
    EXPECT_EQ(r.exit_code, 3) << r.describe();
    EXPECT_EQ(r.err, "") << r.describe();
  }
}

TEST_P(RunHardening, AnUnknownUserFailsLikeDockersCliWithoutContainerIds)
{
  pull_small();
  std::string label = crun::test::unique_name("no-user");
  auto r = crun(
    {"run", "--rm", "-l", "crun-test=" + label, "--user", "nosuchuser", bench.image_small, "true"});
  EXPECT_EQ(r.exit_code, 125) << r.describe();
  EXPECT_THAT(r.err, HasSubstr("unable to find user nosuchuser"));
  EXPECT_FALSE(has_full_id(r.err)) << r.err;
  EXPECT_THAT(containers_labelled("crun-test", label), IsEmpty());
}

TEST_P(RunHardening, AWorkdirThatIsAFileFailsWithoutContainerIds)
{
  pull_small();
  std::string label = crun::test::unique_name("workdir-file");
  auto r = crun({"run", "--rm", "-l", "crun-test=" + label, "--workdir", "/etc/passwd",
                 bench.image_small, "true"});
  EXPECT_EQ(r.exit_code, 125) << r.describe();
  EXPECT_THAT(r.err, HasSubstr("/etc/passwd"));
  EXPECT_THAT(r.err, HasSubstr("not a directory"));
  EXPECT_FALSE(has_full_id(r.err)) << r.err;
  EXPECT_THAT(containers_labelled("crun-test", label), IsEmpty());
}

INSTANTIATE_TEST_SUITE_P(Engines, RunHardening, crun::test::bench_engines(),
                         crun::test::backend_name);

} // namespace
