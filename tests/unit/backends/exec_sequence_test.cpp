#include <crun/backends/exec_sequence.hpp>

#include "backends_test_support.hpp"
#include "support/error_of.hpp"

#include <crun/backends/docker/docker_api.hpp>
#include <crun/backends/http_decode.hpp>
#include <crun/backends/podman/podman_api.hpp>
#include <crun/core/error.hpp>
#include <crun/transport/raw_stream.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/socket.h>
#include <unistd.h>

#include <csignal>

namespace crun::backends {
namespace {

struct Log {
  std::vector<std::string> calls;
  void add(std::string call) { calls.push_back(std::move(call)); }
};

// The engine side: the exec's output is `output` (the bytes the engine
// sends on the hijacked stream), then it ends.
class FakeExecApi : public ExecApi {
public:
  explicit FakeExecApi(Log& log) : m_log(log) {}

  std::function<std::string()> on_create = [] { return std::string("e1"); };
  std::string output;
  int code = 0;
  Errc (*classify)(std::string_view) = backends::classify_start_error;

  std::string create(const ExecSpec& spec) override
  {
    m_log.add("create " + spec.container);
    return on_create();
  }
  std::unique_ptr<transport::ByteStream> start(const std::string& id, const ExecSpec&) override
  {
    m_log.add("start " + id);
    int fds[2];
    EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    EXPECT_EQ(::write(fds[1], output.data(), output.size()), static_cast<ssize_t>(output.size()));
    ::close(fds[1]); // the process's side: its output ends
    return std::make_unique<transport::RawStream>(fds[0], "", "fake");
  }
  void start_detached(const std::string& id, const ExecSpec&) override
  {
    m_log.add("start_detached " + id);
  }
  void resize(const std::string& id, unsigned rows, unsigned cols) override
  {
    m_log.add("resize " + id + " " + std::to_string(rows) + "x" + std::to_string(cols));
  }
  int exit_code(const std::string& id) override
  {
    m_log.add("exit_code " + id);
    return code;
  }
  Errc classify_start_error(std::string_view text) override { return classify(text); }

private:
  Log& m_log;
};

// The user's side: drains the stream in start_io, as the real pumps do
// before finish_output returns.
class FakeConsole : public RunConsole {
public:
  explicit FakeConsole(Log& log) : m_log(log) {}

  std::function<std::optional<std::chrono::milliseconds>(int)> handler;
  std::optional<TerminalSize> size;
  std::optional<Error> output_failure;
  std::string drained;
  std::function<void()> during_output; ///< called while the exec runs

  void print_id(const std::string& id) override { m_log.add("print_id " + id); }
  void start_io(transport::ByteStream& stream, bool tty, bool forward_stdin) override
  {
    m_log.add(std::string("start_io") + (tty ? " tty" : "") + (forward_stdin ? " stdin" : ""));
    char buf[512];
    while (std::size_t n = stream.read_some(buf, sizeof buf)) {
      drained.append(buf, n);
    }
  }
  void finish_output() override
  {
    m_log.add("finish_output");
    if (during_output) {
      during_output();
    }
    if (output_failure) {
      throw *output_failure;
    }
  }
  void stop_io() override { ++stops; }
  void enter_raw_mode() override { m_log.add("raw"); }
  std::optional<TerminalSize> terminal_size() override { return size; }
  void watch_signals(std::function<std::optional<std::chrono::milliseconds>(int)> h) override
  {
    m_log.add("watch_signals");
    handler = std::move(h);
  }
  void exit_now(int code) override { m_log.add("exit_now " + std::to_string(code)); }
  void warn(const std::string& line) override { m_log.add("warn " + line); }

