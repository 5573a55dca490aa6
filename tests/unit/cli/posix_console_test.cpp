// The real console's threads, driven through pipes and a socket pair: the
// output pump (raw and multiplexed), the stdin pump and its half-close, the
// stop path that wakes both, the signal watcher, and the pumps over a
// child's pipes (a CLI-driven engine's PipeStream). `make tsan` runs these
// under ThreadSanitizer. No wall-clock assertion: a broken pump hangs, and
// ctest's timeout reports it.

#include <crun/cli/posix_console.hpp>

#include "support/error_of.hpp"

#include <crun/transport/pipe_stream.hpp>
#include <crun/transport/process.hpp>
#include <crun/transport/raw_stream.hpp>

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <variant>
#include <vector>

namespace crun::cli {
namespace {

using namespace std::chrono_literals;

// Long enough for a loaded machine under a sanitizer; only a failure waits
// this long.
constexpr auto k_patience = 30s;

void close_fd(int& fd)
{
  if (fd >= 0) {
    ::close(fd);
    fd = -1;
  }
}

struct Pipe {
  Pipe() { EXPECT_EQ(::pipe(fds), 0); }
  ~Pipe()
  {
    close_fd(fds[0]);
    close_fd(fds[1]);
  }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;

  int read_end() const { return fds[0]; }
  int write_end() const { return fds[1]; }
  void close_read() { close_fd(fds[0]); }
  void close_write() { close_fd(fds[1]); }

  // Everything written, once every write end is closed.
  std::string drain()
  {
    close_write();
    std::string data;
    char buf[4096];
    ssize_t n = 0;
    while ((n = ::read(fds[0], buf, sizeof(buf))) > 0) {
      data.append(buf, static_cast<std::size_t>(n));
    }
    return data;
  }

  int fds[2] = {-1, -1};
};

// [0] becomes the RawStream; [1] plays the engine.
struct SocketPair {
  SocketPair() { EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0); }
  ~SocketPair() { close_fd(fds[1]); }
  SocketPair(const SocketPair&) = delete;
  SocketPair& operator=(const SocketPair&) = delete;

  int engine() const { return fds[1]; }
  void send(std::string_view data) const
  {
    while (!data.empty()) {
      ssize_t n = ::send(fds[1], data.data(), data.size(), MSG_NOSIGNAL);
      ASSERT_GT(n, 0);
      data.remove_prefix(static_cast<std::size_t>(n));
    }
  }
  // The engine's side of stdin, up to the console's half-close.
  std::string receive_to_eof() const
  {
    std::string data;
    char buf[4096];
    ssize_t n = 0;
    while ((n = ::recv(fds[1], buf, sizeof(buf), 0)) > 0) {
      data.append(buf, static_cast<std::size_t>(n));
    }
    return data;
  }
  void end_output() const { ::shutdown(fds[1], SHUT_WR); }

