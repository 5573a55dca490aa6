// The admin policy file: read through the CRUN_ANY_TEST_ROOT seam (only
// while the real /etc/crun-any/policy.json is absent), refused by every
// command when anyone but root could change it, and never loosened by a
// project file, a user config, --policy or CRUN_ANY_POLICY. One test uses the
// real /etc/crun-any/policy.json (as root, when /etc/crun-any does not exist
// yet), and removes it whatever happens.
#include "support/bench_fixtures.hpp"
#include "support/policy_files.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

namespace crun::test {
namespace {

using json = nlohmann::json;
using ::testing::HasSubstr;

// The bench's dockerd, from world.work(), with `env` (the seam's, a policy
// variable) and nothing of the test's own environment that names an engine
// or a policy.
ProcessResult crun_docker(const Bench& bench, const PolicyWorld& world,
                          std::vector<std::string> args, const std::vector<std::string>& env)
{
  ProcessOptions options = world.options(env);
  options.env_unset.insert(options.env_unset.end(), k_engine_variables.begin(),
                           k_engine_variables.end());
  options.env_set.emplace_back("NO_COLOR=1");
  args.insert(args.begin(), {"--backend", "docker", "--host", bench.docker_host});
  return run_crun_any(args, options);
}

template <class Base>
class WithSeam : public WithBench<Base> {
protected:
  void SetUp() override
  {
    WithBench<Base>::SetUp();
    if (this->IsSkipped() || this->HasFatalFailure()) {
      return;
    }
    if (real_admin_policy_exists()) {
      GTEST_SKIP() << "/etc/crun-any/policy.json exists: CRUN_ANY_TEST_ROOT is ignored then";
    }
  }

  ProcessResult crun(const std::vector<std::string>& args, std::vector<std::string> env = {}) const
  {
    env.insert(env.begin(), seam.env());
    return crun_docker(this->bench, world, args, env);
  }

