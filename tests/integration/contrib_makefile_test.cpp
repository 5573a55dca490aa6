// contrib/make/Makefile as a user runs it: `make build` in a working tree
// owned by an ordinary user (not root), with crun-any reaching the bench's
// engine through a socket that user may open. The file the containerised
// step writes must belong to that user, which is what its
// `-u "$(id -u):$(id -g)"` is for (a root-owned file in the tree is the
// classic bind-mount annoyance).
#include "support/bench.hpp"
#include "support/bench_fixtures.hpp"
#include "support/fault_proxy.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace {

using crun::test::Fault;
using crun::test::FaultProxy;
using crun::test::ProcessOptions;
using crun::test::ProcessResult;
using crun::test::TempDir;

// An unprivileged uid:gid that owns nothing on the machine.
constexpr uid_t k_user = 4321;
constexpr gid_t k_group = 4322;

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

  // The engine's socket is root's: a pass-through proxy (its fault matches
  // no request) gives the user a socket it may open.
  FaultProxy proxy(FaultProxy::Listen::unix_socket, host().substr(std::string("unix://").size()),
                   Fault{Fault::Kind::close_early, "NONE", {}, 0});
  std::filesystem::path socket = proxy.uri().substr(std::string("unix://").size());
  ::chmod(socket.parent_path().c_str(), 0755);
  ::chmod(socket.c_str(), 0777);

  TempDir tree{"crun-make"};
  ::chmod(tree.path().c_str(), 0755);
  ASSERT_EQ(::chown(tree.path().c_str(), k_user, k_group), 0);

  std::string crun_any =
    crun::test::crun_any_bin() + " --backend " + backend() + " --host " + proxy.uri();
  ProcessOptions options;
  options.env_unset = crun::test::k_engine_variables;
  options.env_set = {"HOME=" + tree.path(), "XDG_CACHE_HOME=" + tree.path() + "/.cache",
                     "NO_COLOR=1"};
  options.timeout = std::chrono::seconds(120);
  ProcessResult made = crun::test::run_process(
    {"setpriv", "--reuid", std::to_string(k_user), "--regid", std::to_string(k_group),
     "--clear-groups", "make", "-s", "-C", tree.path(), "-f",
     std::string(CRUN_CONTRIB_DIR) + "/make/Makefile", "build", "CRUN_ANY=" + crun_any,
     "BUILD_IMAGE=" + bench.image_small, "BUILD_CMD=sh -c 'id -u > built.txt && pwd >> built.txt'"},
    options);
  ASSERT_EQ(made.exit_code, 0) << made.describe();

  std::string built = tree.path() + "/built.txt";
  struct stat info{};
  ASSERT_EQ(::stat(built.c_str(), &info), 0) << "the step wrote no " << built;
  EXPECT_EQ(info.st_uid, k_user);
  EXPECT_EQ(info.st_gid, k_group);
  std::ifstream in(built);
  std::stringstream content;
  content << in.rdbuf();
  // The step ran as the user, in the mounted tree.
  EXPECT_EQ(content.str(), std::to_string(k_user) + "\n/src\n");
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
