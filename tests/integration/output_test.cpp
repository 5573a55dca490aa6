// crun-any's own standard streams when they are not what a terminal gives:
// a reader that goes away (`| head -1`), a full device (`>/dev/full`), a
// descriptor closed at start (`>&-`, `<&-`). Each case spawns the real binary
// with its descriptors arranged by hand (ChildProcess always gives pipes) and
// checks what a user would: the exit code, the message, how long it took, and
// that the engine no longer has the container.
#include "support/bench.hpp"
#include "support/bench_fixtures.hpp"
#include "support/process.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

constexpr int k_closed = -1; // a descriptor the child starts with closed

// An O_CLOEXEC pipe: only the descriptor dup2'ed onto the child's 0/1/2 is
// inherited, so the test's closing of its end is the only reader going away.
struct Pipe {
  Pipe() { EXPECT_EQ(::pipe2(fds, O_CLOEXEC), 0); }
  ~Pipe()
  {
    close_read();
    close_write();
  }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;
  void close_read() { close_fd(fds[0]); }
  void close_write() { close_fd(fds[1]); }
  static void close_fd(int& fd)
  {
    if (fd >= 0) {
      ::close(fd);
      fd = -1;
    }
  }
  int fds[2] = {-1, -1};
};

// A file the child writes its stderr to, read back after it exits.
struct CapturedFile {
  CapturedFile()
  {
    char name[] = "/tmp/crun-output-test-XXXXXX";
    fd = ::mkostemp(name, O_CLOEXEC);
    EXPECT_GE(fd, 0);
    path = name;
  }
  ~CapturedFile()
  {
    ::close(fd);
    ::unlink(path.c_str());
  }
  CapturedFile(const CapturedFile&) = delete;
  CapturedFile& operator=(const CapturedFile&) = delete;
  std::string text() const
  {
    std::ifstream in(path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }
  int fd = -1;
  std::string path;
};

// Starts argv (argv[0] an absolute path) with `in`, `out` and `err` as its
// 0, 1 and 2 (k_closed: closed), in a process group of its own.
pid_t spawn(const std::vector<std::string>& argv, int in, int out, int err)
{
  std::vector<char*> cargv;
  cargv.reserve(argv.size() + 1);
  for (const auto& arg : argv) {
    cargv.push_back(const_cast<char*>(arg.c_str()));
  }
  cargv.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid == 0) {
    // Only async-signal-safe calls between fork and exec.
    ::setpgid(0, 0);
    const int wanted[3] = {in, out, err};
    for (int target = 0; target < 3; ++target) {
      if (wanted[target] == k_closed) {
        ::close(target);
      } else if (wanted[target] != target) {
        ::dup2(wanted[target], target);
      }
    }
    ::execv(cargv[0], cargv.data());
    ::_exit(127);
  }
  return pid;
}

struct Exit {
  bool timed_out = false;
  int status = 0; // waitpid's
  std::chrono::milliseconds elapsed{0};
  std::string describe() const
  {
    if (timed_out) {
      return "timed out";
    }
    if (WIFSIGNALED(status)) {
      return "signal " + std::to_string(WTERMSIG(status));
    }
    return "exit " + std::to_string(WEXITSTATUS(status));
  }
  int code() const { return WIFEXITED(status) ? WEXITSTATUS(status) : -1; }
};

// Waits for `pid` up to `timeout`, then kills its group and reports it.
Exit wait_for(pid_t pid, std::chrono::seconds timeout,
              std::chrono::steady_clock::time_point started)
{
  Exit exit;
  while (true) {
    pid_t done = ::waitpid(pid, &exit.status, WNOHANG);
    exit.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
    if (done == pid) {
      return exit;
    }
    if (exit.elapsed > timeout) {
      ::kill(-pid, SIGKILL);
      ::waitpid(pid, &exit.status, 0);
      exit.timed_out = true;
      return exit;
    }
    std::this_thread::sleep_for(50ms);
  }
}

// Reads `fd` up to the first newline (or its end); what it read.
std::string read_line(int fd)
{
  std::string line;
  char c = 0;
  while (::read(fd, &c, 1) == 1) {
    line += c;
    if (c == '\n') {
      break;
    }
  }
  return line;
}

// Reads `fd` to its end, or for at most `timeout` (a child that never
// closes it must fail the test, not hang it).
std::string read_all(int fd, std::chrono::seconds timeout)
{
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string data;
  char buf[4096];
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
    pollfd pfd{fd, POLLIN, 0};
    if (left.count() <= 0 || ::poll(&pfd, 1, static_cast<int>(left.count())) <= 0) {
      return data;
    }
    ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n <= 0) {
      return data;
    }
    data.append(buf, static_cast<std::size_t>(n));
  }
}

class BrokenOutput : public crun::test::EngineTest {
protected:
  void pull_small() const
  {
    auto r = crun({"pull", "-q", bench.image_small});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
  }

