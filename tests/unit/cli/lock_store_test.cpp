// The lock file on disk: where it is found, and that writing it is atomic
// (the old file or the new one, never half of one, no temporary left) and
// never touches a read-only lock.
#include <crun/cli/lock_store.hpp>

#include "support/error_of.hpp"
#include "support/temp_dir.hpp"

#include <crun/core/error.hpp>

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <vector>

namespace crun::cli {
namespace {

namespace fs = std::filesystem;
using crun::test::error_of;
using crun::test::TempDir;

std::string slurp(const fs::path& path)
{
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> entries(const fs::path& dir)
{
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

struct LockLocate : ::testing::Test {
  TempDir dir{"crun-lock"};
  Env env;
  std::ostringstream out, err;
  Context ctx{env, {}, Io{out, err}};
};

TEST_F(LockLocate, WalksUpFromTheWorkingDirectoryToTheFirstLock)
{
  std::string deep = dir.sub("project/src/deep");
  EXPECT_FALSE(locate_lock(ctx, deep)); // none anywhere up to / (assuming / and /tmp hold none)
  std::ofstream(dir.path() + "/project/crun-any.lock") << "{}";
  auto found = locate_lock(ctx, deep);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->path, fs::path(dir.path()) / "project/crun-any.lock");
  EXPECT_FALSE(found->explicit_choice);
  // A nearer one wins.
  std::ofstream(dir.path() + "/project/src/crun-any.lock") << "{}";
  EXPECT_EQ(locate_lock(ctx, deep)->path, fs::path(dir.path()) / "project/src/crun-any.lock");
}

TEST_F(LockLocate, TheFlagBeatsTheEnvironmentWhichBeatsTheWalk)
{
  std::ofstream(dir.path() + "/crun-any.lock") << "{}";
  env.set("CRUN_ANY_LOCKFILE", "/elsewhere/env.lock");
  EXPECT_EQ(locate_lock(ctx, dir.path())->path, "/elsewhere/env.lock");
  EXPECT_TRUE(locate_lock(ctx, dir.path())->explicit_choice);
  ctx.global.lockfile = "/elsewhere/flag.lock";
  EXPECT_EQ(locate_lock(ctx, dir.path())->path, "/elsewhere/flag.lock");
}

TEST_F(LockLocate, ANamedLockThatDoesNotExistIsAnErrorForItsReaders)
{
  ctx.global.lockfile = dir.path() + "/missing.lock";
  auto error = error_of([&] { load_lock(ctx); });
  EXPECT_EQ(error.code(), Errc::invalid_input);
  EXPECT_EQ(error.message(),
            "cannot read the lock file " + dir.path() + "/missing.lock: No such file or directory");
}

TEST_F(LockLocate, AMalformedLockNamesItsPath)
{
  ctx.global.lockfile = dir.path() + "/bad.lock";
  std::ofstream(ctx.global.lockfile) << "{\n  oops\n}\n";
  auto error = error_of([&] { load_lock(ctx); });
  EXPECT_EQ(error.code(), Errc::invalid_input);
  EXPECT_TRUE(error.message().starts_with(dir.path() + "/bad.lock:2:3: not valid JSON: "))
    << error.message();
}

TEST(AtomicWrite, CreatesThenReplacesLeavingNoTemporary)
{
  TempDir dir{"crun-lock"};
  fs::path path = fs::path(dir.path()) / "crun-any.lock";
  write_file_atomically(path, "one\n");
  EXPECT_EQ(slurp(path), "one\n");
  ::chmod(path.c_str(), 0664);
  write_file_atomically(path, "two\n");
  EXPECT_EQ(slurp(path), "two\n");
  struct stat st{};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0664u); // the mode of the file replaced is kept
  EXPECT_EQ(entries(dir.path()), std::vector<std::string>{"crun-any.lock"});
}

TEST(AtomicWrite, AReadOnlyLockIsNeverRewrittenEvenByRoot)
{
  TempDir dir{"crun-lock"};
  fs::path path = fs::path(dir.path()) / "crun-any.lock";
  std::ofstream(path) << "old\n";
  ::chmod(path.c_str(), 0444);
  auto error = error_of([&] { write_file_atomically(path, "new\n"); });
  EXPECT_EQ(error.code(), Errc::file_error);
  EXPECT_EQ(error.message(), "the lock file " + path.string() +
                               " is read-only: crun-any never rewrites it; make it writable to "
                               "update it");
  EXPECT_EQ(slurp(path), "old\n");
  EXPECT_EQ(entries(dir.path()), std::vector<std::string>{"crun-any.lock"});
}

TEST(AtomicWrite, AFailedRenameLeavesTheOldContentAndNoTemporary)
{
  // A non-empty directory where the file should go: everything up to the
  // rename succeeds, the rename fails (even for root).
  TempDir dir{"crun-lock"};
  dir.sub("crun-any.lock/inside");
  fs::path path = fs::path(dir.path()) / "crun-any.lock";
  auto error = error_of([&] { write_file_atomically(path, "new\n"); });
  EXPECT_EQ(error.code(), Errc::file_error);
  EXPECT_TRUE(
    error.message().starts_with("cannot write the lock file " + path.string() + ": rename: "))
    << error.message();
  EXPECT_EQ(entries(dir.path()), std::vector<std::string>{"crun-any.lock"});
  EXPECT_TRUE(fs::is_directory(path / "inside"));
}

// What the writer does in a directory made unwritable after the lock was
// written: 0 when it failed cleanly (old content, no temporary), else a
// code saying what went wrong. Run as the caller, or in a child as nobody.
int write_into_unwritable_directory(const fs::path& dir)
{
  fs::path path = dir / "crun-any.lock";
  write_file_atomically(path, "old\n");
  ::chmod(dir.c_str(), 0555);
  int code = 0;
  try {
    write_file_atomically(path, "new\n");
    code = 1;
  } catch (const Error& error) {
    if (error.code() != Errc::file_error ||
        !error.message().starts_with("cannot write the lock file " + path.string() +
                                     ": cannot create ")) {
      code = 2;
    }
  }
  ::chmod(dir.c_str(), 0755);
  if (code == 0 &&
      (slurp(path) != "old\n" || entries(dir) != std::vector<std::string>{"crun-any.lock"})) {
    code = 3;
  }
  return code;
}

TEST(AtomicWrite, ADirectoryThatBecameUnwritableLeavesTheOldFile)
{
  TempDir dir{"crun-lock"};
  if (::geteuid() != 0) {
    EXPECT_EQ(write_into_unwritable_directory(dir.path()), 0);
    return;
  }
  // Root writes into any directory: the writer runs as nobody in a child.
  constexpr uid_t k_nobody = 65534;
  ASSERT_EQ(::chown(dir.path().c_str(), k_nobody, k_nobody), 0);
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (::setgid(k_nobody) != 0 || ::setuid(k_nobody) != 0) {
      ::_exit(10);
    }
    ::_exit(write_into_unwritable_directory(dir.path()));
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "1: rewritten, 2: wrong error, 3: file or temporary wrong";
}

} // namespace
} // namespace crun::cli
