// `crun-any exec` against the bench's real engines (and Apple's CLI through
// its stand-in): exit codes, stdout and stderr bytes, stdin, the options, a
// terminal, and the containers it cannot exec in. Each case starts its own
// container with `crun-any run -d` and removes it afterwards.
#include "support/bench.hpp"
#include "support/bench_fixtures.hpp"
#include "support/process.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>
#include <map>
#include <memory>
#include <thread>

namespace {

using crun::test::Defer;
using crun::test::ProcessOptions;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// The cases the stand-in of Apple's `container` cannot show, each skipped on
// apple only with its reason; every other case runs there as it does on
// docker and podman.
const std::map<std::string, std::string, std::less<>> k_apple_unmodelled = {
  {"AMissingCommandIs127AndANonExecutableOne126",
   "what Apple's CLI prints and exits with for an exec whose executable cannot start was not "
   "read: the stand-in refuses to model it (exit 70)"},
  {"AnInterruptEndsCrunAnyAndTheCommandRunsOn",
   "Apple's CLI forwards SIGINT and SIGTERM to the exec'd process (ContainerExec.swift), "
   "unlike the docker CLI; crun-any passes a signal on to it"},
};

class Exec : public crun::test::EngineTest {
protected:
  void SetUp() override
  {
    EngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure() || !is_apple()) {
      return;
    }
    std::string_view name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    name = name.substr(0, name.find('/'));
    if (auto it = k_apple_unmodelled.find(name); it != k_apple_unmodelled.end()) {
      GTEST_SKIP() << "apple: " << it->second;
    }
  }

  // A running container of the small image (`sleep 300`), removed after the
  // test; its name.
  std::string start_container()
  {
    std::string name = crun::test::unique_name("exec");
    auto r = crun({"run", "-d", "--name", name, bench.image_small, "sleep", "300"});
    EXPECT_EQ(r.exit_code, 0) << r.describe();
    m_cleanups.push_back(std::make_unique<Defer>([this, name] { remove_container(name); }));
    return name;
  }

private:
  std::vector<std::unique_ptr<Defer>> m_cleanups;
};

TEST_P(Exec, ExitCodesAreTheCommands)
{
  std::string c = start_container();
  auto ok = crun({"exec", c, "sh", "-c", "exit 0"});
  EXPECT_EQ(ok.exit_code, 0) << ok.describe();
  EXPECT_EQ(ok.out, "");
  EXPECT_EQ(ok.err, "");
  auto code = crun({"exec", c, "sh", "-c", "exit 42"});
  EXPECT_EQ(code.exit_code, 42) << code.describe();
  EXPECT_EQ(code.err, "");
  auto killed = crun({"exec", c, "sh", "-c", "kill -9 $$"});
  EXPECT_EQ(killed.exit_code, 137) << killed.describe();
}

TEST_P(Exec, AMissingCommandIs127AndANonExecutableOne126)
{
  std::string c = start_container();
  auto missing = crun({"exec", c, "crun-no-such-command"});
  EXPECT_EQ(missing.exit_code, 127) << missing.describe();
  EXPECT_THAT(missing.err, HasSubstr("crun-no-such-command"));
  EXPECT_THAT(missing.err, HasSubstr("not found"));
  auto not_executable = crun({"exec", c, "/etc/passwd"});
  EXPECT_EQ(not_executable.exit_code, 126) << not_executable.describe();
  EXPECT_THAT(not_executable.err, HasSubstr("/etc/passwd"));
  EXPECT_THAT(not_executable.err, HasSubstr("permission denied"));
}

TEST_P(Exec, StdoutAndStderrStayApart)
{
  std::string c = start_container();
  auto r = crun({"exec", c, "sh", "-c", "echo out; echo err >&2; printf 'x\\000y'"});
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_EQ(r.out, std::string("out\nx\0y", 7));
  EXPECT_EQ(r.err, "err\n");
}

TEST_P(Exec, InteractiveForwardsStdinAndItsEndEndsTheCommand)
{
  std::string c = start_container();
  ProcessOptions options;
  options.stdin_data = "hello\nworld";
  options.timeout = std::chrono::seconds(60);
  auto r = crun({"exec", "-i", c, "cat"}, options);
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_EQ(r.out, "hello\nworld");
  // Without -i, stdin is not the command's: cat ends at once.
  auto closed = crun({"exec", c, "cat"}, options);
  EXPECT_EQ(closed.exit_code, 0) << closed.describe();
  EXPECT_EQ(closed.out, "");
}

TEST_P(Exec, EnvUserAndWorkdir)
{
  std::string c = start_container();
  ProcessOptions options;
  options.env_set = {"CRUN_EXEC_FROM_HERE=inherited"};
  auto env = crun({"exec", "-e", "A=1 2", "-e", "CRUN_EXEC_FROM_HERE", "-e", "CRUN_EXEC_UNSET", c,
                   "sh", "-c", "echo \"$A|$CRUN_EXEC_FROM_HERE|${CRUN_EXEC_UNSET-unset}\""},
                  options);
  EXPECT_EQ(env.exit_code, 0) << env.describe();
  EXPECT_EQ(env.out, "1 2|inherited|unset\n");
  auto user = crun({"exec", "-u", "1234", c, "id", "-u"});
  EXPECT_EQ(user.exit_code, 0) << user.describe();
  EXPECT_EQ(user.out, "1234\n");
  auto dir = crun({"exec", "-w", "/tmp", c, "pwd"});
  EXPECT_EQ(dir.exit_code, 0) << dir.describe();
  EXPECT_EQ(dir.out, "/tmp\n");
}