  // Whether the engine still has a container of that name (its own CLI).
  bool container_exists(const std::string& name) const
  {
    return engine_cli({"container", "inspect", name}).exit_code == 0;
  }

  // `crun-any run --rm --name <unique> IMG sh -c <script>` whose `stream`
  // (1 or 2) goes into a pipe the test closes after one line; returns how
  // it ended and its stderr (when stream is 1).
  void run_into_a_reader_that_goes_away(int stream, const std::string& script,
                                        std::optional<int> expected_code = 141)
  {
    pull_small();
    std::string name = crun::test::unique_name("pipe");
    crun::test::Defer cleanup([&] { remove_container(name); });
    Pipe pipe;
    CapturedFile err;
    auto argv = crun_argv({"run", "--rm", "--name", name, bench.image_small, "sh", "-c", script});
    int devnull = ::open("/dev/null", O_RDWR | O_CLOEXEC);
    auto started = std::chrono::steady_clock::now();
    pid_t pid = stream == 1 ? spawn(argv, devnull, pipe.fds[1], err.fd)
                            : spawn(argv, devnull, err.fd, pipe.fds[1]);
    ::close(devnull);
    ASSERT_GT(pid, 0);
    pipe.close_write();
    EXPECT_EQ(read_line(pipe.fds[0]), "y\n");
    pipe.close_read(); // `head -1` exits
    auto reader_gone = std::chrono::steady_clock::now();
    Exit exit = wait_for(pid, 20s, started);
    auto after_reader = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - reader_gone);
    ASSERT_FALSE(exit.timed_out) << "still running 20 s after start; stderr: " << err.text();
    EXPECT_LT(after_reader, 5s);
    if (!expected_code) {
      return;
    }
    // As a shell sees the docker CLI die of SIGPIPE: 128+13.
    EXPECT_EQ(exit.code(), *expected_code) << exit.describe() << "; stderr: " << err.text();
    if (stream == 1) {
      EXPECT_THAT(err.text(), HasSubstr("crun-any: error: cannot write to stdout: Broken pipe"));
    }
    EXPECT_FALSE(container_exists(name)) << "the container " << name << " is left";
  }
};

TEST_P(BrokenOutput, StdoutReaderThatGoesAwayStopsAndRemovesTheContainerWith141)
{
  run_into_a_reader_that_goes_away(1, "while :; do echo y; done");
}

TEST_P(BrokenOutput, StderrReaderThatGoesAwayStopsAndRemovesTheContainerWith141)
{
  run_into_a_reader_that_goes_away(2, "while :; do echo y >&2; done");
}

TEST_P(BrokenOutput, RunIntoAFullDeviceIs125WithTheReasonAndNoContainerLeft)
{
  pull_small();
  std::string name = crun::test::unique_name("full");
  crun::test::Defer cleanup([&] { remove_container(name); });
  CapturedFile err;
  int full = ::open("/dev/full", O_WRONLY | O_CLOEXEC);
  ASSERT_GE(full, 0);
  auto started = std::chrono::steady_clock::now();
  pid_t pid = spawn(crun_argv({"run", "--rm", "--name", name, bench.image_small, "sh", "-c",
                               "while :; do echo y; done"}),
                    k_closed, full, err.fd);
  ::close(full);
  Exit exit = wait_for(pid, 20s, started);
  ASSERT_FALSE(exit.timed_out) << err.text();
  EXPECT_EQ(exit.code(), 125) << exit.describe() << "; stderr: " << err.text();
  EXPECT_THAT(err.text(),
              HasSubstr("crun-any: error: cannot write to stdout: No space left on device"));
  EXPECT_FALSE(container_exists(name)) << "the container " << name << " is left";
}

TEST_P(BrokenOutput, RunWhosePullProgressCannotBeWrittenIs125BeforeTheContainerStarts)
{
  pull_small();
  std::string name = crun::test::unique_name("full-progress");
  crun::test::Defer cleanup([&] { remove_container(name); });
  Pipe out;
  int full = ::open("/dev/full", O_WRONLY | O_CLOEXEC);
  ASSERT_GE(full, 0);
  auto started = std::chrono::steady_clock::now();
  // --pull always prints progress on stderr, which cannot take it.
  pid_t pid = spawn(crun_argv({"run", "--rm", "--pull", "always", "--name", name, bench.image_small,
                               "echo", "ran"}),
                    k_closed, out.fds[1], full);
  ::close(full);
  out.close_write();
  std::string printed = read_all(out.fds[0], 60s);
  Exit exit = wait_for(pid, 60s, started);
  ASSERT_FALSE(exit.timed_out);
  EXPECT_EQ(exit.code(), 125) << exit.describe();
  EXPECT_EQ(printed, ""); // the container never started
  EXPECT_FALSE(container_exists(name)) << "the container " << name << " is left";
}

