// The apple backend as a Mac user meets it, through the strict stand-in of
// Apple's `container` CLI (tests/apple/README.md), which does the work in the
// bench's Podman service and logs every argument vector it receives. Besides
// what a user sees (exit codes, output, digests, containers left), these
// cases read that log to prove what crun-any asks of the CLI: every pull and
// run carries --platform, nothing goes through a shell, and no option is
// dropped (Apple refuses what it lacks with exit 125 naming the option).
// After every case, each logged call is checked again
// (AppleStandin::expect_every_call_well_formed).
#include "support/apple_standin.hpp"
#include "support/bench.hpp"
#include "support/bench_fixtures.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <csignal>
#include <fstream>
#include <memory>
#include <random>
#include <regex>
#include <thread>

namespace {

using crun::test::AppleCall;
using crun::test::AppleStandin;
using crun::test::ChildProcess;
using crun::test::ProcessOptions;
using crun::test::ProcessResult;
using json = nlohmann::json;
using ::testing::AnyOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

// One Mac per case: a stand-in with its own state and argv log.
template <class Base>
class WithApple : public crun::test::WithBench<Base> {
protected:
  void SetUp() override
  {
    crun::test::WithBench<Base>::SetUp();
    if (::testing::Test::IsSkipped() || ::testing::Test::HasFatalFailure()) {
      return;
    }
    if (auto why = AppleStandin::unavailable()) {
      if (crun::test::bench_required()) {
        GTEST_FAIL() << *why << " (CRUN_ANY_REQUIRE_BENCH=1: the bench is required)";
      }
      GTEST_SKIP() << *why;
    }
    standin = std::make_unique<AppleStandin>();
  }

  void TearDown() override
  {
    if (standin) {
      standin->expect_every_call_well_formed();
      standin->cleanup();
    }
  }

  // crun-any --backend apple args... (no platform unless a case gives one),
  // with `env` ("K=V") after the stand-in's environment.
  ProcessResult crun(std::vector<std::string> args, std::vector<std::string> env = {},
                     ProcessOptions options = {}) const
  {
    env.insert(env.begin(), extra_env.begin(), extra_env.end());
    options.env_set.insert(options.env_set.end(), env.begin(), env.end());
    return crun::test::run_crun_any_on_apple(*standin, std::move(args), std::move(options));
  }

  std::vector<std::string> crun_argv(std::vector<std::string> args,
                                     std::vector<std::string> env = {}) const
  {
    env.insert(env.begin(), extra_env.begin(), extra_env.end());
    return crun::test::crun_any_on_apple_argv(*standin, std::move(args), env);
  }

  // The calls logged so far, read with the CLI's grammar.
  std::vector<AppleCall> calls() const
  {
    std::vector<AppleCall> out;
    for (const auto& entry : standin->log()) {
      out.push_back(AppleCall::parse(entry));
    }
    return out;
  }
  std::vector<AppleCall> runs() const
  {
    auto all = calls();
    std::erase_if(all, [](const AppleCall& call) { return !call.is_run(); });
    return all;
  }
  std::vector<AppleCall> pulls() const
  {
    auto all = calls();
    std::erase_if(all, [](const AppleCall& call) { return !call.is_pull(); });
    return all;
  }

  // Neither the stand-in nor Podman holds a container of this Mac.
  void expect_no_container_left() const
  {
    EXPECT_THAT(standin->containers(), IsEmpty()) << "container ls -a";
    EXPECT_THAT(standin->podman_containers(), IsEmpty()) << "podman, label crun-standin.ns";
  }

