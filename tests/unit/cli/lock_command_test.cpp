// `lock` and `verify` through the command line, where no registry or engine
// is reached: the help, and the lock file's errors.
#include "support/temp_dir.hpp"

#include <crun/cli/app.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace crun::cli {
namespace {

struct Outcome {
  int code;
  std::string out;
  std::string err;
};

Outcome run(const std::vector<std::string>& args, const Env& env = {})
{
  std::ostringstream out;
  std::ostringstream err;
  int code = run_cli(args, env, Io{out, err});
  return {code, out.str(), err.str()};
}

TEST(LockCommand, HelpListsLockAndVerify)
{
  Outcome r = run({"--help"});
  EXPECT_NE(r.out.find("lock"), std::string::npos);
  EXPECT_NE(r.out.find("verify"), std::string::npos);
  Outcome lock = run({"lock", "--help"});
  EXPECT_EQ(lock.code, 0);
  EXPECT_NE(lock.out.find("--check"), std::string::npos);
  EXPECT_NE(lock.out.find("--platform"), std::string::npos);
  Outcome verify = run({"verify", "--help"});
  EXPECT_EQ(verify.code, 0);
  EXPECT_NE(verify.out.find("--json"), std::string::npos);
}

TEST(LockCommand, CheckWithoutALockIsBadInput)
{
  test::TempDir dir{"crun-lock"};
  Outcome r = run({"--lockfile", dir.path() + "/none.lock", "lock", "--check"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "crun-any: error: there is no lock file to check: " + dir.path() +
                     "/none.lock does not exist\n");
}

TEST(LockCommand, NothingToLockIsAUsageError)
{
  test::TempDir dir{"crun-lock"};
  Outcome r = run({"lock"}, Env{{"CRUN_ANY_LOCKFILE", dir.path() + "/new.lock"}});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "crun-any: error: nothing to lock: " + dir.path() +
                     "/new.lock holds no image; name one: crun-any lock IMAGE\n");
}

TEST(LockCommand, AMalformedLockIsBadInputWithItsPosition)
{
  test::TempDir dir{"crun-lock"};
  std::string path = dir.path() + "/crun-any.lock";
  std::ofstream(path) << "{\n  \"version\": 1,\n  \"images\": {,}\n}\n";
  Outcome r = run({"--lockfile", path, "lock", "--check"});
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(r.err.starts_with("crun-any: error: " + path + ":3:14: not valid JSON: ")) << r.err;
}

} // namespace
} // namespace crun::cli