TEST_P(BrokenOutput, InspectWithStdoutClosedExits1SayingSo)
{
  pull_small();
  CapturedFile err;
  auto started = std::chrono::steady_clock::now();
  pid_t pid = spawn(crun_argv({"inspect", bench.image_small}), k_closed, k_closed, err.fd);
  Exit exit = wait_for(pid, 60s, started);
  ASSERT_FALSE(exit.timed_out);
  EXPECT_EQ(exit.code(), 1) << exit.describe() << "; stderr: " << err.text();
  EXPECT_EQ(err.text(), "crun-any: error: cannot write to stdout: Bad file descriptor\n");
}

TEST_P(BrokenOutput, ClosedStdinIsEndOfFileForTheContainerAtOnce)
{
  pull_small();
  std::string name = crun::test::unique_name("stdin");
  crun::test::Defer cleanup([&] { remove_container(name); });
  Pipe out;
  CapturedFile err;
  auto started = std::chrono::steady_clock::now();
  pid_t pid = spawn(crun_argv({"run", "-i", "--rm", "--name", name, bench.image_small, "cat"}),
                    k_closed, out.fds[1], err.fd);
  out.close_write();
  std::string printed = read_all(out.fds[0], 30s);
  Exit exit = wait_for(pid, 30s, started);
  ASSERT_FALSE(exit.timed_out) << "cat never saw end of file; stderr: " << err.text();
  EXPECT_EQ(exit.code(), 0) << exit.describe() << "; stderr: " << err.text();
  EXPECT_EQ(printed, "");
  EXPECT_LT(exit.elapsed, 20s); // create, attach and start included
  EXPECT_FALSE(container_exists(name)) << "the container " << name << " is left";
}

// `crun-any exec` into a reader that goes away: 141 with the reason, as run;
// the exec'd process is not stopped (no engine API can), as with the docker CLI.
TEST_P(BrokenOutput, ExecIntoAReaderThatGoesAwayIs141)
{
  pull_small();
  std::string name = crun::test::unique_name("exec-pipe");
  crun::test::Defer cleanup([&] { remove_container(name); });
  auto started = crun({"run", "-d", "--name", name, bench.image_small, "sleep", "300"});
  ASSERT_EQ(started.exit_code, 0) << started.describe();
  Pipe pipe;
  CapturedFile err;
  int devnull = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  auto start = std::chrono::steady_clock::now();
  pid_t pid = spawn(crun_argv({"exec", name, "sh", "-c", "while :; do echo y; done"}), devnull,
                    pipe.fds[1], err.fd);
  ::close(devnull);
  ASSERT_GT(pid, 0);
  pipe.close_write();
  EXPECT_EQ(read_line(pipe.fds[0]), "y\n");
  pipe.close_read();
  Exit exit = wait_for(pid, 20s, start);
  ASSERT_FALSE(exit.timed_out) << "still running 20 s after start; stderr: " << err.text();
  EXPECT_EQ(exit.code(), 141) << exit.describe() << "; stderr: " << err.text();
  EXPECT_EQ(err.text(), "crun-any: error: cannot write to stdout: Broken pipe; the rest of the "
                        "command's output was dropped, and the command may still be running in "
                        "container " +
                          name + "\n");
}

INSTANTIATE_TEST_SUITE_P(Engines, BrokenOutput, crun::test::bench_engines(),
                         crun::test::backend_name);

// Apple's `container run` is crun-any's foreground child with the workload's
// stdout inherited (it meets the broken pipe itself) and its stderr relayed:
// either way the run must end, and nothing stays behind under --rm. The code
// is the CLI's (here the stand-in's), so it is not asserted.
using BrokenOutputOnApple = BrokenOutput;

TEST_P(BrokenOutputOnApple, ReaderThatGoesAwayEndsTheRun)
{
  run_into_a_reader_that_goes_away(1, "while :; do echo y; done", std::nullopt);
}

TEST_P(BrokenOutputOnApple, StderrReaderThatGoesAwayEndsTheRun)
{
  run_into_a_reader_that_goes_away(2, "while :; do echo y >&2; done", std::nullopt);
}

INSTANTIATE_TEST_SUITE_P(Apple, BrokenOutputOnApple,
                         ::testing::Values(crun::test::Backend{"apple"}), crun::test::backend_name);

// No engine is needed to print the version.
TEST(BrokenOutputOfEveryCommand, VersionIntoAFullDeviceExits1SayingSo)
{
  CapturedFile err;
  int full = ::open("/dev/full", O_WRONLY | O_CLOEXEC);
  ASSERT_GE(full, 0);
  auto started = std::chrono::steady_clock::now();
  pid_t pid = spawn({crun::test::crun_any_bin(), "version"}, k_closed, full, err.fd);
  ::close(full);
  Exit exit = wait_for(pid, 30s, started);
  ASSERT_FALSE(exit.timed_out);
  EXPECT_EQ(exit.code(), 1) << exit.describe();
  EXPECT_EQ(err.text(), "crun-any: error: cannot write to stdout: No space left on device\n");
}

} // namespace
