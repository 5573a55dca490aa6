// A failed `container` command's stderr and exit code into one crun::Error,
// over the texts the stand-in prints (tests/fixtures/apple/errors.json).
#include <crun/backends/apple/apple_errors.hpp>

#include "backends_test_support.hpp"

#include <gtest/gtest.h>

namespace crun::backends::apple {
namespace {

const FailedCommand k_run{"run 127.0.0.1:5857/bench/small:1 for linux/amd64",
                          "127.0.0.1:5857/bench/small:1", "linux/amd64",
                          "/usr/local/bin/container"};

// The text of message `id` in errors.json (its last variant), with the
// placeholders filled as the stand-in fills them.
std::string message(const std::string& id)
{
  static const nlohmann::json doc = crun::test::json_fixture("apple/errors.json");
  std::string text = doc["messages"][id].back()["text"].get<std::string>();
  for (auto [key, value] : std::vector<std::pair<std::string, std::string>>{
         {"{id}", "c1"},
         {"{exe}", "/nope"},
         {"{host}", "127.0.0.1:5857"},
         {"{names}", "x:1"},
         {"{ids}", "c1"},
         {"{platform}", "linux/arm64/v8"},
         {"{platform_novariant}", "linux/arm64"},
         {"{digest}", "sha256:abc"},
         {"{xpc}", "interrupted: \"XPC connection error: Connection invalid\""},
         {"{scheme}", "auto"},
         {"{reference}", "x:1"}}) {
    for (auto at = text.find(key); at != std::string::npos; at = text.find(key)) {
      text.replace(at, key.size(), value);
    }
  }
  return "Error: " + text + "\n";
}

Errc code_of(const std::string& stderr_text, int exit_code = 1)
{
  return classify_failure(stderr_text, exit_code, k_run).code();
}

std::string message_of(const std::string& stderr_text, int exit_code = 1)
{
  return classify_failure(stderr_text, exit_code, k_run).message();
}

TEST(AppleErrors, FirstErrorLine)
{
  EXPECT_EQ(first_error_line("noise\nError: image not found: x\nmore"), "image not found: x");
  EXPECT_EQ(first_error_line("  just text \n"), "just text");
  EXPECT_EQ(first_error_line(""), "");
}

TEST(AppleErrors, NotFound)
{
  EXPECT_EQ(code_of(message("image_not_found")), Errc::not_found);
  EXPECT_EQ(code_of(message("image_reference_not_found")), Errc::not_found);
  EXPECT_EQ(code_of(message("container_not_found")), Errc::not_found);
  EXPECT_EQ(code_of(message("get_failed")), Errc::not_found);
  // Before 0.10: `Error: notFound: "..."`.
  EXPECT_EQ(code_of("Error: notFound: \"container with ID c1 not found\"\n"), Errc::not_found);
}

TEST(AppleErrors, ServiceDownIsUnavailableWithTheHint)
{
  std::string down = message("service_down_config") + message("xpc_hint").substr(7);
  EXPECT_EQ(code_of(down), Errc::engine_unavailable);
  EXPECT_NE(message_of(down).find("container system start"), std::string::npos);
  EXPECT_EQ(code_of(message("service_down_client")), Errc::engine_unavailable);
  EXPECT_EQ(code_of(message("plugins_unavailable"), 64), Errc::engine_unavailable);
}

TEST(AppleErrors, KeychainInAHeadlessSession)
{
  std::string text = message_of(message("keychain_query"));
  EXPECT_EQ(code_of(message("keychain_query")), Errc::engine_error);
  EXPECT_NE(text.find("-25308"), std::string::npos);
  EXPECT_NE(text.find("headless"), std::string::npos);
  EXPECT_NE(text.find("unlock-keychain"), std::string::npos);
}

TEST(AppleErrors, InsecureCredentialExchange)
{
  EXPECT_EQ(code_of(message("insecure_credential_exchange")), Errc::engine_error);
  EXPECT_NE(message_of(message("insecure_credential_exchange")).find("1.3.1"), std::string::npos);
}

TEST(AppleErrors, RosettaMissing)
{
  std::string text = message("rosetta_missing_first_line") + message("rosetta_missing");
  EXPECT_EQ(code_of(text), Errc::engine_error);
  EXPECT_NE(message_of(text).find("softwareupdate --install-rosetta"), std::string::npos);
  EXPECT_EQ(code_of("Error: Rosetta is not installed\n"), Errc::engine_error);
}

TEST(AppleErrors, KernelMissing)
{
  EXPECT_NE(message_of(message("kernel_missing")).find("container system kernel set --recommended"),
            std::string::npos);
}

TEST(AppleErrors, PlatformNotInTheLocalImage)
{
  EXPECT_EQ(code_of("Error: platform linux/arm64\n"), Errc::not_found);
  EXPECT_EQ(code_of("Error: platform linux/arm64/v8\n"), Errc::not_found);
  EXPECT_EQ(code_of(message("single_manifest_platform")), Errc::not_found);
  EXPECT_NE(
    message_of("Error: platform linux/arm64\n").find("crun-any pull --platform linux/amd64"),
    std::string::npos);
  // A workload's line that merely mentions a platform is not this.
  EXPECT_EQ(code_of("Error: platform linux/arm64 is great, said the workload\n"),
            Errc::engine_error);
}

TEST(AppleErrors, TheWorkloadsCommand)
{
  EXPECT_EQ(code_of(message("start_missing_executable")), Errc::command_not_found);
  EXPECT_EQ(code_of(message("start_permission_denied")), Errc::command_not_executable);
}

TEST(AppleErrors, OthersNameTheCause)
{
  EXPECT_EQ(code_of(message("run_exists")), Errc::engine_error);
  EXPECT_NE(message_of(message("run_exists")).find("--name"), std::string::npos);
  EXPECT_EQ(code_of(message("registry_no_credentials")), Errc::engine_error);
  EXPECT_EQ(code_of(message("unsupported_scheme")), Errc::engine_error);
  EXPECT_EQ(code_of(message("host_unresolved")), Errc::engine_error);
  EXPECT_EQ(code_of(message("tls_failed")), Errc::engine_error);
  EXPECT_EQ(code_of("Error: Unknown option '--foo'\nUsage: container run\n", 64),
            Errc::engine_error);
}

TEST(AppleErrors, UnknownTextIsQuoted)
{
  Error error = classify_failure("Error: something new happened\n", 1, k_run);
  EXPECT_EQ(error.code(), Errc::engine_error);
  EXPECT_NE(error.message().find("something new happened"), std::string::npos);
  EXPECT_NE(error.message().find(k_run.action), std::string::npos);
  EXPECT_NE(classify_failure("", 3, k_run).message().find("exit 3"), std::string::npos);
}

TEST(AppleErrors, SecretsAreRedacted)
{
  Error error = classify_failure("Error: token hunter2 refused\n", 1, k_run, {"hunter2"});
  EXPECT_EQ(error.message().find("hunter2"), std::string::npos);
  EXPECT_NE(error.message().find("<redacted>"), std::string::npos);
}

TEST(AppleErrors, CliFailureTextIsToldFromTheWorkloads)
{
  EXPECT_TRUE(is_cli_failure_text(message("start_missing_executable")));
  EXPECT_TRUE(is_cli_failure_text(message("kernel_missing")));
  EXPECT_FALSE(is_cli_failure_text("Error: my script failed\n"));
  // The workload's own lines are not the CLI's.
  EXPECT_FALSE(is_cli_failure_text("mkdir: /x: already exists\nimage not found: y\n"));
  EXPECT_FALSE(is_cli_failure_text(""));
}

} // namespace
} // namespace crun::backends::apple
