// contrib/make/Makefile as a user runs it: `make build` in a working tree
// owned by an ordinary user (not root), with crun-any reaching the bench's
// engine through a socket that user may open. The file the containerised
// step writes must belong to that user, which is what its
// `-u "$(id -u):$(id -g)"` is for (a root-owned file in the tree is the
// classic bind-mount annoyance).
#include "support/bench.hpp"
#include "support/bench_fixtures.hpp"
#include "support/make_as_user.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace {

using crun::test::MakeAsUser;
using crun::test::ProcessResult;
using crun::test::TempDir;

class ContribMakefile : public crun::test::EngineTest {};

TEST_P(ContribMakefile, BuildStepWritesFilesOwnedByTheCallingUser)
{
  if (::geteuid() != 0) {
    GTEST_SKIP() << "needs root to run make as another user (setpriv)";
  }
  // Pulled first (as root, the test's own identity) so that the step's run
  // only starts it.
  ProcessResult pulled = crun({"pull", "-q", bench.image_small});
  ASSERT_EQ(pulled.exit_code, 0) << pulled.describe();

  TempDir tree{"crun-make"};
  MakeAsUser user(host(), backend(), tree.path());
  ProcessResult made = user.make({"-f", std::string(CRUN_CONTRIB_DIR) + "/make/Makefile", "build",
                                  "CRUN_ANY=" + user.crun_any(), "BUILD_IMAGE=" + bench.image_small,
                                  "BUILD_CMD=sh -c 'id -u > built.txt && pwd >> built.txt'"});
  ASSERT_EQ(made.exit_code, 0) << made.describe();

  std::string built = tree.path() + "/built.txt";
  struct stat info{};
  ASSERT_EQ(::stat(built.c_str(), &info), 0) << "the step wrote no " << built;
  EXPECT_EQ(info.st_uid, MakeAsUser::k_user);
  EXPECT_EQ(info.st_gid, MakeAsUser::k_group);
  std::ifstream in(built);
  std::stringstream content;
  content << in.rdbuf();
  // The step ran as the user, in the mounted tree.
  EXPECT_EQ(content.str(), std::to_string(MakeAsUser::k_user) + "\n/src\n");
}

TEST(ContribMakefileUsage, BuildWithoutAnImageSaysWhatToSet)
{
  ProcessResult made = crun::test::run_process(
    {"make", "-s", "-C", "/tmp", "-f", std::string(CRUN_CONTRIB_DIR) + "/make/Makefile", "build"});
  EXPECT_NE(made.exit_code, 0);
  EXPECT_NE(made.err.find("set BUILD_IMAGE"), std::string::npos) << made.describe();
}

INSTANTIATE_TEST_SUITE_P(Engines, ContribMakefile, crun::test::bench_engines(),
                         crun::test::backend_name);

} // namespace
