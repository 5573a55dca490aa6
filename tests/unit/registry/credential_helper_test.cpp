#include <crun/registry/credential_helper.hpp>

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

namespace crun::registry {
namespace {

using test::error_of;
using test::FakeHelperRunner;

TEST(QueryCredentialHelper, SendsTheServerUrlToGetAndReadsTheAnswer)
{
  FakeHelperRunner runner;
  runner.answer = [](const std::vector<std::string>&, std::string_view) {
    return HelperResult{0, R"({"ServerURL":"ghcr.io","Username":"me","Secret":"s3cret"})"};
  };
  auto found = query_credential_helper(runner, "desktop", "ghcr.io");
  ASSERT_EQ(runner.calls.size(), 1u);
  EXPECT_EQ(runner.calls[0].argv, (std::vector<std::string>{"docker-credential-desktop", "get"}));
  EXPECT_EQ(runner.calls[0].input, "ghcr.io");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->username, "me");
  EXPECT_EQ(found->password, "s3cret");
  EXPECT_EQ(found->identity_token, "");
  EXPECT_EQ(found->source, "docker-credential-desktop");
}

TEST(QueryCredentialHelper, ReadsAnIdentityTokenStoredAsTokenUser)
{
  FakeHelperRunner runner;
  runner.answer = [](const std::vector<std::string>&, std::string_view) {
    return HelperResult{0, R"({"Username":"<token>","Secret":"refresh"})"};
  };
  auto found = query_credential_helper(runner, "pass", "https://index.docker.io/v1/");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->username, "");
  EXPECT_EQ(found->identity_token, "refresh");
  EXPECT_FALSE(found->has_password());
}

TEST(QueryCredentialHelper, ReturnsNothingWhenTheHelperHasNone)
{
  FakeHelperRunner runner; // answers "credentials not found in native keychain", exit 1
  EXPECT_EQ(query_credential_helper(runner, "osxkeychain", "ghcr.io"), std::nullopt);
  runner.answer = [](const std::vector<std::string>&, std::string_view) {
    return HelperResult{0, R"({"Username":"","Secret":""})"};
  };
  EXPECT_EQ(query_credential_helper(runner, "osxkeychain", "ghcr.io"), std::nullopt);
}

TEST(QueryCredentialHelper, NeverQuotesTheHelpersOutput)
{
  FakeHelperRunner runner;
  runner.answer = [](const std::vector<std::string>&, std::string_view) {
    return HelperResult{2, "cannot unlock: password hunter2 rejected"};
  };
  auto failed = error_of([&] { query_credential_helper(runner, "pass", "ghcr.io"); });
  EXPECT_EQ(failed.code(), Errc::engine_error);
  EXPECT_EQ(failed.message(), "the credential helper docker-credential-pass failed for ghcr.io "
                              "(exit status 2): check it with `docker-credential-pass list`");

  runner.answer = [](const std::vector<std::string>&, std::string_view) {
    return HelperResult{0, "Secret: hunter2"};
  };
  auto garbled = error_of([&] { query_credential_helper(runner, "pass", "ghcr.io"); });
  EXPECT_EQ(garbled.code(), Errc::engine_error);
  EXPECT_EQ(garbled.message(), "the credential helper docker-credential-pass answered for "
                               "ghcr.io with something that is not its JSON");
}

TEST(QueryCredentialHelper, RunsOnlyHelpersNamedPlainly)
{
  FakeHelperRunner runner;
  for (const char* name : {"", "../../tmp/x", "a/b", "a b", ".."}) {
    SCOPED_TRACE(name);
    auto error = error_of([&] { query_credential_helper(runner, name, "ghcr.io"); });
    EXPECT_EQ(error.code(), Errc::invalid_input);
    EXPECT_EQ(error.message(), fmt::format("invalid credential helper name \"{}\": expected a "
                                           "name such as \"desktop\" or \"osxkeychain\"",
                                           name));
  }
  EXPECT_TRUE(runner.calls.empty());
  EXPECT_EQ(query_credential_helper(runner, "ecr-login", "x"), std::nullopt);
  EXPECT_EQ(query_credential_helper(runner, "pass.v2_x", "x"), std::nullopt);
}