  int fds[2] = {-1, -1};
};

// One frame of Docker's multiplexed attach stream: 1 stdout, 2 stderr.
std::string frame(std::uint8_t stream, std::string_view payload)
{
  auto size = static_cast<std::uint32_t>(payload.size());
  std::string out{static_cast<char>(stream), 0, 0, 0};
  for (int shift : {24, 16, 8, 0}) {
    out += static_cast<char>((size >> shift) & 0xff);
  }
  out += payload;
  return out;
}

transport::RawStream make_stream(SocketPair& pair)
{
  return transport::RawStream(pair.fds[0], "", "unix:///test.sock");
}

TEST(PosixConsole, PrintIdAndWarnWriteOneLineEach)
{
  Pipe out;
  Pipe err;
  auto console = make_posix_console(-1, out.write_end(), err.write_end());
  console->print_id("c0ffee");
  console->warn("crun-any: warning: careful");
  console.reset();
  EXPECT_EQ(out.drain(), "c0ffee\n");
  EXPECT_EQ(err.drain(), "crun-any: warning: careful\n");
}

TEST(PosixConsole, TtyOutputIsCopiedAsItIs)
{
  Pipe out;
  Pipe err;
  SocketPair pair;
  auto stream = make_stream(pair);
  auto console = make_posix_console(-1, out.write_end(), err.write_end());
  console->start_io(stream, /*tty=*/true, /*forward_stdin=*/false);
  pair.send("hello\r\n");
  pair.send(frame(1, "not demultiplexed"));
  pair.end_output();
  console->finish_output();
  console->stop_io();
  EXPECT_EQ(out.drain(), "hello\r\n" + frame(1, "not demultiplexed"));
  EXPECT_EQ(err.drain(), "");
}

TEST(PosixConsole, MultiplexedOutputGoesToStdoutAndStderr)
{
  Pipe out;
  Pipe err;
  SocketPair pair;
  auto stream = make_stream(pair);
  auto console = make_posix_console(-1, out.write_end(), err.write_end());
  console->start_io(stream, /*tty=*/false, /*forward_stdin=*/false);
  std::string bytes = frame(1, "out 1\n") + frame(2, "err 1\n") + frame(1, "out 2\n");
  // Cut inside a header and inside a payload: the pump must not care.
  pair.send(bytes.substr(0, 3));
  pair.send(bytes.substr(3, 9));
  pair.send(bytes.substr(12));
  pair.end_output();
  console->finish_output();
  console->stop_io();
  EXPECT_EQ(out.drain(), "out 1\nout 2\n");
  EXPECT_EQ(err.drain(), "err 1\n");
}

TEST(PosixConsole, StdinIsForwardedThenHalfClosed)
{
  Pipe in;
  Pipe out;
  Pipe err;
  SocketPair pair;
  auto stream = make_stream(pair);
  auto console = make_posix_console(in.read_end(), out.write_end(), err.write_end());
  console->start_io(stream, /*tty=*/false, /*forward_stdin=*/true);
  ASSERT_EQ(::write(in.write_end(), "typed\n", 6), 6);
  in.close_write();
  // The container sees its stdin end, answers, and exits.
  EXPECT_EQ(pair.receive_to_eof(), "typed\n");
  pair.send(frame(1, "echoed\n"));
  pair.end_output();
  console->finish_output();
  console->stop_io();
  EXPECT_EQ(out.drain(), "echoed\n");
}

TEST(PosixConsole, StopIoWakesBothPumpsWhileTheyWait)
{
  // The failure path: stdin stays open and the engine says nothing, yet
  // stop_io() returns, and twice is fine.
  Pipe in;
  Pipe out;
  Pipe err;
  SocketPair pair;
  auto stream = make_stream(pair);
  auto console = make_posix_console(in.read_end(), out.write_end(), err.write_end());
  console->start_io(stream, /*tty=*/false, /*forward_stdin=*/true);
  console->stop_io();
  console->stop_io();
  EXPECT_EQ(out.drain(), "");
}

// What the handler saw, filled on the watcher's thread.
struct SignalLog {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<int> signals;

  void add(int signal)
  {
    std::lock_guard lock(mutex);
    signals.push_back(signal);
    changed.notify_all();
  }
  bool wait_for_count(std::size_t count)
  {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, k_patience, [&] { return signals.size() >= count; });
  }
};

TEST(PosixConsole, OutputIsStillReadWhenStdoutIsClosedAndTheRunIsToldOnce)
{
  // A reader that went away (`crun-any run ... | head -1`) must not leave the
  // container blocked on a full socket: the pump reads on and drops, tells
  // the run once (handler(SIGPIPE): it stops the container), and
  // finish_output reports the broken pipe.
  std::signal(SIGPIPE, SIG_IGN); // as crun-any's main does
  Pipe out;
  Pipe err;
  out.close_read();
  SocketPair pair;
  auto stream = make_stream(pair);
  SignalLog log;
  auto console = make_posix_console(-1, out.write_end(), err.write_end());
  console->watch_signals([&log](int signal) -> std::optional<std::chrono::milliseconds> {
    log.add(signal);
    return std::nullopt;
  });
  console->start_io(stream, /*tty=*/false, /*forward_stdin=*/false);
  std::thread engine([&pair] {
    std::string chunk = frame(1, std::string(60 * 1024, 'x'));
    for (int i = 0; i < 64; ++i) {
      pair.send(chunk);
    }
    pair.send(frame(2, "done\n"));
    pair.end_output();
  });
  ASSERT_TRUE(log.wait_for_count(1));
  Error error = test::error_of([&] { console->finish_output(); });
  engine.join();
  console->stop_io();
  EXPECT_EQ(error.code(), Errc::broken_pipe);
  EXPECT_EQ(error.message().rfind("cannot write to stdout: Broken pipe", 0), 0u) << error.message();
  EXPECT_EQ(err.drain(), "done\n");
  std::lock_guard lock(log.mutex);
  EXPECT_EQ(log.signals, (std::vector<int>{SIGPIPE}));
}

