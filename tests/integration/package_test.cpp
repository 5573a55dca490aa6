// The packages of `make package` (cmake/Packaging.cmake, docs/packaging.md),
// made by the tests themselves from this build directory with cpack into a
// temporary directory, so that nobody has to run `make package` first. The
// .deb must pass lintian, depend on what this host has, install with dpkg
// into a fresh root and run from there; the source tarball must unpack into
// a tree that configures. No engine is needed. On a system without dpkg
// (macOS) the Debian cases skip.
#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using crun::test::ProcessOptions;
using crun::test::ProcessResult;
using crun::test::TempDir;

const std::string k_version = CRUN_PROJECT_VERSION;
const std::string k_build_dir = CRUN_BUILD_DIR;

bool on_path(const std::string& program)
{
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    if (!dir.empty() && ::access((dir + "/" + program).c_str(), X_OK) == 0) {
      return true;
    }
  }
  return false;
}

ProcessResult run(const std::vector<std::string>& argv, int timeout_seconds = 180)
{
  ProcessOptions options;
  options.timeout = std::chrono::seconds(timeout_seconds);
  return crun::test::run_process(argv, options);
}

std::string read_file(const fs::path& path)
{
  std::ifstream in(path, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

// The one file named *suffix in dir, or "" (and a test failure).
std::string only_file(const std::string& dir, const std::string& suffix)
{
  std::vector<std::string> found;
  for (const auto& entry : fs::directory_iterator(dir)) {
    std::string name = entry.path().filename().string();
    if (name.size() > suffix.size() && name.ends_with(suffix)) {
      found.push_back(entry.path().string());
    }
  }
  if (found.size() != 1) {
    ADD_FAILURE() << "expected one *" << suffix << " in " << dir << ", found " << found.size();
    return {};
  }
  return found.front();
}

class DebianPackage : public ::testing::Test {
protected:
  void SetUp() override
  {
    if (!on_path("dpkg-deb")) {
      GTEST_SKIP() << "no dpkg here: CPack makes no Debian package on this system";
    }
    ProcessResult packed = run({CRUN_CPACK_COMMAND, "-G", "DEB", "-B", m_dir.path(), "--config",
                                k_build_dir + "/CPackConfig.cmake"});
    ASSERT_EQ(packed.exit_code, 0) << packed.describe();
    m_deb = only_file(m_dir.path(), ".deb");
    ASSERT_FALSE(m_deb.empty());
  }

  std::string field(const std::string& name)
  {
    ProcessResult got = run({"dpkg-deb", "-f", m_deb, name});
    EXPECT_EQ(got.exit_code, 0) << got.describe();
    while (!got.out.empty() && got.out.back() == '\n') {
      got.out.pop_back();
    }
    return got.out;
  }

  TempDir m_dir{"crun-deb"};
  std::string m_deb;
};

TEST_F(DebianPackage, IsLintianClean)
{
  // Overrides shipped in the package (usr/share/lintian/overrides/crun-any)
  // are honoured; anything else at warning level or above fails.
  ASSERT_TRUE(on_path("lintian")) << "lintian is missing: run contrib/dev/install-deps";
  ProcessResult linted =
    run({"lintian", "--fail-on", "error,warning", "--tag-display-limit", "0", "--pedantic", m_deb},
        300);
  EXPECT_EQ(linted.exit_code, 0) << linted.describe();
  std::stringstream lines(linted.out);
  for (std::string line; std::getline(lines, line);) {
    EXPECT_FALSE(line.starts_with("E: ") || line.starts_with("W: ")) << line;
  }
}

TEST_F(DebianPackage, ControlFieldsNameVersionArchitectureAndRecommends)
{
  EXPECT_EQ(field("Package"), "crun-any");
  // Debian version: the project version and a Debian revision.
  EXPECT_TRUE(field("Version").starts_with(k_version + "-")) << field("Version");
  ProcessResult arch = run({"dpkg", "--print-architecture"});
  ASSERT_EQ(arch.exit_code, 0) << arch.describe();
  EXPECT_EQ(field("Architecture") + "\n", arch.out);
  EXPECT_EQ(field("Section"), "admin");
  EXPECT_EQ(field("Priority"), "optional");
  EXPECT_NE(field("Recommends").find("docker.io | podman"), std::string::npos);
  EXPECT_FALSE(field("Maintainer").empty());
  EXPECT_FALSE(field("Homepage").empty());
  // A synopsis, then a long description.
  std::string description = field("Description");
  EXPECT_NE(description.find("\n "), std::string::npos) << description;
}

// Every Depends of the .deb (dpkg-shlibdeps' result) is met on this host:
// the root the next test installs into has no libc, so dpkg's own check
// is forced off there and done here instead.
TEST_F(DebianPackage, DependsAreSatisfiedOnThisHost)
{
  std::string depends = field("Depends");
  // At least the C library: shlibdeps ran on the binary.
  EXPECT_NE(depends.find("libc6"), std::string::npos) << depends;
  std::stringstream clauses(depends);
  for (std::string clause; std::getline(clauses, clause, ',');) {
    bool satisfied = false;
    std::stringstream alternatives(clause);
    for (std::string alternative; std::getline(alternatives, alternative, '|');) {
      // "name", or "name (op version)"
      std::stringstream words(alternative);
      std::string name, op, version;
      words >> name >> op >> version;
      ProcessResult installed = run({"dpkg-query", "-W", "-f=${Status}\t${Version}", name});
      std::string status = installed.out.substr(0, installed.out.find('\t'));
      if (installed.exit_code != 0 || status != "install ok installed") {
        continue;
      }
      if (op.empty()) {
        satisfied = true;
        break;
      }
      std::string have = installed.out.substr(installed.out.find('\t') + 1);
      ProcessResult compared = run(
        {"dpkg", "--compare-versions", have, op.substr(1), version.substr(0, version.size() - 1)});
      if (compared.exit_code == 0) {
        satisfied = true;
        break;
      }
    }
    EXPECT_TRUE(satisfied) << "not satisfied on this host:" << clause;
  }
}

TEST_F(DebianPackage, InstallsInAFreshRootAndRuns)
{
  std::string root = m_dir.path() + "/root";
  std::string admin = root + "/var/lib/dpkg";
  for (const char* dir : {"info", "updates", "triggers"}) {
    fs::create_directories(admin + "/" + dir);
  }
  std::ofstream(admin + "/status").flush();
  std::ofstream(admin + "/available").flush();

  // --force-depends only because the root has no libc6 (the previous test
  // checks the Depends on this host); the log stays in the root.
  ProcessResult installed = run({"dpkg", "--root=" + root, "--log=" + root + "/dpkg.log",
                                 "--force-not-root", "--force-depends", "-i", m_deb});
  ASSERT_EQ(installed.exit_code, 0) << installed.describe();
  ProcessResult status = run({"dpkg", "--root=" + root, "-s", "crun-any"});
  EXPECT_NE(status.out.find("Status: install ok installed"), std::string::npos)
    << status.describe();
  // Every installed file matches the package's md5sums.
  ProcessResult verified = run({"dpkg", "--root=" + root, "--verify", "crun-any"});
  EXPECT_EQ(verified.exit_code, 0) << verified.describe();
  EXPECT_EQ(verified.out, "") << verified.describe();

  ProcessResult version = run({root + "/usr/bin/crun-any", "version"});
  EXPECT_EQ(version.exit_code, 0) << version.describe();
  EXPECT_TRUE(version.out.starts_with("crun-any " + k_version)) << version.describe();
  EXPECT_EQ(version.err, "");
  ProcessResult json = run({root + "/usr/bin/crun-any", "version", "--json"});
  ASSERT_EQ(json.exit_code, 0) << json.describe();
  EXPECT_EQ(nlohmann::json::parse(json.out).value("version", ""), k_version) << json.out;

  // Where Debian keeps each kind of file.
  for (const char* path : {
         "usr/bin/crun-any",
         "usr/share/doc/crun-any/copyright",
         "usr/share/doc/crun-any/changelog.Debian.gz",
         "usr/share/doc/crun-any/changelog.gz",
         "usr/share/doc/crun-any/README.md",
         "usr/share/doc/crun-any/examples/admin-policy.json",
         "usr/share/lintian/overrides/crun-any",
         "usr/share/man/man1/crun-any.1.gz",
         "usr/share/bash-completion/completions/crun-any",
         "usr/share/zsh/vendor-completions/_crun-any",
         "usr/share/fish/vendor_completions.d/crun-any.fish",
       }) {
    EXPECT_TRUE(fs::is_regular_file(root + "/" + path)) << path << " is not in the package";
  }
  EXPECT_TRUE(read_file(root + "/usr/share/doc/crun-any/copyright")
                .starts_with("Format: https://www.debian.org/doc/packaging-manuals/"
                             "copyright-format/1.0/\n"));
  ProcessResult changelog =
    run({"gzip", "-dc", root + "/usr/share/doc/crun-any/changelog.Debian.gz"});
  EXPECT_TRUE(changelog.out.starts_with("crun-any (" + k_version + "-")) << changelog.describe();
  // `crun-any completion` finds the scripts the package put in place.
  for (const auto& [shell, path] : std::vector<std::pair<std::string, std::string>>{
         {"bash", "usr/share/bash-completion/completions/crun-any"},
         {"zsh", "usr/share/zsh/vendor-completions/_crun-any"},
         {"fish", "usr/share/fish/vendor_completions.d/crun-any.fish"}}) {
    ProcessResult printed = run({root + "/usr/bin/crun-any", "completion", shell});
    EXPECT_EQ(printed.exit_code, 0) << printed.describe();
    EXPECT_EQ(printed.out, read_file(root + "/" + path)) << shell;
  }
  // The upstream CHANGELOG.md under Debian's name for it.
  ProcessResult upstream = run({"gzip", "-dc", root + "/usr/share/doc/crun-any/changelog.gz"});
  EXPECT_TRUE(upstream.out.starts_with("# Changelog")) << upstream.describe();
  EXPECT_FALSE(fs::exists(root + "/usr/share/doc/crun-any/CHANGELOG.md"));
}

TEST(SourceTarball, UnpacksWithoutBuildDirectoriesAndConfigures)
{
  TempDir dir{"crun-src"};
  ProcessResult packed = run({CRUN_CPACK_COMMAND, "-G", "TGZ", "-B", dir.path(), "--config",
                              k_build_dir + "/CPackSourceConfig.cmake"});
  ASSERT_EQ(packed.exit_code, 0) << packed.describe();
  std::string tarball = dir.path() + "/crun-any-" + k_version + ".tar.gz";
  ASSERT_TRUE(fs::is_regular_file(tarball)) << packed.describe();

  std::string unpacked = dir.sub("unpacked");
  ProcessResult untarred = run({"tar", "-xzf", tarball, "-C", unpacked});
  ASSERT_EQ(untarred.exit_code, 0) << untarred.describe();
  fs::path top = unpacked + "/crun-any-" + k_version;
  EXPECT_TRUE(fs::is_regular_file(top / "CMakeLists.txt"));
  EXPECT_TRUE(fs::is_directory(top / "src"));
  EXPECT_TRUE(fs::is_directory(top / "include"));
  EXPECT_TRUE(fs::is_regular_file(top / "cmake/Packaging.cmake"));
  // Nothing of a build, a checkout or a cache.
  for (const auto& entry : fs::recursive_directory_iterator(top)) {
    std::string name = entry.path().filename().string();
    std::string relative = fs::relative(entry.path(), top).string();
    EXPECT_FALSE(name == ".git" || name == "CMakeCache.txt" || name == "compile_commands.json" ||
                 name == "__pycache__" || name == "_CPack_Packages")
      << relative;
    if (entry.path().parent_path() == top) {
      EXPECT_FALSE(name.starts_with("build") || name == ".cache") << relative;
    }
  }

  // Complete enough to configure (a full build takes too long on 2 cores).
  ProcessResult configured = run({CRUN_CMAKE_COMMAND, "-S", top.string(), "-B",
                                  dir.path() + "/build", "-DCRUN_ANY_BUILD_TESTS=OFF"},
                                 300);
  EXPECT_EQ(configured.exit_code, 0) << configured.describe();
}

} // namespace