  int stops = 0;

private:
  Log& m_log;
};

// One frame of a multiplexed stream.
std::string frame(char type, std::string_view payload)
{
  std::string out(8, '\0');
  out[0] = type;
  out[7] = static_cast<char>(payload.size()); // < 256 here
  return out + std::string(payload);
}

ExecSpec spec(std::vector<std::string> command = {"sh", "-c", "exit 0"})
{
  ExecSpec s;
  s.container = "web";
  s.command = std::move(command);
  return s;
}

struct ExecSequence : ::testing::Test {
  Log log;
  FakeExecApi api{log};
  FakeConsole console{log};
};

TEST_F(ExecSequence, CreatesStartsDrainsTheOutputThenReadsTheExitCode)
{
  api.code = 42;
  api.output = frame(1, "out\n");
  EXPECT_EQ(exec_sequence(api, spec(), console), 42);
  EXPECT_EQ(log.calls, (std::vector<std::string>{"watch_signals", "create web", "start e1",
                                                 "start_io", "finish_output", "exit_code e1"}));
  EXPECT_EQ(console.drained, api.output);
  EXPECT_GE(console.stops, 1);
}

TEST_F(ExecSequence, InteractiveForwardsStdin)
{
  ExecSpec s = spec({"cat"});
  s.interactive = true;
  EXPECT_EQ(exec_sequence(api, s, console), 0);
  EXPECT_THAT(log.calls, ::testing::Contains("start_io stdin"));
}

TEST_F(ExecSequence, TtyGoesRawAndIsSizedAfterStart)
{
  console.size = TerminalSize{40, 120};
  ExecSpec s = spec({"sh"});
  s.tty = true;
  s.interactive = true;
  EXPECT_EQ(exec_sequence(api, s, console), 0);
  EXPECT_EQ(log.calls, (std::vector<std::string>{"watch_signals", "create web", "start e1", "raw",
                                                 "start_io tty stdin", "resize e1 40x120",
                                                 "finish_output", "exit_code e1"}));
}

TEST_F(ExecSequence, DetachStartsDetachedAndReadsNothing)
{
  ExecSpec s = spec({"sleep", "10"});
  s.detach = true;
  EXPECT_EQ(exec_sequence(api, s, console), 0);
  EXPECT_EQ(log.calls,
            (std::vector<std::string>{"watch_signals", "create web", "start_detached e1"}));
}

TEST_F(ExecSequence, DockersMissingCommandIs127ThoughTheEngineSays126)
{
  // Docker 20.10 reports a missing command as ExitCode 126, its reason in
  // the stream (tests/fixtures/docker/README.md).
  api.output = test::fixture("docker/exec-start-not-found.bin");
  api.code = 126;
  const Error error = test::error_of([&] { exec_sequence(api, spec({"nope"}), console); });
  EXPECT_EQ(error.code(), Errc::command_not_found);
  EXPECT_EQ(error.message(),
            "cannot run nope in container web: OCI runtime exec failed: exec failed: unable to "
            "start container process: exec: \"nope\": executable file not found in $PATH: "
            "unknown");
  EXPECT_EQ(console.drained, api.output); // the engine's text reaches the user as sent
}

TEST_F(ExecSequence, DockersNotExecutableIs126)
{
  api.output = test::fixture("docker/exec-start-not-executable.bin");
  api.code = 126;
  const Error error = test::error_of([&] { exec_sequence(api, spec({"/etc/passwd"}), console); });
  EXPECT_EQ(error.code(), Errc::command_not_executable);
  EXPECT_THAT(error.message(), ::testing::StartsWith("cannot run /etc/passwd in container web: "));
  EXPECT_THAT(error.message(), ::testing::HasSubstr("permission denied"));
}

TEST_F(ExecSequence, PodmansMissingAndNotExecutableCommands)
{
  api.classify = podman::classify_start_error;
  api.output = test::fixture("podman/exec-start-not-found.bin");
  api.code = 127;
  Error error = test::error_of([&] { exec_sequence(api, spec({"nope"}), console); });
  EXPECT_EQ(error.code(), Errc::command_not_found);
  EXPECT_EQ(error.message(),
            "cannot run nope in container web: runc: exec failed: unable to start container "
            "process: exec: \"nope\": executable file not found in $PATH: OCI runtime attempted "
            "to invoke a command that was not found");

  api.output = test::fixture("podman/exec-start-not-executable.bin");
  api.code = 126;
  error = test::error_of([&] { exec_sequence(api, spec({"/etc/passwd"}), console); });
  EXPECT_EQ(error.code(), Errc::command_not_executable);
}

TEST_F(ExecSequence, ACommandsOwn127Or126StaysItsExitCode)
{
  api.code = 127;
  api.output = frame(2, "sh: nope: not found\n");
  EXPECT_EQ(exec_sequence(api, spec({"sh", "-c", "nope"}), console), 127);
  api.code = 126;
  EXPECT_EQ(exec_sequence(api, spec({"sh", "-c", "./x"}), console), 126);
}

TEST_F(ExecSequence, CreateErrorsComeThroughAndNothingStarts)
{
  api.on_create = []() -> std::string { fail(Errc::not_found, "no such container: web"); };
  const Error error = test::error_of([&] { exec_sequence(api, spec(), console); });
  EXPECT_EQ(error.code(), Errc::not_found);
  EXPECT_EQ(log.calls, (std::vector<std::string>{"watch_signals", "create web"}));
  EXPECT_GE(console.stops, 1);
}

TEST_F(ExecSequence, OutputThatCannotBeWrittenIsReported)
{
  // The console's words are a run's; an exec'd process is not stopped.
  console.output_failure =
    Error(Errc::broken_pipe, "cannot write to stdout: Broken pipe; the container was stopped and "
                             "the rest of its output dropped");
  Error error = test::error_of([&] { exec_sequence(api, spec(), console); });
  EXPECT_EQ(error.code(), Errc::broken_pipe);
  EXPECT_EQ(error.message(),
            "cannot write to stdout: Broken pipe; the rest of the command's output was dropped, "
            "and the command may still be running in container web");
  console.output_failure = Error(Errc::output_error, "cannot write to stdout: No space left");
  error = test::error_of([&] { exec_sequence(api, spec(), console); });
  EXPECT_EQ(error.code(), Errc::output_error);
  EXPECT_EQ(error.message(),
            "cannot write to stdout: No space left; the rest of the command's output was dropped, "
            "and the command may still be running in container web");
}

TEST_F(ExecSequence, InterruptsEndCrunAnyAndAreNotForwarded)
{
  // As the docker CLI: no engine can signal an exec'd process.
  std::vector<std::string> seen;
  console.during_output = [&] {
    std::size_t before = log.calls.size();
    console.handler(SIGINT);
    console.handler(SIGTERM);
    seen.assign(log.calls.begin() + static_cast<std::ptrdiff_t>(before), log.calls.end());
  };
  EXPECT_EQ(exec_sequence(api, spec(), console), 0);
  EXPECT_EQ(seen, (std::vector<std::string>{"exit_now 130", "exit_now 143"}));
}

TEST_F(ExecSequence, WindowChangesResizeOnlyUnderATty)
{
  console.size = TerminalSize{24, 80};
  std::vector<std::string> seen;
  console.during_output = [&] {
    std::size_t before = log.calls.size();
    console.handler(SIGWINCH);
    seen.assign(log.calls.begin() + static_cast<std::ptrdiff_t>(before), log.calls.end());
  };
  EXPECT_EQ(exec_sequence(api, spec(), console), 0);
  EXPECT_TRUE(seen.empty());

  ExecSpec s = spec({"sh"});
  s.tty = true;
  EXPECT_EQ(exec_sequence(api, s, console), 0);
  EXPECT_EQ(seen, (std::vector<std::string>{"resize e1 24x80"}));
}

TEST(RuntimeExecFailure, TellsTheRuntimesReportFromOutput)
{
  EXPECT_TRUE(is_runtime_exec_failure("OCI runtime exec failed: exec failed: x"));
  EXPECT_TRUE(is_runtime_exec_failure("Error: crun: x: OCI permission denied\n"));
  EXPECT_FALSE(is_runtime_exec_failure("sh: nope: not found\n"));
  EXPECT_EQ(runtime_failure_line("Error: runc: exec failed: OCI runtime x\r\nsecond\n"),
            "runc: exec failed: OCI runtime x");
}

} // namespace
} // namespace crun::backends
