// The process runner against real, local programs (/bin/sh, /bin/cat, ...).

#include <crun/transport/process.hpp>

#include "support/error_of.hpp"

#include <crun/transport/run_process.hpp>

#include <gtest/gtest.h>

#include <fcntl.h>
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <sstream>

namespace crun::transport {
namespace {

using namespace std::chrono_literals;
using test::error_of;

ProcessSpec shell(const std::string& script)
{
  ProcessSpec spec;
  spec.executable = "/bin/sh";
  spec.argv = {"sh", "-c", script};
  spec.env = Env({{"PATH", "/usr/bin:/bin"}});
  spec.out = ChildStream::pipe();
  spec.err = ChildStream::pipe();
  return spec;
}

CompletedProcess completed(const ProcessSpec& spec, std::string_view input = {},
                           const RunLimits& limits = {})
{
  auto outcome = run_process(spec, input, limits);
  if (auto* failure = std::get_if<StartFailure>(&outcome)) {
    ADD_FAILURE() << "could not start " << spec.executable << ": " << failure->str();
    return {};
  }
  return std::get<CompletedProcess>(outcome);
}

StartFailure start_failure(const ProcessSpec& spec)
{
  auto outcome = run_process(spec, {});
  if (auto* failure = std::get_if<StartFailure>(&outcome)) {
    return *failure;
  }
  ADD_FAILURE() << spec.executable << " started";
  return {};
}

// A pseudo-random text, so that a reordered or dropped block shows.
std::string payload(std::size_t size)
{
  std::string text;
  text.reserve(size);
  unsigned state = 12345;
  while (text.size() < size) {
    state = state * 1103515245u + 12345u;
    text += static_cast<char>('a' + (state >> 16) % 26);
    if (text.size() % 61 == 0) {
      text += '\n';
    }
  }
  text.resize(size);
  return text;
}

TEST(RunProcess, ReportsTheExitCode)
{
  for (int code : {0, 1, 3, 125, 255}) {
    SCOPED_TRACE(code);
    auto done = completed(shell("exit " + std::to_string(code)));
    EXPECT_EQ(done.status, (ExitStatus{code, 0}));
    EXPECT_EQ(done.status.shell_code(), code);
    EXPECT_EQ(done.status.str(), "exit " + std::to_string(code));
    EXPECT_FALSE(done.timed_out);
    EXPECT_FALSE(done.over_limit);
  }
}

TEST(RunProcess, ReportsTheSignalThatEndedIt)
{
  auto done = completed(shell("kill -TERM $$; sleep 5"));
  EXPECT_EQ(done.status, (ExitStatus{0, SIGTERM}));
  EXPECT_EQ(done.status.shell_code(), 128 + SIGTERM);
  EXPECT_EQ(done.status.str(), "killed by signal 15");
}

TEST(RunProcess, CapturesStdoutAndStderrApart)
{
  auto done = completed(shell("echo out; echo err >&2; echo more"));
  EXPECT_EQ(done.status.shell_code(), 0);
  EXPECT_EQ(done.out, "out\nmore\n");
  EXPECT_EQ(done.err, "err\n");
}

TEST(RunProcess, PassesTheArgumentVectorUntouchedAndNoShell)
{
  ProcessSpec spec = shell("");
  spec.argv = {"sh", "-c", "printf '[%s]' \"$@\"", "zero", "a b", "$HOME", "*", "'q'", ""};
  EXPECT_EQ(completed(spec).out, "[a b][$HOME][*]['q'][]");
}

TEST(RunProcess, GivesTheProgramItsPathAsArgv0WhenNoneIsGiven)
{
  ProcessSpec spec = shell("");
  spec.argv = {};
  spec.executable = "/bin/echo";
  EXPECT_EQ(completed(spec).out, "\n");
  spec.executable = "/bin/sh";
  spec.argv = {};
  spec.in = ChildStream::pipe();
  EXPECT_EQ(completed(spec, "echo \"$0\"").out, "/bin/sh\n");
}

TEST(RunProcess, GivesTheChildExactlyTheEnvironmentAsked)
{
  ProcessSpec spec = shell("");
  spec.executable = "/usr/bin/env";
  spec.argv = {"env"};
  spec.env = Env({{"A", "1"}, {"B", "two words"}, {"EMPTY", ""}});
  EXPECT_EQ(completed(spec).out, "A=1\nB=two words\nEMPTY=\n");
}

TEST(RunProcess, WritesInputAndClosesIt)
{
  ProcessSpec spec = shell("cat; echo end");
  spec.in = ChildStream::pipe();
  auto done = completed(spec, "hello\n");
  EXPECT_EQ(done.out, "hello\nend\n");
  EXPECT_EQ(done.status.shell_code(), 0);
}

// cat writes back while it reads: a runner that wrote all of stdin before
// reading stdout would block on full pipes both ways.
TEST(RunProcess, MovesMoreThanAPipeBufferBothWaysWithoutDeadlock)
{
  std::string input = payload(1024 * 1024);
  ProcessSpec spec = shell("cat; head -c 300000 /dev/zero >&2; cat /dev/null");
  spec.in = ChildStream::pipe();
  auto done = completed(spec, input, RunLimits{60s, std::numeric_limits<std::size_t>::max()});
  EXPECT_FALSE(done.timed_out);
  EXPECT_EQ(done.status.shell_code(), 0);
  EXPECT_EQ(done.out.size(), input.size());
  EXPECT_TRUE(done.out == input) << "stdout differs from stdin";
  EXPECT_EQ(done.err, std::string(300000, '\0'));
}

TEST(RunProcess, SurvivesAChildThatClosesItsStdinEarly)
{
  ProcessSpec spec = shell("exec 0<&-; echo done");
  spec.in = ChildStream::pipe();
  auto done = completed(spec, payload(1024 * 1024));
  EXPECT_EQ(done.out, "done\n");
  EXPECT_EQ(done.status.shell_code(), 0);
}

TEST(RunProcess, KillsAChildThatOutlivesTheTimeout)
{
  auto done = completed(shell("echo started; exec sleep 30"), {}, RunLimits{200ms});
  EXPECT_TRUE(done.timed_out);
  EXPECT_EQ(done.status, (ExitStatus{0, SIGKILL}));
  EXPECT_EQ(done.out, "started\n");
}

TEST(RunProcess, KillsAChildThatClosedItsOutputButRunsOn)
{
  auto done = completed(shell("exec >&- 2>&-; exec sleep 30"), {}, RunLimits{200ms});
  EXPECT_TRUE(done.timed_out);
  EXPECT_EQ(done.status, (ExitStatus{0, SIGKILL}));
}

TEST(RunProcess, KillsAChildThatWritesTooMuch)
{
  ProcessSpec spec = shell("");
  spec.executable = "/usr/bin/yes";
  spec.argv = {"yes"};
  auto done = completed(spec, {}, RunLimits{std::nullopt, 100000});
  EXPECT_TRUE(done.over_limit);
  EXPECT_FALSE(done.timed_out);
  EXPECT_GT(done.out.size(), 100000u);
  EXPECT_EQ(done.status, (ExitStatus{0, SIGKILL}));
}

TEST(RunProcess, SaysWhyAProgramCannotBeStarted)
{
  ProcessSpec missing = shell("");
  missing.executable = "/nonexistent/program";
  auto failure = start_failure(missing);
  EXPECT_EQ(failure.call, "execve");
  EXPECT_EQ(failure.error, ENOENT);
  EXPECT_EQ(failure.str(), "No such file or directory");

  ProcessSpec not_executable = shell("");
  not_executable.executable = "/etc/passwd";
  failure = start_failure(not_executable);
  EXPECT_EQ(failure.error, EACCES);
  EXPECT_EQ(failure.str(), "Permission denied");

  EXPECT_EQ((StartFailure{"fork", EAGAIN}).str(), "fork: Resource temporarily unavailable");
}

TEST(RunProcess, RefusesInputForAChildWithoutAStdinPipe)
{
  auto error = error_of([] { run_process(shell("true"), "x"); });
  EXPECT_EQ(error.code(), Errc::internal);
  EXPECT_EQ(error.message(), "cannot give /bin/sh its input: its stdin is not a pipe");
}

TEST(RunProcess, ClosesEveryOtherDescriptorInTheChild)
{
  // Inheritable on purpose: without the runner's closing, the child has it.
  int fd = ::open("/dev/null", O_RDONLY);
  ASSERT_GE(fd, 3);
  auto done = completed(shell("if { true <&" + std::to_string(fd) +
                              "; } 2>/dev/null; then echo open; else echo closed; fi"));
  ::close(fd);
  EXPECT_EQ(done.out, "closed\n");
}

TEST(RunProcess, SendsAStreamToADescriptorOfTheCallers)
{
  char name[] = "/tmp/crun-process-XXXXXX";
  int fd = ::mkstemp(name);
  ASSERT_GE(fd, 0);
  ProcessSpec spec = shell("echo out; echo err >&2");
  spec.out = ChildStream::descriptor(fd);
  spec.err = ChildStream::descriptor(fd);
  auto done = completed(spec);
  ::close(fd);
  std::stringstream text;
  text << std::ifstream(name).rdbuf();
  std::remove(name);
  EXPECT_EQ(done.out, "");
  EXPECT_EQ(text.str(), "out\nerr\n");
}

TEST(RunProcess, ResetsBlockedAndIgnoredSignals)
{
  // As crun-any's threads run: SIGTERM blocked, SIGINT ignored.
  sigset_t term;
  sigset_t old_mask;
  sigemptyset(&term);
  sigaddset(&term, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &term, &old_mask);
  auto old_int = std::signal(SIGINT, SIG_IGN);
  auto by_term = completed(shell("kill -TERM $$; exit 7"));
  auto by_int = completed(shell("kill -INT $$; exit 7"));
  std::signal(SIGINT, old_int);
  pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
  EXPECT_EQ(by_term.status, (ExitStatus{0, SIGTERM}));
  EXPECT_EQ(by_int.status, (ExitStatus{0, SIGINT}));
}

ChildProcess started(const ProcessSpec& spec)
{
  auto outcome = start_process(spec);
  if (auto* failure = std::get_if<StartFailure>(&outcome)) {
    ADD_FAILURE() << failure->str();
    std::abort();
  }
  return std::move(std::get<ChildProcess>(outcome));
}

TEST(ChildProcess, StopsWithSigtermThenSigkill)
{
  ChildProcess polite = started(shell("exec sleep 30"));
  EXPECT_EQ(polite.try_wait(), std::nullopt);
  EXPECT_EQ(polite.stop(10s), (ExitStatus{0, SIGTERM}));

  ProcessSpec stubborn_spec = shell("trap '' TERM; echo ready; while :; do sleep 1; done");
  ChildProcess stubborn = started(stubborn_spec);
  char ready[6] = {};
  ASSERT_EQ(::read(stubborn.stdout_pipe().get(), ready, 6), 6); // the trap is set
  EXPECT_EQ(stubborn.stop(100ms), (ExitStatus{0, SIGKILL}));
}

TEST(ChildProcess, LeavesNoProcessBehindWhenDropped)
{
  int pid = 0;
  {
    ChildProcess child = started(shell("exec sleep 30"));
    pid = child.pid();
    ASSERT_EQ(::kill(pid, 0), 0);
  }
  EXPECT_EQ(::kill(pid, 0), -1); // killed and reaped: no such process
  EXPECT_EQ(errno, ESRCH);
}

TEST(ChildProcess, StartsInASessionOfItsOwnWhenAsked)
{
  ProcessSpec spec = shell("exec sleep 30");
  spec.new_session = true;
  ChildProcess child = started(spec);
  // setsid happens in the child before exec: once its exec is reported, it is done.
  EXPECT_EQ(::getsid(child.pid()), child.pid());
  ChildProcess same = started(shell("exec sleep 30"));
  EXPECT_EQ(::getsid(same.pid()), ::getsid(0));
}

// Everything the controller reads until the child has closed its terminal
// (Linux reports EIO there, macOS end of file).
std::string read_terminal(int fd)
{
  std::string out;
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return out;
    }
    out.append(buf, static_cast<std::size_t>(n));
  }
}

