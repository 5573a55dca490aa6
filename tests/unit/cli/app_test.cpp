#include <crun/cli/app.hpp>

#include <crun/core/contract_versions.hpp>
#include <crun/core/lock_file.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cerrno>
#include <regex>
#include <sstream>
#include <streambuf>

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

// A stream buffer whose device is full: every write and flush fails, as
// stdout does on /dev/full, with errno set as write(2) sets it.
class FullBuffer : public std::streambuf {
protected:
  int_type overflow(int_type) override
  {
    errno = ENOSPC;
    return traits_type::eof();
  }
  std::streamsize xsputn(const char*, std::streamsize) override
  {
    errno = ENOSPC;
    return 0;
  }
  int sync() override
  {
    errno = ENOSPC;
    return -1;
  }
};

TEST(Cli, OutputThatCannotBeWrittenIsAnErrorForEveryCommand)
{
  for (std::vector<std::string> args : std::vector<std::vector<std::string>>{
         {"version"}, {"version", "--json"}, {"--version"}, {"--help"}}) {
    SCOPED_TRACE(args.front());
    FullBuffer full;
    std::ostream out(&full);
    std::ostringstream err;
    int code = run_cli(args, Env{}, Io{out, err});
    EXPECT_EQ(code, 1);
    EXPECT_EQ(err.str(), "crun-any: error: cannot write to stdout: No space left on device\n");
  }
}

TEST(Cli, HelpListsTheCommandsAndTheExitCodes)
{
  Outcome r = run({"--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("version"), std::string::npos);
  EXPECT_NE(r.out.find("--backend"), std::string::npos);
  EXPECT_NE(r.out.find("3 refused by policy"), std::string::npos);
  EXPECT_EQ(r.err, "");
}

TEST(Cli, RunHelpShowsTheImageAndCommandAndEveryOption)
{
  Outcome r = run({"run", "--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("Usage: crun-any run [OPTIONS] IMAGE [COMMAND [ARG...]]\n"),
            std::string::npos)
    << r.out;
  for (const char* option :
       {"--init",           "--read-only",  "--tmpfs",       "--mount",        "--cpus",
        "-m,--memory",      "--hostname",   "--add-host",    "--cap-add",      "--cap-drop",
        "--security-opt",   "--privileged", "--device",      "--group-add",    "--userns",
        "--ulimit",         "--shm-size",   "--stop-signal", "--stop-timeout", "--cidfile",
        "-P,--publish-all", "--expose",     "-a,--attach",   "--sig-proxy",    "--restart",
        "--log-driver",     "-e,--env"}) {
    EXPECT_NE(r.out.find(std::string("  ") + option + " "), std::string::npos) << option;
  }
}

TEST(Cli, VersionJsonIsOneJsonDocumentOnStdout)
{
  Outcome r = run({"version", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc.at("version"), CRUN_ANY_VERSION);
  EXPECT_FALSE(doc.at("platform").at("architecture").get<std::string>().empty());
  EXPECT_EQ(r.out.back(), '\n');
}

// The build and the three contract versions (docs/versioning.md), each with
// the type a script reads it as.
TEST(Cli, VersionJsonCarriesTheBuildAndTheContractVersions)
{
  Outcome r = run({"version", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto doc = nlohmann::json::parse(r.out);
  const std::regex semver("(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)");
  for (const char* key : {"git", "build_type", "compiler", "exit_codes", "inspect_schema"}) {
    ASSERT_TRUE(doc.at(key).is_string()) << key << ": " << r.out;
    EXPECT_FALSE(doc.at(key).get<std::string>().empty()) << key;
  }
  EXPECT_TRUE(std::regex_match(doc.at("exit_codes").get<std::string>(), semver)) << r.out;
  EXPECT_TRUE(std::regex_match(doc.at("inspect_schema").get<std::string>(), semver)) << r.out;
  EXPECT_EQ(doc.at("exit_codes"), core::k_exit_codes_version);
  EXPECT_EQ(doc.at("inspect_schema"), core::k_inspect_schema_version);
  ASSERT_TRUE(doc.at("lock_format").is_number_integer()) << r.out;
  EXPECT_EQ(doc.at("lock_format"), core::k_lock_version);
  EXPECT_EQ(doc.at("build_type"), CRUN_TEST_BUILD_TYPE);
}

TEST(Cli, VersionShowsTheBuildToo)
{
  Outcome r = run({"version"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto json = nlohmann::json::parse(run({"version", "--json"}).out);
  EXPECT_NE(r.out.find(" git: " + json.at("git").get<std::string>() + "\n"), std::string::npos)
    << r.out;
  EXPECT_NE(r.out.find(std::string(" build type: ") + CRUN_TEST_BUILD_TYPE + "\n"),
            std::string::npos)
    << r.out;
  EXPECT_NE(r.out.find(" contracts: exit codes 1.0.0, inspect schema 1.0.0, lock format 1\n"),
            std::string::npos)
    << r.out;
}

TEST(Cli, VersionFlagPrintsTheVersion)
{
  Outcome r = run({"--version"});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out, std::string("crun-any ") + CRUN_ANY_VERSION + "\n");
}

TEST(Cli, BuildTypeVerbsAreRefusedWithExit3NamingThePolicy)
{
  for (std::vector<std::string> args :
       std::vector<std::vector<std::string>>{{"build", "."},
                                             {"buildx", "build", "--push", "-t", "x", "."},
                                             {"builder", "prune"},
                                             {"commit", "c1", "img"},
                                             {"import", "rootfs.tar"},
                                             {"load", "-i", "image.tar"},
                                             {"images", "load", "-i", "image.tar"},
                                             {"--backend", "docker", "build", "--help"}}) {
    SCOPED_TRACE(args.front());
    Outcome r = run(args);
    EXPECT_EQ(r.code, 3);
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find("is refused by the pull_only policy"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("images come from the team's registry"), std::string::npos) << r.err;
  }
}

TEST(Cli, RefusalNamesTheVerbTheUserTyped)
{
  Outcome r = run({"load", "-i", "x.tar"});
  EXPECT_EQ(r.err.rfind("crun-any: error: \"load\" is refused by the pull_only policy", 0), 0u)
    << r.err;
}

TEST(Cli, UnknownCommandIsAUsageError)
{
  Outcome r = run({"frobnicate", "now"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "crun-any: error: unknown command \"frobnicate\"\n"
                   "Run 'crun-any --help' for the commands.\n");
}

TEST(Cli, UnknownCommandAfterGlobalOptionsIsNamed)
{
  Outcome r = run({"--backend", "docker", "-v", "stats", "--all"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err.rfind("crun-any: error: unknown command \"stats\"\n", 0), 0u) << r.err;
}

TEST(Cli, NoCommandIsAUsageError)
{
  Outcome r = run({});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "crun-any: error: a command is required\nRun 'crun-any --help' for usage.\n");
}

TEST(Cli, BadBackendIsAUsageErrorNamingTheValue)
{
  Outcome r = run({"--backend", "lxc", "version"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("lxc"), std::string::npos) << r.err;
}

TEST(Cli, GlobalOptionsAreAcceptedAfterTheCommand)
{
  Outcome r = run({"version", "--no-color", "-v", "--backend", "podman"});
  EXPECT_EQ(r.code, 0) << r.err;
}

} // namespace
} // namespace crun::cli