// SpawnHelperRunner against real (shell script) helpers in a temp dir.
class SpawnHelperRunnerTest : public ::testing::Test {
protected:
  void SetUp() override
  {
    char name[] = "/tmp/crun-registry-XXXXXX";
    ASSERT_NE(::mkdtemp(name), nullptr);
    m_dir = name;
  }
  void TearDown() override
  {
    std::string command = "rm -rf '" + m_dir + "'";
    EXPECT_EQ(std::system(command.c_str()), 0);
  }
  void write_helper(const std::string& name, const std::string& script)
  {
    std::string path = m_dir + "/" + name;
    std::ofstream(path) << "#!/bin/sh\n" << script;
    ASSERT_EQ(::chmod(path.c_str(), 0755), 0);
  }
  Env env() const { return Env({{"PATH", "/nonexistent:" + m_dir + ":/usr/bin:/bin"}}); }

  std::string m_dir;
};

TEST_F(SpawnHelperRunnerTest, RunsTheHelperWithStdinAndCollectsStdout)
{
  // Echoes its arguments and stdin; writes noise to stderr, which is dropped.
  write_helper("docker-credential-echo",
               "read -r url\necho \"args=$* url=$url\"\necho noise >&2\nexit 3\n");
  SpawnHelperRunner runner(env());
  auto result = runner.run({"docker-credential-echo", "get"}, "ghcr.io");
  EXPECT_EQ(result.exit_status, 3);
  EXPECT_EQ(result.output, "args=get url=ghcr.io\n");
}

TEST_F(SpawnHelperRunnerTest, SpeaksTheHelperProtocolEndToEnd)
{
  write_helper("docker-credential-test",
               "read -r url\n"
               "[ \"$url\" = ghcr.io ] || { echo 'credentials not found in native keychain'; "
               "exit 1; }\n"
               "printf '{\"ServerURL\":\"%s\",\"Username\":\"u\",\"Secret\":\"p\"}' \"$url\"\n");
  SpawnHelperRunner runner(env());
  auto found = query_credential_helper(runner, "test", "ghcr.io");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->username, "u");
  EXPECT_EQ(found->password, "p");
  EXPECT_EQ(query_credential_helper(runner, "test", "quay.io"), std::nullopt);
}

TEST_F(SpawnHelperRunnerTest, SaysWhenTheHelperIsNotInstalled)
{
  SpawnHelperRunner runner(env());
  auto error = error_of([&] { runner.run({"docker-credential-missing", "get"}, "x"); });
  EXPECT_EQ(error.code(), Errc::invalid_input);
  EXPECT_EQ(error.message(),
            "the credential helper docker-credential-missing is not installed (not found in PATH)");
}

// docker (os/exec LookPath) and execvp take an empty PATH entry as the
// working directory: a helper planted in a project directory would run.
TEST_F(SpawnHelperRunnerTest, NeverRunsAHelperFromTheWorkingDirectory)
{
  write_helper("docker-credential-planted", "echo '{\"Username\":\"u\",\"Secret\":\"stolen\"}'\n");
  char cwd[4096];
  ASSERT_NE(::getcwd(cwd, sizeof cwd), nullptr);
  ASSERT_EQ(::chdir(m_dir.c_str()), 0);
  for (const char* path : {":/usr/bin:/bin", "/usr/bin:/bin:", "/usr/bin::/bin", ".:/usr/bin"}) {
    SCOPED_TRACE(path);
    SpawnHelperRunner runner(Env({{"PATH", path}}));
    auto error = error_of([&] { query_credential_helper(runner, "planted", "ghcr.io"); });
    EXPECT_EQ(error.code(), Errc::invalid_input);
    EXPECT_EQ(error.message(), "the credential helper docker-credential-planted is not installed "
                               "(not found in PATH)");
  }
  ASSERT_EQ(::chdir(cwd), 0);
}

TEST_F(SpawnHelperRunnerTest, SurvivesAHelperThatIgnoresStdin)
{
  write_helper("docker-credential-deaf", "exec 0<&-\necho '{}'\n");
  SpawnHelperRunner runner(env());
  auto result = runner.run({"docker-credential-deaf", "get"}, std::string(200000, 'x'));
  EXPECT_EQ(result.exit_status, 0);
  EXPECT_EQ(result.output, "{}\n");
}

TEST_F(SpawnHelperRunnerTest, KillsAHelperThatHangs)
{
  write_helper("docker-credential-slow", "exec sleep 30\n");
  SpawnHelperRunner runner(env(), std::chrono::milliseconds(200));
  auto error = error_of([&] { runner.run({"docker-credential-slow", "get"}, "x"); });
  EXPECT_EQ(error.code(), Errc::engine_error);
  EXPECT_EQ(error.message(),
            "the credential helper docker-credential-slow did not answer within 200 ms: it was "
            "stopped");
}

} // namespace
} // namespace crun::registry
