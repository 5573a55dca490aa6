#include <crun/util/path_lookup.hpp>

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

namespace crun::util {
namespace {

using Paths = std::vector<std::string>;

TEST(PathCandidates, FollowsTheAbsoluteEntriesOfPathInOrder)
{
  struct Row {
    std::string name;
    std::string search_path;
    Paths expected;
  };
  const Row rows[] = {
    {"podman",
     "/usr/local/bin:/usr/bin:/bin",
     {"/usr/local/bin/podman", "/usr/bin/podman", "/bin/podman"}},
    {"podman", "/opt/bin/", {"/opt/bin/podman"}},
    {"podman", "/", {"/podman"}},
    {"podman", "/a:/a", {"/a/podman", "/a/podman"}},
    // Empty entries mean the working directory to execvp: never searched.
    {"podman", "", {}},
    {"podman", ":", {}},
    {"podman", ":/usr/bin", {"/usr/bin/podman"}},
    {"podman", "/usr/bin:", {"/usr/bin/podman"}},
    {"podman", "/a::/b", {"/a/podman", "/b/podman"}},
    // Relative entries are below the working directory: never searched.
    {"podman", ".:bin:./bin:../x:~/bin:/usr/bin", {"/usr/bin/podman"}},
    // Names that are paths, or no name at all, are not looked up.
    {"bin/podman", "/usr", {}},
    {"/usr/bin/podman", "/usr/bin", {}},
    {"", "/usr/bin", {}},
    {".", "/usr/bin", {}},
    {"..", "/usr/bin", {}},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE("name \"" + row.name + "\" in PATH \"" + row.search_path + "\"");
    EXPECT_EQ(path_candidates(row.name, row.search_path), row.expected);
  }
}

// Real files in a temporary directory, which is also the working directory.
class FindExecutableTest : public ::testing::Test {
protected:
  void SetUp() override
  {
    char name[] = "/tmp/crun-util-XXXXXX";
    ASSERT_NE(::mkdtemp(name), nullptr);
    m_dir = name;
    char cwd[4096];
    ASSERT_NE(::getcwd(cwd, sizeof cwd), nullptr);
    m_old_cwd = cwd;
    ASSERT_EQ(::mkdir((m_dir + "/bin").c_str(), 0755), 0);
    ASSERT_EQ(::mkdir((m_dir + "/other").c_str(), 0755), 0);
    ASSERT_EQ(::chdir(m_dir.c_str()), 0);
  }
  void TearDown() override
  {
    EXPECT_EQ(::chdir(m_old_cwd.c_str()), 0);
    std::string command = "rm -rf '" + m_dir + "'";
    EXPECT_EQ(std::system(command.c_str()), 0);
  }
  std::string file(const std::string& relative, mode_t mode)
  {
    std::string path = m_dir + "/" + relative;
    std::ofstream(path) << "#!/bin/sh\n";
    EXPECT_EQ(::chmod(path.c_str(), mode), 0);
    return path;
  }

  std::string m_dir;
  std::string m_old_cwd;
};

TEST_F(FindExecutableTest, FindsTheFirstExecutableFile)
{
  file("other/tool", 0755);
  std::string wanted = file("bin/tool", 0755);
  std::string search = "/nonexistent:" + m_dir + "/bin:" + m_dir + "/other";
  EXPECT_EQ(find_executable("tool", search), wanted);
}

TEST_F(FindExecutableTest, SkipsWhatIsNotAnExecutableFile)
{
  file("bin/tool", 0644);
  ASSERT_EQ(::mkdir((m_dir + "/bin/dir").c_str(), 0755), 0); // a directory is "executable" too
  std::string wanted = file("other/tool", 0755);
  file("other/dir", 0755);
  std::string search = m_dir + "/bin:" + m_dir + "/other";
  EXPECT_EQ(find_executable("tool", search), wanted);
  EXPECT_EQ(find_executable("dir", search), m_dir + "/other/dir");
  EXPECT_EQ(find_executable("missing", search), std::nullopt);
}

TEST_F(FindExecutableTest, NeverRunsFromTheWorkingDirectory)
{
  // A file planted where crun-any runs, found by execvp through these PATHs.
  file("tool", 0755);
  file("bin/planted", 0755);
  for (const char* search : {"", ":", ":/usr/bin", "/usr/bin:", "/usr/bin::/bin", "."}) {
    SCOPED_TRACE(std::string("PATH \"") + search + "\"");
    EXPECT_EQ(find_executable("tool", search), std::nullopt);
  }
  EXPECT_EQ(find_executable("planted", "bin"), std::nullopt);
  EXPECT_EQ(find_executable("bin/planted", "/usr/bin"), std::nullopt);
  EXPECT_EQ(find_executable("./tool", "/usr/bin"), std::nullopt);
}

TEST_F(FindExecutableTest, TakesAnAbsolutePathAsItIs)
{
  std::string tool = file("bin/tool", 0755);
  EXPECT_EQ(find_executable(tool, ""), tool);
  EXPECT_EQ(find_executable(file("bin/data", 0644), "/usr/bin"), std::nullopt);
  EXPECT_EQ(find_executable(m_dir + "/bin/missing", "/usr/bin"), std::nullopt);
}

} // namespace
} // namespace crun::util