TEST(PosixConsole, StderrThatCannotBeWrittenIsAnOutputError)
{
  int full = ::open("/dev/full", O_WRONLY | O_CLOEXEC);
  ASSERT_GE(full, 0);
  Pipe out;
  SocketPair pair;
  auto stream = make_stream(pair);
  auto console = make_posix_console(-1, out.write_end(), full);
  console->start_io(stream, /*tty=*/false, /*forward_stdin=*/false);
  pair.send(frame(2, "lost\n"));
  pair.send(frame(1, "kept\n"));
  pair.end_output();
  Error error = test::error_of([&] { console->finish_output(); });
  console->stop_io();
  ::close(full);
  EXPECT_EQ(error.code(), Errc::output_error);
  EXPECT_EQ(error.message().rfind("cannot write to stderr: No space left on device", 0), 0u)
    << error.message();
  EXPECT_EQ(out.drain(), "kept\n");
}

TEST(PosixConsole, SignalsReachTheHandlerThenItsDelayedCall)
{
  struct sigaction before{};
  ASSERT_EQ(::sigaction(SIGUSR1, nullptr, &before), 0);
  Pipe out;
  Pipe err;
  SignalLog log;
  auto console = make_posix_console(-1, out.write_end(), err.write_end());
  console->watch_signals([&log](int signal) -> std::optional<std::chrono::milliseconds> {
    log.add(signal);
    if (signal == SIGUSR1) {
      return 1ms; // then handler(0), as the grace period of a stop does
    }
    return std::nullopt;
  });
  ASSERT_EQ(::kill(::getpid(), SIGUSR1), 0);
  ASSERT_TRUE(log.wait_for_count(2));
  ASSERT_EQ(::kill(::getpid(), SIGWINCH), 0);
  ASSERT_TRUE(log.wait_for_count(3));
  console->stop_io();
  {
    std::lock_guard lock(log.mutex);
    EXPECT_EQ(log.signals, (std::vector<int>{SIGUSR1, 0, SIGWINCH}));
  }
  // The previous disposition is back once the watcher stops.
  struct sigaction after{};
  ASSERT_EQ(::sigaction(SIGUSR1, nullptr, &after), 0);
  EXPECT_EQ(after.sa_handler, before.sa_handler);
}

// A CLI-driven engine's child (here `cat`) behind the same pumps: stdin,
// larger than a pipe's buffer (Apple's 64 KiB stdin trap), reaches it and
// comes back whole, and stdin's end is the child's end of file.
TEST(PosixConsole, PumpsDriveAChildsPipesAsTheyDriveASocket)
{
  transport::ProcessSpec spec;
  spec.executable = "/bin/cat";
  spec.argv = {"cat"};
  spec.in = transport::ChildStream::pipe();
  spec.out = transport::ChildStream::pipe();
  auto started = transport::start_process(spec);
  ASSERT_TRUE(std::holds_alternative<transport::ChildProcess>(started));
  auto& cat = std::get<transport::ChildProcess>(started);
  transport::PipeStream stream(cat, "cat");

  std::string input;
  for (std::size_t i = 0; input.size() < 300 * 1024; ++i) {
    input += "line " + std::to_string(i) + "\n";
  }
  Pipe in;
  Pipe out;
  Pipe err;
  std::thread user([&] {
    std::string_view rest = input;
    while (!rest.empty()) {
      ssize_t n = ::write(in.write_end(), rest.data(), rest.size());
      ASSERT_GT(n, 0);
      rest.remove_prefix(static_cast<std::size_t>(n));
    }
    in.close_write();
  });
  std::string output;
  std::thread terminal([&] {
    char buf[4096];
    while (output.size() < input.size()) {
      ssize_t n = ::read(out.read_end(), buf, sizeof(buf));
      if (n <= 0) {
        break;
      }
      output.append(buf, static_cast<std::size_t>(n));
    }
  });
  auto console = make_posix_console(in.read_end(), out.write_end(), err.write_end());
  console->start_io(stream, /*tty=*/true, /*forward_stdin=*/true);
  console->finish_output(); // cat ends once its stdin is closed
  console->stop_io();
  user.join();
  terminal.join();
  EXPECT_EQ(output.size(), input.size());
  EXPECT_TRUE(output == input);
  EXPECT_EQ(cat.wait().code, 0);
  EXPECT_EQ(err.drain(), "");
}

} // namespace
} // namespace crun::cli