TEST(ChildProcess, GetsAPseudoTerminalAsItsControllingTerminalWhenAsked)
{
  ProcessSpec spec = shell("test -t 0 && test -t 1 && test -t 2 && echo all-terminals; "
                           ": </dev/tty && echo controlling; stty size; read line; echo got:$line");
  spec.in = ChildStream::terminal();
  spec.out = ChildStream::terminal();
  spec.err = ChildStream::terminal();
  spec.terminal_rows = 33;
  spec.terminal_cols = 111;
  auto started = start_process(spec);
  ASSERT_TRUE(std::holds_alternative<ChildProcess>(started));
  auto& child = std::get<ChildProcess>(started);
  ASSERT_GE(child.terminal().get(), 0);
  EXPECT_EQ(child.stdout_pipe().get(), -1);
  ASSERT_EQ(::write(child.terminal().get(), "hello\n", 6), 6);
  std::string out = read_terminal(child.terminal().get());
  EXPECT_EQ(child.wait(), (ExitStatus{0, 0}));
  // The terminal echoes the input and turns "\n" into "\r\n".
  EXPECT_NE(out.find("all-terminals\r\n"), std::string::npos) << out;
  EXPECT_NE(out.find("controlling\r\n"), std::string::npos) << out;
  EXPECT_NE(out.find("33 111\r\n"), std::string::npos) << out;
  EXPECT_NE(out.find("got:hello\r\n"), std::string::npos) << out;
}

TEST(ChildProcess, MixesATerminalWithPipes)
{
  ProcessSpec spec = shell("test -t 0 && echo in-is-terminal; test -t 1 || echo out-is-not");
  spec.in = ChildStream::terminal();
  auto result = start_process(spec);
  ASSERT_TRUE(std::holds_alternative<ChildProcess>(result));
  auto& child = std::get<ChildProcess>(result);
  std::string out = read_terminal(child.stdout_pipe().get());
  EXPECT_EQ(child.wait(), (ExitStatus{0, 0}));
  EXPECT_EQ(out, "in-is-terminal\nout-is-not\n");
}

TEST(ChildProcess, ReleasedItRunsOn)
{
  int pid = 0;
  {
    ChildProcess child = started(shell("exec sleep 30"));
    pid = child.pid();
    child.release();
  }
  EXPECT_EQ(::kill(pid, 0), 0);
  ::kill(pid, SIGKILL);
  int status = 0;
  EXPECT_EQ(::waitpid(pid, &status, 0), pid);
}

} // namespace
} // namespace crun::transport