  SeamRoot seam;
  PolicyWorld world;
};

using PolicyAdmin = WithSeam<::testing::Test>;

TEST_F(PolicyAdmin, ARootOwnedAdminFileIsReadAndShownFirst)
{
  seam.write_admin(R"({"allowed_registries": ["ghcr.io/acme"]})");
  auto version = crun({"version"});
  EXPECT_EQ(version.exit_code, 0) << version.describe();
  auto shown = crun({"policy", "show", "--json"});
  ASSERT_EQ(shown.exit_code, 0) << shown.describe();
  json doc = json::parse(shown.out, nullptr, false);
  ASSERT_FALSE(doc.is_discarded()) << shown.out;
  ASSERT_FALSE(doc.at("files").empty()) << shown.out;
  EXPECT_EQ(doc["files"][0]["level"], "admin");
  EXPECT_EQ(doc["files"][0]["path"], seam.admin_file());
  EXPECT_EQ(doc["policy"]["allowed_registries"]["value"], json({"ghcr.io/acme"}));
  EXPECT_EQ(doc["policy"]["allowed_registries"]["sources"], json({seam.admin_file()}));
  EXPECT_TRUE(refused_by(crun({"pull", "-q", bench.image_small}), 3, "allowed_registries",
                         seam.admin_file()));
}

TEST_F(PolicyAdmin, AMalformedAdminFileStopsEveryCommandNamingItsLine)
{
  seam.write_admin("{\n  \"pull_only\": true,\n}\n");
  const std::vector<std::vector<std::string>> commands = {
    {"version"},
    {"pull", "-q", bench.image_small},
    {"run", "--rm", bench.image_small, "true"},
    {"policy", "show"}};
  for (const auto& command : commands) {
    SCOPED_TRACE(command.front());
    auto r = crun(command);
    EXPECT_EQ(r.exit_code, command.front() == "run" ? 125 : 3) << r.describe();
    EXPECT_THAT(r.err, HasSubstr(seam.admin_file() + ":3:"));
  }
}

// An admin file anyone but root could change.
struct Unsafe {
  std::string name;
  mode_t file_mode = 0644;
  mode_t dir_mode = 0755;
  bool owned_by_nobody = false;
  std::string named; // "file" or "dir": what the message must name
};

void PrintTo(const Unsafe& unsafe, std::ostream* out)
{
  *out << unsafe.name;
}

std::string unsafe_name(const ::testing::TestParamInfo<Unsafe>& param)
{
  return param.param.name;
}

class PolicyAdminUnsafeFile : public WithSeam<::testing::TestWithParam<Unsafe>> {};

TEST_P(PolicyAdminUnsafeFile, StopsVersionPullAndRun)
{
  const Unsafe& unsafe = GetParam();
  seam.write_admin(R"({"emulation": "warn"})", unsafe.file_mode);
  ASSERT_EQ(::chmod(seam.admin_dir().c_str(), unsafe.dir_mode), 0);
  if (unsafe.owned_by_nobody) {
    ASSERT_EQ(::chown(seam.admin_file().c_str(), 65534, 65534), 0);
  }
  const std::string named = unsafe.named == "dir" ? seam.admin_dir() : seam.admin_file();
  const std::vector<std::vector<std::string>> commands = {
    {"version"},
    {"pull", "-q", bench.image_small},
    {"run", "--rm", bench.image_small, "echo", "ran"}};
  for (const auto& command : commands) {
    SCOPED_TRACE(command.front());
    auto r = crun(command);
    EXPECT_EQ(r.exit_code, command.front() == "run" ? 125 : 3) << r.describe();
    EXPECT_THAT(r.err, HasSubstr(named));
    EXPECT_EQ(r.out, "");
  }
}

INSTANTIATE_TEST_SUITE_P(Policy, PolicyAdminUnsafeFile,
                         ::testing::Values(Unsafe{"group_writable", 0664, 0755, false, "file"},
                                           Unsafe{"world_writable", 0646, 0755, false, "file"},
                                           Unsafe{"owned_by_nobody", 0644, 0755, true, "file"},
                                           Unsafe{"directory_group_writable", 0644, 0775, false,
                                                  "dir"}),
                         unsafe_name);

// A looser file at each later level: it cannot undo what the admin file says.
std::string level_name(const ::testing::TestParamInfo<std::string>& param)
{
  return param.param;
}

class PolicyAdminLooserFile : public WithSeam<::testing::TestWithParam<std::string>> {};

TEST_P(PolicyAdminLooserFile, CannotLoosenTheAdminFile)
{
  seam.write_admin(json{
    {"allowed_registries", {bench.registry + "/bench"}}, {"pull_only", true}, {"emulation", "deny"}}
                     .dump());
  const std::string looser = json{{"allowed_registries", {bench.registry, "ghcr.io"}},
                                  {"pull_only", false},
                                  {"emulation", "allow"}}
                               .dump();
  std::vector<std::string> flags, env;
  const std::string level = GetParam();
  if (level == "project") {
    world.write_project(looser);
  } else if (level == "user") {
    world.write_user(looser);
  } else if (level == "flag") {
    flags = {"--policy", world.write_override("looser.json", looser)};
  } else {
    env = {"CRUN_ANY_POLICY=" + world.write_override("looser.json", looser)};
  }
  auto with = [&](std::vector<std::string> args) {
    args.insert(args.begin(), flags.begin(), flags.end());
    return crun(args, env);
  };
  const std::string admin = seam.admin_file();

  // A repository outside the admin's prefix, on the same registry.
  auto pulled = with({"pull", "-q", bench.registry + "/elsewhere/app:1"});
  EXPECT_TRUE(refused_by(pulled, 3, "allowed_registries", admin));
  auto built = with({"build", "."});
  EXPECT_EQ(built.exit_code, 3) << built.describe();
  EXPECT_THAT(built.err, HasSubstr("pull_only"));
  EXPECT_THAT(built.err, HasSubstr(admin));
  auto emulated =
    with({"run", "--rm", "--platform", "linux/arm64", bench.image_multi, "uname", "-m"});
  EXPECT_TRUE(refused_by(emulated, 125, "emulation", admin));
  EXPECT_EQ(emulated.out, "");

  auto shown = with({"policy", "show", "--json"});
  ASSERT_EQ(shown.exit_code, 0) << shown.describe();
  json doc = json::parse(shown.out, nullptr, false);
  ASSERT_FALSE(doc.is_discarded()) << shown.out;
  EXPECT_EQ(doc["policy"]["allowed_registries"]["value"], json({bench.registry + "/bench"}));
  EXPECT_EQ(doc["policy"]["pull_only"]["value"], true);
  EXPECT_EQ(doc["policy"]["pull_only"]["sources"], json({admin}));
  EXPECT_EQ(doc["policy"]["emulation"]["value"], "deny");
  EXPECT_EQ(doc["policy"]["emulation"]["sources"], json({admin}));
}

INSTANTIATE_TEST_SUITE_P(Policy, PolicyAdminLooserFile,
                         ::testing::Values("project", "user", "flag", "variable"), level_name);

// The real admin file. Only as root, and only when /etc/crun-any is not
// there already (never touch a machine's real policy); removed at the end,
// on failure too. While it exists, every crun-any on this machine reads it:
// the test keeps that window short.
class PolicyRealAdminFile : public BenchTest {};

TEST_F(PolicyRealAdminFile, RefusesAndCannotBeReplacedByTheSeam)
{
  if (::geteuid() != 0) {
    GTEST_SKIP() << "not root: cannot create /etc/crun-any";
  }
  std::error_code error;
  if (std::filesystem::exists("/etc/crun-any", error)) {
    GTEST_SKIP() << "/etc/crun-any exists already: this test never touches a real policy";
  }
  SeamRoot seam; // a looser admin file the seam would read
  seam.write_admin(R"({"emulation": "allow"})");
  PolicyWorld world;
  const std::string real = "/etc/crun-any/policy.json";
  {
    Defer remove([] {
      std::error_code ignored;
      std::filesystem::remove_all("/etc/crun-any", ignored);
    });
    ASSERT_EQ(::mkdir("/etc/crun-any", 0755), 0);
    ASSERT_EQ(::chmod("/etc/crun-any", 0755), 0);
    write_file(real, R"({"allowed_registries": ["ghcr.io/acme"]})", 0644);

    auto refused = crun_docker(bench, world, {"pull", "-q", bench.image_small}, {});
    auto with_seam = crun_docker(bench, world, {"pull", "-q", bench.image_small}, {seam.env()});
    auto shown = crun_docker(bench, world, {"policy", "show", "--json"}, {seam.env()});
    remove.cancel();
    std::filesystem::remove_all("/etc/crun-any", error);

    EXPECT_TRUE(refused_by(refused, 3, "allowed_registries", real));
    EXPECT_TRUE(refused_by(with_seam, 3, "allowed_registries", real));
    EXPECT_THAT(with_seam.err, ::testing::Not(HasSubstr(seam.path())));
    ASSERT_EQ(shown.exit_code, 0) << shown.describe();
    json doc = json::parse(shown.out, nullptr, false);
    ASSERT_FALSE(doc.is_discarded()) << shown.out;
    ASSERT_EQ(doc["files"].size(), 1u) << shown.out;
    EXPECT_EQ(doc["files"][0]["level"], "admin");
    EXPECT_EQ(doc["files"][0]["path"], real);
  }
  EXPECT_FALSE(std::filesystem::exists("/etc/crun-any", error)) << "/etc/crun-any was left";
}

} // namespace
} // namespace crun::test
