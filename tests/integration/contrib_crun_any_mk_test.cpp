// contrib/crun-any.mk as a project uses it: a tiny Makefile that includes
// it, run by an ordinary user (not root) in a tree that user owns, with
// crun-any reaching the bench's engine through a socket that user may open
// (as in contrib_makefile_test.cpp). A pattern rule builds a file in the
// container, which must belong to the user; the lock targets write
// crun-any.lock from the bench registry and verify against it, and verify
// fails once the lock is tampered with.
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
#include <string>
#include <vector>

namespace {

using crun::test::MakeAsUser;
using crun::test::ProcessResult;
using crun::test::TempDir;

std::string slurp(const std::string& path)
{
  std::ifstream in(path, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

class ContribCrunAnyMk : public crun::test::EngineTest {};

TEST_P(ContribCrunAnyMk, APatternRuleBuildsInTheImageAndTheLockTargetsWork)
{
  if (::geteuid() != 0) {
    GTEST_SKIP() << "needs root to run make as another user (setpriv)";
  }
  // Pulled first (as root) so that the step's run only starts it, and
  // crun-verify finds it.
  ProcessResult pulled = crun({"pull", "-q", bench.image_small});
  ASSERT_EQ(pulled.exit_code, 0) << pulled.describe();

  TempDir tree{"crun-mk"};
  MakeAsUser user(host(), backend(), tree.path());
  const std::string project = tree.path() + "/Makefile";
  std::ofstream(project) << "CRUN_IMAGE := " << bench.image_small << "\n"
                         << "include " << CRUN_CONTRIB_DIR << "/crun-any.mk\n"
                         << "\n"
                         << "all: shout.txt\n"
                         << "%.txt: %.in\n"
                         << "\t$(CRUN_SH) 'tr a-z A-Z < $< > $@ && id -u >> $@'\n";
  std::ofstream(tree.path() + "/shout.in") << "hello\n";
  for (const char* name : {"/Makefile", "/shout.in"}) {
    ASSERT_EQ(::chown((tree.path() + name).c_str(), MakeAsUser::k_user, MakeAsUser::k_group), 0)
      << name;
  }

  // make [target] as the user; no target: the default goal.
  auto make = [&](const std::string& target) {
    std::vector<std::string> args = {"CRUN_ANY=" + user.crun_any()};
    if (!target.empty()) {
      args.push_back(target);
    }
    return user.make(args);
  };

  // The default goal is the project's own `all`, not one of crun-any.mk's.
  ProcessResult built = make("");
  ASSERT_EQ(built.exit_code, 0) << built.describe();
  const std::string shout = tree.path() + "/shout.txt";
  struct stat info{};
  ASSERT_EQ(::stat(shout.c_str(), &info), 0) << "the step wrote no " << shout;
  EXPECT_EQ(info.st_uid, MakeAsUser::k_user);
  EXPECT_EQ(info.st_gid, MakeAsUser::k_group);
  EXPECT_EQ(slurp(shout), "HELLO\n" + std::to_string(MakeAsUser::k_user) + "\n");

  ProcessResult locked = make("crun-lock");
  ASSERT_EQ(locked.exit_code, 0) << locked.describe();
  const std::string lock = tree.path() + "/crun-any.lock";
  const std::string text = slurp(lock);
  EXPECT_NE(text.find("\"" + bench.image_small + "\""), std::string::npos) << text;
  EXPECT_NE(text.find(bench.digest_small), std::string::npos) << text;

  ProcessResult checked = make("crun-lock-check");
  EXPECT_EQ(checked.exit_code, 0) << checked.describe();
  ProcessResult verified = make("crun-verify");
  EXPECT_EQ(verified.exit_code, 0) << verified.describe();
  EXPECT_NE(verified.out.find(bench.image_small + " linux/amd64 match sha256:"), std::string::npos)
    << verified.describe();

  // The lock now names other content (the image's digest with its last
  // hex digit changed): verify fails with exit 1, and make with it.
  std::string tampered = text;
  const std::string digest = bench.digest_small;
  const std::string other =
    digest.substr(0, digest.size() - 1) + (digest.back() == '0' ? "1" : "0");
  for (auto at = tampered.find(digest); at != std::string::npos; at = tampered.find(digest, at)) {
    tampered.replace(at, digest.size(), other);
  }
  std::ofstream(lock, std::ios::trunc) << tampered;
  ProcessResult refused = make("crun-verify");
  EXPECT_NE(refused.exit_code, 0) << refused.describe();
  EXPECT_NE(refused.err.find("crun-verify] Error 1"), std::string::npos) << refused.describe();
  // The registry serves no such manifest: the lock no longer matches
  // anything, and verify says where it looked.
  EXPECT_NE(refused.err.find("is not in the registry"), std::string::npos) << refused.describe();
}

INSTANTIATE_TEST_SUITE_P(Engines, ContribCrunAnyMk, crun::test::bench_engines(),
                         crun::test::backend_name);

} // namespace