  std::unique_ptr<AppleStandin> standin;
  std::vector<std::string> extra_env; // given to every crun-any of the case
};

class AppleBackend : public WithApple<::testing::Test> {};

// Whether `text` names option `names` (e.g. "-p" or "--publish") as a word.
bool names_option(const std::string& text, const std::vector<std::string>& names)
{
  return std::any_of(names.begin(), names.end(), [&](const std::string& name) {
    const std::regex word("(^|[^-A-Za-z0-9])" + name + "($|[^-A-Za-z0-9])");
    return std::regex_search(text, word);
  });
}

bool mentions_apple(std::string text)
{
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text.find("apple") != std::string::npos;
}

// ---------------------------------------------------------------- platform

TEST_F(AppleBackend, EveryPullAndRunCarriesThePlatformCrunAnyChoseWhateverTheEnvironmentSays)
{
  // A Mac user's shell may say CONTAINER_DEFAULT_PLATFORM: crun-any decides
  // the platform itself (here Apple's native linux/arm64, the user giving
  // none) and the CLI never sees the variable.
  const std::vector<std::string> env = {"CONTAINER_DEFAULT_PLATFORM=linux/amd64"};
  auto pull = crun({"pull", bench.image_multi}, env);
  ASSERT_EQ(pull.exit_code, 0) << pull.describe();
  EXPECT_EQ(pull.out, bench.image_multi + "@" + bench.digest_multi_arm64 + "\n");

  auto run = crun({"run", "--rm", bench.image_multi, "uname", "-m"}, env);
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  EXPECT_EQ(run.out, "aarch64\n");
  EXPECT_THAT(run.err, Not(HasSubstr("CONTAINER_DEFAULT_PLATFORM")));

  // One given by the user wins, as it is.
  auto amd64 =
    crun({"run", "--rm", "--platform", "linux/amd64", bench.image_multi, "uname", "-m"}, env);
  ASSERT_EQ(amd64.exit_code, 0) << amd64.describe();
  EXPECT_EQ(amd64.out, "x86_64\n");

  auto logged_runs = runs();
  ASSERT_EQ(logged_runs.size(), 2u);
  EXPECT_THAT(logged_runs[0].values({"--platform"}), ElementsAre("linux/arm64"));
  EXPECT_THAT(logged_runs[1].values({"--platform"}), ElementsAre("linux/amd64"));
  auto logged_pulls = pulls();
  ASSERT_FALSE(logged_pulls.empty());
  EXPECT_THAT(logged_pulls.front().values({"--platform"}), ElementsAre("linux/arm64"));
  for (const auto& call : logged_pulls) {
    EXPECT_THAT(call.values({"--platform"}), ElementsAre(AnyOf("linux/arm64", "linux/amd64")))
      << ::testing::PrintToString(call.argv);
  }
  for (const auto& entry : standin->log()) {
    EXPECT_FALSE(entry.at("env").contains("CONTAINER_DEFAULT_PLATFORM")) << entry.dump();
  }
}

TEST_F(AppleBackend, AnAmd64OnlyImageWithoutAPlatformIsRefusedBeforeAnyRun)
{
  // Apple runs linux/arm64 unless told otherwise, and never falls back.
  auto r = crun({"run", "--rm", bench.image_small, "true"});
  EXPECT_EQ(r.exit_code, 125) << r.describe();
  EXPECT_THAT(r.err, HasSubstr("has no linux/arm64 image; it has linux/amd64; to run it under "
                               "emulation, pass --platform linux/amd64"));
  EXPECT_THAT(runs(), IsEmpty());
  expect_no_container_left();
}

TEST_F(AppleBackend, RosettaAbsentGivesTheInstallHintAndArm64StillRuns)
{
  const std::vector<std::string> env = {"CRUN_STANDIN_ROSETTA=absent"};
  auto amd64 =
    crun({"run", "--rm", "--platform", "linux/amd64", bench.image_small, "echo", "ran"}, env);
  EXPECT_EQ(amd64.exit_code, 125) << amd64.describe();
  EXPECT_EQ(amd64.out, "");
  EXPECT_THAT(amd64.err, HasSubstr("softwareupdate --install-rosetta"));
  expect_no_container_left();

  auto arm64 =
    crun({"run", "--rm", "--platform", "linux/arm64", bench.image_multi, "uname", "-m"}, env);
  EXPECT_EQ(arm64.exit_code, 0) << arm64.describe();
  EXPECT_EQ(arm64.out, "aarch64\n");
}

// ------------------------------------------------------------- no shell

TEST_F(AppleBackend, ArgumentsReachTheWorkloadByteForByteWithoutAShell)
{
  // Through a shell, any of these would be expanded, split or run.
  const std::vector<std::string> tricky = {
    "$HOME",     "`id -u`",         "a  b",          "'single'",    "\"double\"",
    "*",         "; echo injected", "$(echo subst)", "back\\slash", "",
    "new\nline", "#hash",           "&& true",       "| cat",       "~"};
  const std::string env_value = "$(id) `x` * ; ok";
  const std::string label = "a b;c $HOME";
  std::vector<std::string> args = {"run",
                                   "--rm",
                                   "--platform",
                                   "linux/amd64",
                                   "-e",
                                   "V=" + env_value,
                                   "-l",
                                   "crun-test=" + label,
                                   bench.image_small,
                                   "sh",
                                   "-c",
                                   "printf '[%s]\\n' \"$V\" \"$@\"",
                                   "sh"};
  args.insert(args.end(), tricky.begin(), tricky.end());
  auto r = crun(args);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  std::string expected = "[" + env_value + "]\n";
  for (const auto& arg : tricky) {
    expected += "[" + arg + "]\n";
  }
  EXPECT_EQ(r.out, expected);

  auto logged = runs();
  ASSERT_EQ(logged.size(), 1u);
  const auto& positionals = logged[0].positionals;
  ASSERT_GE(positionals.size(), tricky.size());
  EXPECT_TRUE(std::equal(tricky.begin(), tricky.end(), positionals.end() - tricky.size()))
    << ::testing::PrintToString(positionals);
  // The environment as -e words, or in a private --env-file (not in the
  // process table); the output above shows its value arrived.
  auto env_words = logged[0].values({"-e", "--env"});
  EXPECT_TRUE(std::find(env_words.begin(), env_words.end(), "V=" + env_value) != env_words.end() ||
              logged[0].values({"--env-file"}).size() == 1)
    << ::testing::PrintToString(logged[0].argv);
  EXPECT_THAT(logged[0].values({"-l", "--label"}), Contains("crun-test=" + label));
  for (const auto& entry : standin->log()) {
    EXPECT_EQ(entry.at("argv0"), AppleStandin::executable()) << entry.dump();
  }
}

// -------------------------------------------------- no option dropped

TEST_F(AppleBackend, EachRunOptionGivenIsInTheRunArgvAndTakesEffect)
{
  crun::test::TempDir host("crun-apple-vol");
  {
    std::ofstream(host.path() + "/hello.txt") << "from-host";
  }
  const std::string name = crun::test::unique_name("opts");
  const std::string port = std::to_string(20000 + (::getpid() % 20000));
  ProcessOptions with_stdin;
  with_stdin.stdin_data = "from-stdin\n";
  auto r = crun({"run",
                 "--rm",
                 "-i",
                 "--platform",
                 "linux/amd64",
                 "-e",
                 "A=1",
                 "-v",
                 host.path() + ":/mnt",
                 "-p",
                 "127.0.0.1:" + port + ":80",
                 "--name",
                 name,
                 "-w",
                 "/tmp",
                 "-u",
                 "0:0",
                 "--entrypoint",
                 "sh",
                 "-l",
                 "crun-test=" + name,
                 bench.image_small,
                 "-c",
                 "echo $A $(pwd) $(id -u) $(cat /mnt/hello.txt) $(cat)"},
                {}, with_stdin);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_EQ(r.out, "1 /tmp 0 from-host from-stdin\n");

  auto logged = runs();
  ASSERT_EQ(logged.size(), 1u);
  const AppleCall& run = logged[0];
  SCOPED_TRACE(::testing::PrintToString(run.argv));
  EXPECT_TRUE(run.has({"--rm", "--remove"}));
  EXPECT_TRUE(run.has({"-i", "--interactive"}));
  auto env_words = run.values({"-e", "--env"}); // or a private --env-file: A=1 is in the output
  EXPECT_TRUE(std::find(env_words.begin(), env_words.end(), "A=1") != env_words.end() ||
              run.values({"--env-file"}).size() == 1);
  auto volumes = run.values({"-v", "--volume"});
  auto mounts = run.values({"--mount"});
  EXPECT_TRUE(std::find(volumes.begin(), volumes.end(), host.path() + ":/mnt") != volumes.end() ||
              std::any_of(mounts.begin(), mounts.end(),
                          [&](const std::string& m) {
                            return m.find(host.path()) != std::string::npos &&
                                   m.find("/mnt") != std::string::npos;
                          }))
    << "the bind mount of " << host.path();
  EXPECT_THAT(run.values({"-p", "--publish"}),
              Contains(AnyOf("127.0.0.1:" + port + ":80", "127.0.0.1:" + port + ":80/tcp")));
  EXPECT_THAT(run.values({"--name"}), ElementsAre(name));
  EXPECT_THAT(run.values({"-w", "--workdir", "--cwd"}), ElementsAre("/tmp"));
  EXPECT_TRUE(run.values({"-u", "--user"}) == std::vector<std::string>{"0:0"} ||
              (run.values({"--uid"}) == std::vector<std::string>{"0"} &&
               run.values({"--gid"}) == std::vector<std::string>{"0"}))
    << "the user 0:0";
  EXPECT_THAT(run.values({"--entrypoint"}), ElementsAre("sh"));
  EXPECT_THAT(run.values({"-l", "--label"}), Contains("crun-test=" + name));

  // -t and --network, on a terminal.
  auto tty = crun::test::run_in_pty(
    crun_argv({"run", "--rm", "-t", "--network", "none", "--platform", "linux/amd64",
               bench.image_small, "sh", "-c", "tty; echo done"}));
  EXPECT_EQ(tty.exit_code, 0) << tty.output;
  EXPECT_THAT(tty.output, HasSubstr("/dev/pts/"));
  logged = runs();
  ASSERT_EQ(logged.size(), 2u);
  EXPECT_TRUE(logged[1].has({"-t", "--tty"})) << ::testing::PrintToString(logged[1].argv);
  EXPECT_THAT(logged[1].values({"--network"}), ElementsAre("none"));

  // -d: the ID (the name on Apple) and a running container.
  const std::string detached = crun::test::unique_name("detached");
  auto d = crun({"run", "-d", "--name", detached, "--platform", "linux/amd64", bench.image_small,
                 "sleep", "300"});
  ASSERT_EQ(d.exit_code, 0) << d.describe();
  EXPECT_EQ(d.out, detached + "\n");
  EXPECT_THAT(d.err, HasSubstr("exit code")) << "the warning that it cannot be read later";
  logged = runs();
  ASSERT_EQ(logged.size(), 3u);
  EXPECT_TRUE(logged[2].has({"-d", "--detach"})) << ::testing::PrintToString(logged[2].argv);
  auto state = crun({"inspect", "--format", "{{.state.status}}", detached});
  EXPECT_EQ(state.out, "running\n") << state.describe();
}

TEST_F(AppleBackend, OptionsAppleLacksAreRefusedWith125NamingTheOptionAndApple)
{
  crun::test::TempDir host("crun-apple-vol");
  const std::vector<std::string> command = {"echo", "ran"};
  const struct {
    std::vector<std::string> args;  // between `run --rm --platform linux/amd64` and IMAGE
    std::vector<std::string> names; // how the message may name it
    bool with_command = true;
  } rows[] = {
    {{"-p", "80"}, {"-p", "--publish"}},   // a container port alone: Apple needs the host port
    {{"-v", "/data"}, {"-v", "--volume"}}, // an anonymous volume: Apple keeps it after --rm
    {{"-v", host.path() + ":/mnt:z"}, {"-v", "--volume"}}, // a mount option Apple does not know
    {{"--name", std::string(64, 'n')}, {"--name"}},        // Apple's IDs have at most 63 characters
    {{"--network", "host"}, {"--network"}},                // each Apple container is its own VM
    {{"--entrypoint", ""}, {"--entrypoint"}, false}, // no entrypoint and nothing to run instead
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(::testing::PrintToString(row.args));
    standin->clear_log();
    std::vector<std::string> args = {"run", "--rm", "--platform", "linux/amd64"};
    args.insert(args.end(), row.args.begin(), row.args.end());
    args.push_back(bench.image_small);
    if (row.with_command) {
      args.insert(args.end(), command.begin(), command.end());
    }
    auto r = crun(args);
    EXPECT_EQ(r.exit_code, 125) << r.describe();
    EXPECT_EQ(r.out, "");
    EXPECT_TRUE(names_option(r.err, row.names)) << r.err;
    EXPECT_TRUE(mentions_apple(r.err)) << r.err;
    EXPECT_THAT(runs(), IsEmpty()) << "a run was issued";
  }
  expect_no_container_left();
}

// ----------------------------------------------------- service, versions

TEST_F(AppleBackend, AStoppedServiceIsExit4Or125WithTheStartCommand)
{
  for (const char* service : {"stopped", "unregistered"}) {
    SCOPED_TRACE(service);
    const std::vector<std::string> env = {std::string("CRUN_STANDIN_SERVICE=") + service};
    for (std::string command : {"inspect", "pull", "run"}) {
      SCOPED_TRACE(command);
      std::vector<std::string> args = {command};
      if (command != "inspect") {
        args.insert(args.end(), {"--platform", "linux/amd64"});
      }
      args.push_back(bench.image_small);
      auto r = crun(args, env);
      EXPECT_EQ(r.exit_code, command == "run" ? 125 : 4) << r.describe();
      EXPECT_THAT(r.err, HasSubstr("container system start"));
      EXPECT_EQ(r.out, "");
    }
  }
  EXPECT_THAT(pulls(), IsEmpty());
  EXPECT_THAT(runs(), IsEmpty());
}

TEST_F(AppleBackend, ClientServerVersionSkewIsRefusedWithTheFix)
{
  const std::vector<std::string> env = {"CRUN_STANDIN_VERSION=1.2.2",
                                        "CRUN_STANDIN_SERVER_VERSION=1.4.1"};
  auto pull = crun({"pull", "--platform", "linux/amd64", bench.image_small}, env);
  EXPECT_NE(pull.exit_code, 0) << pull.describe();
  EXPECT_THAT(pull.err, HasSubstr("container system stop"));
  EXPECT_THAT(pull.err, HasSubstr("container system start"));
  auto run = crun({"run", "--rm", "--platform", "linux/amd64", bench.image_small, "true"}, env);
  EXPECT_EQ(run.exit_code, 125) << run.describe();
  EXPECT_THAT(run.err, HasSubstr("container system stop"));
  EXPECT_THAT(pulls(), IsEmpty());
  EXPECT_THAT(runs(), IsEmpty());
}

TEST_F(AppleBackend, HostIsAUsageErrorWithAppleAndNothingIsRun)
{
  auto r = crun({"--host", "unix://" + bench.dir + "/docker.sock", "pull", "--platform",
                 "linux/amd64", bench.image_small});
  EXPECT_EQ(r.exit_code, 2) << r.describe();
  EXPECT_THAT(r.err, HasSubstr("--host"));
  EXPECT_THAT(pulls(), IsEmpty());
}

TEST_F(AppleBackend, DoctorShowsAppleHealthyWithItsVersionsOrWhyNotAndTheFix)
{
  auto find_apple = [](const json& doc) -> const json* {
    if (!doc.contains("candidates")) {
      return nullptr;
    }
    for (const auto& c : doc.at("candidates")) {
      if (c.value("kind", json()) == "apple" || c.value("expected", json()) == "apple") {
        return &c;
      }
    }
    return nullptr;
  };

  auto healthy = crun({"doctor", "--json"});
  EXPECT_EQ(healthy.exit_code, 0) << healthy.describe();
  json doc = json::parse(healthy.out, nullptr, false);
  ASSERT_FALSE(doc.is_discarded()) << healthy.describe();
  const json* apple = find_apple(doc);
  ASSERT_NE(apple, nullptr) << doc.dump(2);
  EXPECT_EQ(apple->at("health"), "healthy") << apple->dump(2);
  EXPECT_EQ(apple->at("chosen"), true) << apple->dump(2);
  EXPECT_THAT(apple->at("version").dump(), HasSubstr("1.2.2")) << apple->dump(2);
  EXPECT_THAT(apple->dump(), HasSubstr(AppleStandin::executable())) << "the CLI it found";

  auto stopped = crun({"doctor", "--json"}, {"CRUN_STANDIN_SERVICE=stopped"});
  EXPECT_EQ(stopped.exit_code, 4) << stopped.describe();
  json down = json::parse(stopped.out, nullptr, false);
  ASSERT_FALSE(down.is_discarded()) << stopped.describe();
  apple = find_apple(down);
  ASSERT_NE(apple, nullptr) << down.dump(2);
  EXPECT_NE(apple->at("health"), "healthy") << apple->dump(2);
  EXPECT_THAT(apple->value("fix", json()).dump(), HasSubstr("container system start"))
    << apple->dump(2);
}

// Each modelled generation of the CLI: its own JSON shapes (0.x compact with
// old keys, 1.2 sorted, 1.4.1 status reshaped), `--scheme auto` gone from 1.3.
class AppleVersion : public WithApple<::testing::TestWithParam<std::string>> {
protected:
  void SetUp() override
  {
    extra_env = {"CRUN_STANDIN_VERSION=" + GetParam()};
    WithApple::SetUp();
  }
};

TEST_P(AppleVersion, PullRunAndInspectWork)
{
  auto pull = crun({"pull", "--platform", "linux/amd64", bench.image_small});
  ASSERT_EQ(pull.exit_code, 0) << pull.describe();
  EXPECT_EQ(pull.out, bench.image_small + "@" + bench.digest_small + "\n");

  auto image =
    crun({"inspect", "--format", "{{.digest}} {{.platform.architecture}}", bench.image_small});
  EXPECT_EQ(image.exit_code, 0) << image.describe();
  EXPECT_EQ(image.out, bench.digest_small + " amd64\n");

  auto multi = crun({"pull", "--platform", "linux/arm64", bench.image_multi});
  ASSERT_EQ(multi.exit_code, 0) << multi.describe();
  EXPECT_EQ(multi.out, bench.image_multi + "@" + bench.digest_multi_arm64 + "\n");

  const std::string name = crun::test::unique_name("version");
  auto run = crun({"run", "--name", name, "--platform", "linux/amd64", bench.image_small, "sh",
                   "-c", "echo hi; exit 3"});
  EXPECT_EQ(run.exit_code, 3) << run.describe();
  EXPECT_EQ(run.out, "hi\n");

  auto container = crun(
    {"inspect", "--type", "container", "--format", "{{.kind}} {{.name}} {{.state.status}}", name});
  EXPECT_EQ(container.exit_code, 0) << container.describe();
  EXPECT_EQ(container.out, "container " + name + " exited\n");

  auto missing = crun({"inspect", "no-such-thing-xyz"});
  EXPECT_EQ(missing.exit_code, 1) << missing.describe();
  EXPECT_THAT(missing.err, HasSubstr("no-such-thing-xyz"));

  // The bench registry is plain HTTP on loopback: said explicitly, never `auto`.
  for (const auto& call : pulls()) {
    EXPECT_THAT(call.values({"--scheme"}), ElementsAre("http"))
      << ::testing::PrintToString(call.argv);
  }

  auto doctor = crun({"doctor", "--json"});
  EXPECT_EQ(doctor.exit_code, 0) << doctor.describe();
  EXPECT_THAT(doctor.out, HasSubstr(GetParam())) << "the version it read";
}

std::string version_name(const ::testing::TestParamInfo<std::string>& param)
{
  std::string name = "v" + param.param;
  std::replace(name.begin(), name.end(), '.', '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(Versions, AppleVersion,
                         ::testing::Values("0.12.0", "1.2.2", "1.3.1", "1.4.1"), version_name);

// ---------------------------------------------------- stdin, --rm, Ctrl-C

TEST_F(AppleBackend, MoreThan64KiBOfStdinArriveByteExact)
{
  std::string data(1024 * 1024 + 17, '\0');
  std::mt19937 random(8); // every byte value, NULs and newlines included
  for (auto& byte : data) {
    byte = static_cast<char>(random() & 0xff);
  }
  ProcessOptions options;
  options.stdin_data = data;
  auto r = crun({"run", "--rm", "-i", "--platform", "linux/amd64", bench.image_small, "sh", "-c",
                 "sha256sum; echo"},
                {}, options);
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_EQ(r.out, crun::test::sha256_hex(data) + "  -\n\n");
}

TEST_F(AppleBackend, RmAndCtrlCLeaveNoContainerInAppleNorInPodman)
{
  auto rm = crun({"run", "--rm", "--platform", "linux/amd64", bench.image_small, "true"});
  EXPECT_EQ(rm.exit_code, 0) << rm.describe();
  expect_no_container_left();

  ChildProcess child;
  child.start(crun_argv({"run", "--rm", "--platform", "linux/amd64", bench.image_small, "sh", "-c",
                         "echo started; sleep 600"}));
  ASSERT_TRUE(child.wait_for_output("started", std::chrono::seconds(60))) << child.err();
  EXPECT_EQ(standin->containers().size(), 1u);
  EXPECT_EQ(standin->podman_containers().size(), 1u);
  // The shell as PID 1 ignores SIGINT: a second one makes crun-any kill it.
  child.send(SIGINT);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  child.send(SIGINT);
  auto r = child.wait();
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.exit_code, 137) << r.describe();
  expect_no_container_left();
}

} // namespace
