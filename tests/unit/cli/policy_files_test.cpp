// The policy files on disk: where they are found, in which order, and that
// reading them fails closed, above all for the admin file, whose ownership
// and mode are checked on the descriptor it is read from.
#include <crun/cli/policy_files.hpp>

#include "support/error_of.hpp"
#include "support/temp_dir.hpp"

#include <crun/cli/find_upwards.hpp>
#include <crun/core/error.hpp>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <vector>

namespace crun::cli {
namespace {

namespace fs = std::filesystem;
using crun::test::error_of;
using crun::test::TempDir;
using ::testing::HasSubstr;

// Ownership can only be given away (and the admin file only be root's) when
// the tests run as root, as they do in the project's containers.
#define REQUIRE_ROOT()                                                                             \
  if (::geteuid() != 0) {                                                                          \
    GTEST_SKIP() << "needs root: the admin policy must be owned by root";                          \
  }

#ifdef __APPLE__
constexpr const char* k_real_admin = "/Library/Application Support/crun-any/policy.json";
constexpr const char* k_admin_under_root = "Library/Application Support/crun-any/policy.json";
#else
constexpr const char* k_real_admin = "/etc/crun-any/policy.json";
constexpr const char* k_admin_under_root = "etc/crun-any/policy.json";
#endif

void write_file(const fs::path& path, const std::string& text)
{
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

std::vector<core::PolicyLevel> levels(const std::vector<PolicyFile>& files)
{
  std::vector<core::PolicyLevel> out;
  out.reserve(files.size());
  for (const auto& file : files) {
    out.push_back(file.level);
  }
  return out;
}

TEST(SystemPaths, WithoutTheVariableTheRealPaths)
{
  SystemPaths paths = system_paths(Env{});
  EXPECT_EQ(paths.admin_policy, k_real_admin);
  EXPECT_EQ(paths.binfmt_misc, "/proc/sys/fs/binfmt_misc");
  EXPECT_FALSE(paths.test_root);
}

TEST(SystemPaths, TheTestRootMovesThemWhenNoRealAdminFileExists)
{
  if (entry_exists(k_real_admin)) {
    GTEST_SKIP() << k_real_admin << " exists on this machine";
  }
  TempDir root{"crun-pf-root"};
  SystemPaths paths = system_paths(Env{{"CRUN_ANY_TEST_ROOT", root.path()}});
  EXPECT_EQ(paths.admin_policy, fs::path(root.path()) / k_admin_under_root);
  EXPECT_EQ(paths.binfmt_misc, fs::path(root.path()) / "proc/sys/fs/binfmt_misc");
  EXPECT_TRUE(paths.test_root);
}

TEST(SystemPaths, TheTestRootNeverReplacesARealAdminEntryOfAnyKind)
{
  TempDir dir{"crun-pf-real"};
  TempDir root{"crun-pf-root"};
  Env env{{"CRUN_ANY_TEST_ROOT", root.path()}};
  const fs::path real = fs::path(dir.path()) / "policy.json";
  const fs::path binfmt = fs::path(dir.path()) / "binfmt_misc";

  // Absent: moved.
  EXPECT_TRUE(detail::system_paths(env, real, binfmt).test_root);
  // A file, a directory, a dangling link: each counts as existing.
  write_file(real, "{}");
  SystemPaths kept = detail::system_paths(env, real, binfmt);
  EXPECT_FALSE(kept.test_root);
  EXPECT_EQ(kept.admin_policy, real);
  EXPECT_EQ(kept.binfmt_misc, binfmt);
  fs::remove(real);
  fs::create_directory(real);
  EXPECT_FALSE(detail::system_paths(env, real, binfmt).test_root);
  fs::remove(real);
  fs::create_symlink(fs::path(dir.path()) / "nowhere", real);
  EXPECT_FALSE(detail::system_paths(env, real, binfmt).test_root);
}

TEST(SystemPaths, ATestRootThatIsNoDirectoryIsIgnored)
{
  TempDir dir{"crun-pf-real"};
  const fs::path real = fs::path(dir.path()) / "policy.json";
  Env env{{"CRUN_ANY_TEST_ROOT", dir.path() + "/missing"}};
  SystemPaths paths = detail::system_paths(env, real, "/b");
  EXPECT_FALSE(paths.test_root);
  EXPECT_EQ(paths.admin_policy, real);
}

struct PolicyFiles : ::testing::Test {
  TempDir dir{"crun-pf"};
  Env env;
  std::ostringstream out, err;
  Context ctx{env, {}, Io{out, err}};
  SystemPaths paths;
  fs::path root;
  fs::path admin;
  fs::path admin_dir;
  fs::path project;

  void SetUp() override
  {
    root = dir.path();
    admin = root / k_admin_under_root;
    admin_dir = admin.parent_path();
    paths = {admin, root / "proc/sys/fs/binfmt_misc", true};
    project = dir.sub("project/src/deep");
    // Never the real user's config.
    env.set("HOME", (root / "home").string());
  }

  void write_admin(const std::string& text, mode_t mode = 0644)
  {
    write_file(admin, text);
    for (fs::path d = admin_dir; d != root; d = d.parent_path()) {
      ::chmod(d.c_str(), 0755);
    }
    ::chmod(admin.c_str(), mode);
  }

  fs::path write_project(const std::string& text, const std::string& where = "project")
  {
    fs::path path = root / where / ".crun-any.json";
    write_file(path, text);
    return path;
  }

  fs::path write_override(const std::string& text, const std::string& name = "override.json")
  {
    fs::path path = root / name;
    write_file(path, text);
    return path;
  }

  Error load_error()
  {
    return error_of([&] { load_policy(ctx, paths, project); });
  }
};

TEST_F(PolicyFiles, NoFilesNoPolicy)
{
  EXPECT_TRUE(find_policy_files(ctx, paths, project).empty());
  LoadedPolicy loaded = load_policy(ctx, paths, project);
  EXPECT_EQ(loaded.effective, core::Policy{});
  EXPECT_TRUE(loaded.files.empty());
  EXPECT_FALSE(loaded.lockfile);
}

TEST_F(PolicyFiles, InPrecedenceOrder)
{
  write_file(admin, "{}");
  fs::path project_file = write_project("{}");
  env.set("XDG_CONFIG_HOME", (root / "xdg").string());
  fs::path user = root / "xdg/crun-any/config.json";
  write_file(user, "{}");
  ctx.global.policy_file = write_override("{}", "flag.json").string();
  env.set("CRUN_ANY_POLICY", write_override("{}", "env.json").string());

  auto files = find_policy_files(ctx, paths, project);
  using L = core::PolicyLevel;
  EXPECT_EQ(levels(files),
            (std::vector{L::admin, L::project, L::user, L::override_file, L::override_file}));
  ASSERT_EQ(files.size(), 5U);
  EXPECT_EQ(files[0].path, admin);
  EXPECT_EQ(files[1].path, project_file);
  EXPECT_EQ(files[2].path, user);
  EXPECT_EQ(files[3].path, root / "flag.json");
  EXPECT_EQ(files[4].path, root / "env.json");
  EXPECT_EQ(files[0].part, core::PolicyText::whole_file);
  EXPECT_EQ(files[1].part, core::PolicyText::whole_file);
  EXPECT_EQ(files[2].part, core::PolicyText::policy_member);
  EXPECT_EQ(files[3].part, core::PolicyText::whole_file);
}

TEST_F(PolicyFiles, TheProjectFileIsFoundWalkingUpAndTheNearestWins)
{
  fs::path far = write_project("{}", "");
  auto files = find_policy_files(ctx, paths, project);
  ASSERT_EQ(files.size(), 1U);
  EXPECT_EQ(files[0].level, core::PolicyLevel::project);
  EXPECT_EQ(files[0].path, far);
  fs::path near = write_project("{}", "project/src");
  files = find_policy_files(ctx, paths, project);
  ASSERT_EQ(files.size(), 1U);
  EXPECT_EQ(files[0].path, near);
}

TEST_F(PolicyFiles, TheUserConfigComesFromXdgConfigHomeElseHome)
{
  write_file(root / "home/.config/crun-any/config.json", "{}");
  auto files = find_policy_files(ctx, paths, project);
  ASSERT_EQ(files.size(), 1U);
  EXPECT_EQ(files[0].path, root / "home/.config/crun-any/config.json");
  // XDG_CONFIG_HOME wins, and a config that is not there is no file.
  env.set("XDG_CONFIG_HOME", (root / "xdg").string());
  EXPECT_TRUE(find_policy_files(ctx, paths, project).empty());
  write_file(root / "xdg/crun-any/config.json", "{}");
  files = find_policy_files(ctx, paths, project);
  ASSERT_EQ(files.size(), 1U);
  EXPECT_EQ(files[0].level, core::PolicyLevel::user);
  EXPECT_EQ(files[0].path, root / "xdg/crun-any/config.json");
}

TEST_F(PolicyFiles, ANamedFileThatIsMissingIsAnError)
{
  ctx.global.policy_file = (root / "missing.json").string();
  Error error = error_of([&] { find_policy_files(ctx, paths, project); });
  EXPECT_EQ(error.code(), Errc::policy_invalid);
  EXPECT_THAT(error.message(), HasSubstr(ctx.global.policy_file));
  EXPECT_THAT(error.message(), HasSubstr("--policy"));

  ctx.global.policy_file.clear();
  env.set("CRUN_ANY_POLICY", (root / "gone.json").string());
  error = error_of([&] { find_policy_files(ctx, paths, project); });
  EXPECT_EQ(error.code(), Errc::policy_invalid);
  EXPECT_THAT(error.message(), HasSubstr((root / "gone.json").string()));
  EXPECT_THAT(error.message(), HasSubstr("unset CRUN_ANY_POLICY"));
}

TEST_F(PolicyFiles, AGoodAdminFileIsRead)
{
  REQUIRE_ROOT();
  write_admin(R"({"pull_only": true})");
  LoadedPolicy loaded = load_policy(ctx, paths, project);
  ASSERT_EQ(loaded.files.size(), 1U);
  ASSERT_TRUE(loaded.effective.pull_only);
  EXPECT_TRUE(loaded.effective.pull_only->value);
  EXPECT_EQ(loaded.effective.pull_only->sources, std::vector{admin.string()});
}

TEST_F(PolicyFiles, AnAdminFileWritableByGroupOrOthersIsRefused)
{
  REQUIRE_ROOT();
  for (mode_t mode : std::vector<mode_t>{0664, 0646, 0666}) {
    write_admin("{}", mode);
    Error error = load_error();
    EXPECT_EQ(error.code(), Errc::policy_invalid);
    EXPECT_THAT(error.message(), HasSubstr(fmt::format("the admin policy {} is writable by group "
                                                       "or others (mode {:04o})",
                                                       admin.string(), mode)));
    EXPECT_THAT(error.message(),
                HasSubstr(fmt::format("every command refuses until an admin runs `chown "
                                      "root:root {0} && chmod 644 {0}`",
                                      admin.string())));
  }
}

TEST_F(PolicyFiles, AnAdminFileNotOwnedByRootIsRefused)
{
  REQUIRE_ROOT();
  write_admin("{}");
  ASSERT_EQ(::chown(admin.c_str(), 65534, 65534), 0);
  Error error = load_error();
  EXPECT_EQ(error.code(), Errc::policy_invalid);
  EXPECT_THAT(error.message(),
              HasSubstr(fmt::format("the admin policy {} is owned by uid 65534", admin.string())));
  EXPECT_THAT(error.message(), HasSubstr("chown root:root " + admin.string()));
}

TEST_F(PolicyFiles, AnAdminPathThatIsADirectoryIsRefused)
{
  REQUIRE_ROOT();
  fs::create_directories(admin);
  ::chmod(admin.c_str(), 0755);
  ::chmod(admin_dir.c_str(), 0755);
  Error error = load_error();
  EXPECT_EQ(error.code(), Errc::policy_invalid);
  EXPECT_THAT(error.message(),
              HasSubstr(fmt::format("the admin policy {} is not a regular file (a directory)",
                                    admin.string())));
}

TEST_F(PolicyFiles, AnAdminDirectoryWritableByGroupOrNotOwnedByRootIsRefused)
{
  REQUIRE_ROOT();
  write_admin("{}");
  ::chmod(admin_dir.c_str(), 0775);
  Error error = load_error();
  EXPECT_EQ(error.code(), Errc::policy_invalid);
  EXPECT_THAT(error.message(),
              HasSubstr(fmt::format("the directory {} of the admin policy {} is writable by "
                                    "group or others (mode 0775)",
                                    admin_dir.string(), admin.string())));
  EXPECT_THAT(error.message(),
              HasSubstr(fmt::format("chown root:root {0} && chmod 755 {0}", admin_dir.string())));

  ::chmod(admin_dir.c_str(), 0755);
  ASSERT_EQ(::chown(admin_dir.c_str(), 65534, 65534), 0);
  error = load_error();
  EXPECT_EQ(error.code(), Errc::policy_invalid);
  EXPECT_THAT(error.message(),
              HasSubstr(fmt::format("the directory {} of the admin policy {} is owned by uid 65534",
                                    admin_dir.string(), admin.string())));
}

TEST_F(PolicyFiles, AnAdminSymlinkIsJudgedByTheFileItOpens)
{
  REQUIRE_ROOT();
  write_admin("{}"); // the directory, root's and 0755
  fs::remove(admin);
  fs::path target = root / "managed/policy.json";
  write_file(target, R"({"require_digest": true})");
  ::chmod(target.c_str(), 0644);
  fs::create_symlink(target, admin);
  LoadedPolicy loaded = load_policy(ctx, paths, project);
  ASSERT_TRUE(loaded.effective.require_digest);
  EXPECT_TRUE(loaded.effective.require_digest->value);

  // The link's own mode (0777) is not what counts; the target's is.
  ::chmod(target.c_str(), 0666);
  EXPECT_THAT(load_error().message(), HasSubstr("writable by group or others (mode 0666)"));

  // A dangling link is no absence: it fails closed.
  fs::remove(target);
  Error error = load_error();
  EXPECT_EQ(error.code(), Errc::policy_invalid);
  EXPECT_THAT(error.message(),
              HasSubstr("cannot read the policy file " + admin.string() + ": No such file"));
}

TEST_F(PolicyFiles, AFileThatCannotBeReadFailsClosed)
{
  fs::path path = root / "project/.crun-any.json";
  fs::create_directories(path); // a directory where the project file is expected
  Error error = load_error();
  EXPECT_EQ(error.code(), Errc::policy_invalid);
  EXPECT_EQ(error.message(), "cannot read the policy file " + path.string() + ": Is a directory");

  fs::remove(path);
  ctx.global.policy_file = dir.sub("a-directory");
  error = load_error();
  EXPECT_EQ(error.code(), Errc::policy_invalid);
  EXPECT_EQ(error.message(),
            "cannot read the policy file " + ctx.global.policy_file + ": Is a directory");
}

TEST_F(PolicyFiles, MalformedJsonNamesTheFileLineAndColumn)
{
  fs::path path = write_project("{\n  \"pull_only\": tru\n}\n");
  Error error = load_error();
  EXPECT_EQ(error.code(), Errc::policy_invalid);
  EXPECT_THAT(error.message(), HasSubstr(path.string() + ":2:"));
  EXPECT_THAT(error.message(), HasSubstr("not valid JSON"));

  write_project(""); // an empty file is no policy: it fails closed too
  EXPECT_EQ(load_error().code(), Errc::policy_invalid);
}

TEST_F(PolicyFiles, AnUnknownKeyIsAnError)
{
  ctx.global.policy_file = write_override(R"({"pull-only": true})").string();
  Error error = load_error();
  EXPECT_EQ(error.code(), Errc::policy_invalid);
  EXPECT_THAT(error.message(), HasSubstr(ctx.global.policy_file));
  EXPECT_THAT(error.message(), HasSubstr("pull-only"));
}

TEST_F(PolicyFiles, ALaterFileCannotLoosen)
{
  REQUIRE_ROOT();
  write_admin(R"({"pull_only": true})");
  ctx.global.policy_file = write_override(R"({"pull_only": false})").string();
  LoadedPolicy loaded = load_policy(ctx, paths, project);
  EXPECT_EQ(loaded.files.size(), 2U);
  ASSERT_TRUE(loaded.effective.pull_only);
  EXPECT_TRUE(loaded.effective.pull_only->value);
  EXPECT_EQ(loaded.effective.pull_only->sources, std::vector{admin.string()});
}

TEST_F(PolicyFiles, AContradictionBetweenTwoFilesNamesBoth)
{
  fs::path project_file = write_project(R"({"platform": "linux/amd64"})");
  ctx.global.policy_file = write_override(R"({"platform": "linux/arm64"})").string();
  Error error = load_error();
  EXPECT_EQ(error.code(), Errc::policy_invalid);
  EXPECT_THAT(error.message(), HasSubstr(project_file.string()));
  EXPECT_THAT(error.message(), HasSubstr(ctx.global.policy_file));
}

TEST_F(PolicyFiles, TheUserConfigContributesItsPolicyMemberOnly)
{
  fs::path user = root / "home/.config/crun-any/config.json";
  write_file(user, R"({"backend": "podman"})");
  LoadedPolicy loaded = load_policy(ctx, paths, project);
  EXPECT_EQ(loaded.files.size(), 1U); // read and checked, even though it adds nothing
  EXPECT_FALSE(loaded.effective.emulation);

  write_file(user, R"({"backend": "podman", "policy": {"emulation": "deny"}})");
  loaded = load_policy(ctx, paths, project);
  ASSERT_TRUE(loaded.effective.emulation);
  EXPECT_EQ(loaded.effective.emulation->value, core::EmulationMode::deny);
}

TEST_F(PolicyFiles, ARelativeLockfileIsRelativeToTheFileThatSetIt)
{
  write_project(R"({"lockfile": "locks/team.lock"})");
  LoadedPolicy loaded = load_policy(ctx, paths, project);
  ASSERT_TRUE(loaded.lockfile);
  EXPECT_EQ(*loaded.lockfile, root / "project/locks/team.lock");

  // The first source decides, even when a later file repeats the value.
  write_override(R"({"lockfile": "locks/team.lock"})", "elsewhere/override.json");
  ctx.global.policy_file = (root / "elsewhere/override.json").string();
  loaded = load_policy(ctx, paths, project);
  ASSERT_TRUE(loaded.lockfile);
  EXPECT_EQ(*loaded.lockfile, root / "project/locks/team.lock");

  ctx.global.policy_file.clear();
  write_project(R"({"lockfile": "/srv/team.lock"})");
  loaded = load_policy(ctx, paths, project);
  EXPECT_EQ(loaded.lockfile, fs::path("/srv/team.lock"));
}

} // namespace
} // namespace crun::cli