TEST_P(Exec, OptionsAfterTheContainerAreTheCommands)
{
  std::string c = start_container();
  auto r = crun({"exec", c, "sh", "-c", "echo \"$@\"", "sh", "-i", "-t", "-e", "X=1", "--help"});
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_EQ(r.out, "-i -t -e X=1 --help\n");
}

TEST_P(Exec, TtyGivesTheCommandATerminal)
{
  std::string c = start_container();
  // The small image is busybox without `tty`: its stdin's name and `test -t`.
  auto r = crun::test::run_in_pty(
    crun_argv({"exec", "-t", c, "sh", "-c",
               "readlink /proc/self/fd/0; test -t 1 && echo is-a-tty; exit 3"}),
    {}, std::chrono::seconds(60));
  EXPECT_EQ(r.exit_code, 3) << r.describe();
  EXPECT_THAT(r.output, HasSubstr("/dev/pts/")) << r.describe();
  EXPECT_THAT(r.output, HasSubstr("is-a-tty")) << r.describe();
  auto plain = crun({"exec", c, "sh", "-c", "test -t 1 && echo is-a-tty || echo not-a-tty"});
  EXPECT_EQ(plain.exit_code, 0) << plain.describe();
  EXPECT_EQ(plain.out, "not-a-tty\n") << plain.describe();
}

TEST_P(Exec, AnInterruptEndsCrunAnyAndTheCommandRunsOn)
{
  // As the docker CLI: no engine can signal an exec'd process, so an
  // interrupt ends crun-any (128+SIGINT) and leaves the process running.
  std::string c = start_container();
  crun::test::ChildProcess child;
  child.start(crun_argv(
    {"exec", c, "sh", "-c", "echo started; sleep 2; echo finished > /tmp/crun-exec-after"}));
  ASSERT_TRUE(child.wait_for_output("started", std::chrono::seconds(30)));
  ASSERT_TRUE(child.send(SIGINT));
  auto r = child.wait();
  EXPECT_EQ(r.exit_code, 130) << r.describe();
  EXPECT_LT(r.elapsed, std::chrono::seconds(30)) << r.describe();
  std::string seen;
  for (int i = 0; i < 100 && seen != "finished\n"; ++i) {
    seen = crun({"exec", c, "sh", "-c", "cat /tmp/crun-exec-after 2>/dev/null"}).out;
    if (seen != "finished\n") {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  EXPECT_EQ(seen, "finished\n") << "the process ran on after crun-any ended";
}

TEST_P(Exec, DetachStartsTheCommandAndReturns)
{
  std::string c = start_container();
  auto d = crun({"exec", "-d", c, "sh", "-c", "echo done > /tmp/crun-exec-detached"});
  EXPECT_EQ(d.exit_code, 0) << d.describe();
  EXPECT_EQ(d.out, "");
  std::string seen;
  for (int i = 0; i < 50 && seen != "done\n"; ++i) {
    seen = crun({"exec", c, "cat", "/tmp/crun-exec-detached"}).out;
    if (seen != "done\n") {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  EXPECT_EQ(seen, "done\n");
}

TEST_P(Exec, AMissingOrStoppedContainerIs125NamingItAndTheFix)
{
  std::string missing = crun::test::unique_name("exec-missing");
  auto none = crun({"exec", missing, "true"});
  EXPECT_EQ(none.exit_code, 125) << none.describe();
  // On apple the CLI's own `Error:` line comes first, as it printed it.
  EXPECT_THAT(none.err, HasSubstr("crun-any: error: no such container: " + missing));
  if (!is_apple()) {
    EXPECT_THAT(none.err, StartsWith("crun-any: error: "));
  }
  EXPECT_EQ(none.out, "");

  std::string stopped = crun::test::unique_name("exec-stopped");
  auto run = crun({"run", "--name", stopped, bench.image_small, "true"});
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  Defer cleanup([&] { remove_container(stopped); });
  auto r = crun({"exec", stopped, "true"});
  EXPECT_EQ(r.exit_code, 125) << r.describe();
  EXPECT_THAT(
    r.err, HasSubstr("crun-any: error: container " + stopped + " is not running: start it first"));
  if (!is_apple()) {
    EXPECT_THAT(r.err, StartsWith("crun-any: error: "));
  }
}

TEST_P(Exec, NoCommandIsAUsageError)
{
  auto r = crun({"exec", "somecontainer"});
  EXPECT_EQ(r.exit_code, 125) << r.describe();
  EXPECT_THAT(r.err, HasSubstr("exec needs a CONTAINER and a COMMAND"));
}

INSTANTIATE_TEST_SUITE_P(Engines, Exec, crun::test::bench_engines_and_apple(),
                         crun::test::backend_name);

} // namespace
