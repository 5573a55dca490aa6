#include <crun/backends/run_sequence.hpp>

#include "support/error_of.hpp"
#include "support/temp_dir.hpp"

#include <crun/core/error.hpp>
#include <crun/transport/raw_stream.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/socket.h>

#include <csignal>
#include <fstream>
#include <sstream>

namespace crun::backends {
namespace {

// Records every call, in order, from both sides of the run.
struct Log {
  std::vector<std::string> calls;
  void add(std::string call) { calls.push_back(std::move(call)); }
};

class FakeWait : public PendingWait {
public:
  FakeWait(Log& log, std::function<int()> result) : m_log(log), m_result(std::move(result)) {}
  int result() override
  {
    m_log.add("result");
    return m_result();
  }

private:
  Log& m_log;
  std::function<int()> m_result;
};

class FakeApi : public ContainerApi {
public:
  explicit FakeApi(Log& log) : m_log(log) {}

  std::function<std::string()> on_create = [] { return std::string("c1"); };
  std::function<void()> on_start = [] {};
  std::function<int()> on_result = [] { return 0; };
  std::vector<std::string> create_warnings;

  CreatedContainer create(const RunSpec&) override
  {
    m_log.add("create");
    return CreatedContainer{on_create(), create_warnings};
  }
  std::unique_ptr<transport::ByteStream> attach(const std::string& id, const RunSpec&) override
  {
    m_log.add("attach " + id);
    int fds[2];
    EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    ::close(fds[1]); // the container's side: output ends at once
    return std::make_unique<transport::RawStream>(fds[0], "", "fake");
  }
  std::unique_ptr<PendingWait> wait(const std::string& id, const RunSpec& spec) override
  {
    m_log.add(std::string("wait ") + id + (spec.remove ? " removed" : " next-exit"));
    return std::make_unique<FakeWait>(m_log, on_result);
  }
  void start(const std::string& id) override
  {
    m_log.add("start " + id);
    on_start();
  }
  void kill(const std::string& id, int signal) override
  {
    m_log.add("kill " + id + " " + std::to_string(signal));
  }
  void resize(const std::string& id, unsigned rows, unsigned cols) override
  {
    m_log.add("resize " + id + " " + std::to_string(rows) + "x" + std::to_string(cols));
  }
  void remove(const std::string& id) override
  {
    m_log.add("remove " + id);
    on_remove();
  }
  std::function<void()> on_remove = [] {};

private:
  Log& m_log;
};

class FakeConsole : public RunConsole {
public:
  explicit FakeConsole(Log& log) : m_log(log) {}

  std::function<std::optional<std::chrono::milliseconds>(int)> handler;
  std::optional<TerminalSize> size;
  std::optional<Error> output_failure; ///< what finish_output throws

  void print_id(const std::string& id) override { m_log.add("print_id " + id); }
  void start_io(transport::ByteStream&, bool tty, bool forward_stdin) override
  {
    m_log.add(std::string("start_io") + (tty ? " tty" : "") + (forward_stdin ? " stdin" : ""));
  }
  void finish_output() override
  {
    m_log.add("finish_output");
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

RunSpec spec(bool remove = false)
{
  RunSpec s;
  s.image = core::ImageRef::parse("127.0.0.1:5857/bench/small:1");
  s.image_name = s.image.str();
  s.platform = core::Platform::parse("linux/amd64");
  s.remove = remove;
  return s;
}

struct Fixture : ::testing::Test {
  Log log;
  FakeApi api{log};
  FakeConsole console{log};
  int pulls = 0;
  std::function<void()> pull = [this] {
    log.add("pull");
    ++pulls;
  };
};

using RunSequence = Fixture;

TEST_F(RunSequence, AttachesAndWaitsBeforeStartSoNothingIsMissed)
{
  api.on_result = [] { return 42; };
  EXPECT_EQ(run_sequence(api, spec(), console, pull), 42);
  EXPECT_EQ(log.calls,
            (std::vector<std::string>{"watch_signals", "create", "attach c1", "wait c1 next-exit",
                                      "start_io", "start c1", "result", "finish_output"}));
  EXPECT_GE(console.stops, 1);
}

TEST_F(RunSequence, RemoveWaitsForRemovalAndRemovesAfterwards)
{
  EXPECT_EQ(run_sequence(api, spec(true), console, pull), 0);
  EXPECT_EQ(log.calls, (std::vector<std::string>{"watch_signals", "create", "attach c1",
                                                 "wait c1 removed", "start_io", "start c1",
                                                 "result", "finish_output", "remove c1"}));
}

TEST_F(RunSequence, ARemovalThatFailsAfterTheRunWarnsAndKeepsTheExitCode)
{
  std::string id = "19835ac0baee20efa136b0485bb3e5969efa137245e810932c65015f9ee24fbf";
  api.on_create = [&] { return id; };
  api.on_remove = [] { fail(Errc::engine_unavailable, "the engine did not answer within 30 s"); };
  RunOptions options;
  options.engine_cli = "podman";
  EXPECT_EQ(run_sequence(api, spec(true), console, pull, options), 0);
  EXPECT_EQ(log.calls.back(),
            "warn crun-any: warning: container 19835ac0baee exited with 0, but removing it (--rm) "
            "failed: the engine did not answer within 30 s; remove it with `podman rm -f " +
              id + "`");
  // Removed once: the failure is not retried as a failed run's cleanup would be.
  EXPECT_EQ(std::count(log.calls.begin(), log.calls.end(), "remove " + id), 1);

  log.calls.clear();
  api.on_result = [] { return 3; };
  EXPECT_EQ(run_sequence(api, spec(true), console, pull), 3);
  EXPECT_THAT(log.calls.back(), ::testing::HasSubstr("exited with 3"));
  EXPECT_THAT(log.calls.back(), ::testing::HasSubstr("with the engine's CLI (`rm -f " + id));
}

TEST_F(RunSequence, MissingImageIsPulledThenCreatedAgain)
{
  int creates = 0;
  api.on_create = [&] {
    if (creates++ == 0) {
      fail(Errc::not_found, "cannot create a container: No such image: x");
    }
    return std::string("c2");
  };
  EXPECT_EQ(run_sequence(api, spec(), console, pull), 0);
  EXPECT_EQ(pulls, 1);
  ASSERT_GE(log.calls.size(), 5u);
  EXPECT_EQ(log.calls[1], "create");
  EXPECT_EQ(log.calls[2],
            "warn Unable to find image '127.0.0.1:5857/bench/small:1' locally for linux/amd64");
  EXPECT_EQ(log.calls[3], "pull");
  EXPECT_EQ(log.calls[4], "create");
  EXPECT_EQ(log.calls[5], "attach c2");
}

TEST_F(RunSequence, CreateWarningsArePrintedAsTheDockerCliDoes)
{
  api.create_warnings = {"Published ports are discarded when using host network mode", "second"};
  EXPECT_EQ(run_sequence(api, spec(), console, pull), 0);
  ASSERT_GE(log.calls.size(), 5u);
  // Right after create, before anything else happens to the container.
  EXPECT_EQ(std::vector<std::string>(log.calls.begin() + 1, log.calls.begin() + 5),
            (std::vector<std::string>{
              "create",
              "warn WARNING: Published ports are discarded when using host network mode",
              "warn WARNING: second",
              "attach c1",
            }));
}

TEST_F(RunSequence, PullNeverRefusesAMissingImage)
{
  api.on_create = []() -> std::string { fail(Errc::not_found, "No such image"); };
  RunSpec s = spec();
  s.pull = PullPolicy::never;
  {
    const Error error = test::error_of([&] { run_sequence(api, s, console, pull); });
    EXPECT_EQ(error.code(), Errc::not_found);
    EXPECT_EQ(error.message(),
              "image 127.0.0.1:5857/bench/small:1 is not present locally for linux/amd64 and "
              "--pull=never forbids pulling it: run `crun-any pull --platform linux/amd64 "
              "127.0.0.1:5857/bench/small:1` first");
  }
  EXPECT_EQ(pulls, 0);
}

TEST_F(RunSequence, OtherCreateErrorsAreNotPulledAway)
{
  api.on_create = []() -> std::string { fail(Errc::engine_error, "name in use"); };
  EXPECT_THROW(run_sequence(api, spec(true), console, pull), Error);
  EXPECT_EQ(pulls, 0);
}

TEST_F(RunSequence, FailedStartUnderRmRemovesTheContainerAndKeepsTheError)
{
  api.on_start = [] { fail(Errc::command_not_found, "exec: \"nope\": executable file not found"); };
  {
    const Error error = test::error_of([&] { run_sequence(api, spec(true), console, pull); });
    EXPECT_EQ(error.code(), Errc::command_not_found);
  }
  EXPECT_EQ(log.calls.back(), "remove c1");
  EXPECT_GE(console.stops, 1);
}

TEST_F(RunSequence, FailedStartWithoutRmKeepsTheContainerLikeDocker)
{
  api.on_start = [] { fail(Errc::command_not_executable, "permission denied"); };
  EXPECT_THROW(run_sequence(api, spec(false), console, pull), Error);
  EXPECT_EQ(std::count(log.calls.begin(), log.calls.end(), "remove c1"), 0);
}

TEST_F(RunSequence, LostWaitUnderRmStillRemoves)
{
  api.on_result = []() -> int { fail(Errc::engine_unavailable, "lost the engine"); };
  EXPECT_THROW(run_sequence(api, spec(true), console, pull), Error);
  EXPECT_EQ(log.calls.back(), "remove c1");
}

TEST_F(RunSequence, DetachStartsPrintsTheIdAndDoesNotAttach)
{
  RunSpec s = spec(true);
  s.detach = true;
  EXPECT_EQ(run_sequence(api, s, console, pull), 0);
  EXPECT_EQ(log.calls,
            (std::vector<std::string>{"watch_signals", "create", "start c1", "print_id c1"}));
}

TEST_F(RunSequence, TtyGoesRawAndIsSizedAfterStart)
{
  RunSpec s = spec();
  s.tty = true;
  s.interactive = true;
  console.size = TerminalSize{33, 120};
  run_sequence(api, s, console, pull);
  EXPECT_EQ(log.calls,
            (std::vector<std::string>{"watch_signals", "create", "attach c1", "wait c1 next-exit",
                                      "raw", "start_io tty stdin", "start c1", "resize c1 33x120",
                                      "result", "finish_output"}));
}

TEST_F(RunSequence, SignalsAreForwardedThenEscalatedToKill)
{
  // Signals arrive while the container runs: from inside the wait.
  std::vector<std::optional<std::chrono::milliseconds>> answers;
  api.on_result = [&] {
    answers.push_back(console.handler(SIGTERM));
    answers.push_back(console.handler(0)); // the grace period has passed
    answers.push_back(console.handler(SIGINT));
    answers.push_back(console.handler(SIGUSR1));
    return 137;
  };
  RunOptions options;
  options.stop_grace = std::chrono::milliseconds(1234);
  EXPECT_EQ(run_sequence(api, spec(true), console, pull, options), 137);
  ASSERT_EQ(answers.size(), 4u);
  EXPECT_EQ(answers[0], std::chrono::milliseconds(1234));
  EXPECT_EQ(answers[1], std::nullopt);
  EXPECT_EQ(answers[2], std::nullopt);
  std::vector<std::string> kills;
  for (const auto& call : log.calls) {
    if (call.starts_with("kill")) {
      kills.push_back(call);
    }
  }
  EXPECT_EQ(kills, (std::vector<std::string>{
                     "kill c1 " + std::to_string(SIGTERM), "kill c1 " + std::to_string(SIGKILL),
                     "kill c1 " + std::to_string(SIGKILL), "kill c1 " + std::to_string(SIGUSR1)}));
}

TEST_F(RunSequence, TheFirstInterruptSaysOnceThatASecondOneKills)
{
  std::string id = "19835ac0baee20efa136b0485bb3e5969efa137245e810932c65015f9ee24fbf";
  api.on_create = [&] { return id; };
  api.on_result = [&] {
    console.handler(SIGINT);
    console.handler(SIGINT);
    console.handler(SIGTERM);
    return 137;
  };
  EXPECT_EQ(run_sequence(api, spec(true), console, pull), 137);
  std::vector<std::string> warnings;
  for (const auto& call : log.calls) {
    if (call.starts_with("warn")) {
      warnings.push_back(call);
    }
  }
  EXPECT_EQ(warnings, std::vector<std::string>{"warn crun-any: stopping container 19835ac0baee "
                                               "(press Ctrl-C again to kill it)"});
}

TEST_F(RunSequence, TheInterruptNoticeNamesANamedContainerAndIsSilentUnderATty)
{
  RunSpec named = spec();
  named.name = "job1";
  api.on_result = [&] {
    console.handler(SIGTERM);
    return 143;
  };
  run_sequence(api, named, console, pull);
  EXPECT_EQ(std::count(log.calls.begin(), log.calls.end(),
                       "warn crun-any: stopping container job1 (press Ctrl-C again to kill it)"),
            1);

  // Under -t, Ctrl-C is a byte for the container's terminal; a signal sent
  // to crun-any otherwise is forwarded without advice about Ctrl-C. A
  // SIGHUP means the terminal is gone: nobody to tell.
  for (bool tty : {true, false}) {
    log.calls.clear();
    RunSpec s = spec();
    s.tty = tty;
    api.on_result = [&] {
      console.handler(tty ? SIGINT : SIGHUP);
      return 130;
    };
    run_sequence(api, s, console, pull);
    for (const auto& call : log.calls) {
      EXPECT_FALSE(call.starts_with("warn")) << call;
    }
  }
}

TEST_F(RunSequence, OutputThatCannotBeWrittenKillsAtOnceRemovesAndReportsIt)
{
  // The console's pump found stdout gone (`| head -1`): it tells the run
  // through handler(SIGPIPE), then finish_output throws.
  std::optional<std::chrono::milliseconds> answer{std::chrono::milliseconds(1)};
  api.on_result = [&] {
    answer = console.handler(SIGPIPE);
    return 137;
  };
  console.output_failure = Error(Errc::broken_pipe, "cannot write to stdout: Broken pipe");
  Error error = test::error_of([&] { run_sequence(api, spec(true), console, pull); });
  EXPECT_EQ(error.code(), Errc::broken_pipe);
  EXPECT_EQ(answer, std::nullopt); // no grace: nobody sees its output
  EXPECT_EQ(log.calls, (std::vector<std::string>{"watch_signals", "create", "attach c1",
                                                 "wait c1 removed", "start_io", "start c1",
                                                 "result", "kill c1 " + std::to_string(SIGKILL),
                                                 "finish_output", "remove c1"}));
  EXPECT_GE(console.stops, 1);
}

TEST_F(RunSequence, InterruptBeforeTheContainerExistsJustExits)
{
  api.on_create = [&] {
    console.handler(SIGINT);
    return std::string("c1");
  };
  run_sequence(api, spec(), console, pull);
  EXPECT_EQ(log.calls[2], "exit_now " + std::to_string(128 + SIGINT));
}

TEST_F(RunSequence, WindowChangesResizeATtyOnly)
{
  RunSpec s = spec();
  s.tty = true;
  console.size = TerminalSize{10, 20};
  api.on_result = [&] {
    console.handler(SIGWINCH);
    return 0;
  };
  run_sequence(api, s, console, pull);
  EXPECT_EQ(std::count(log.calls.begin(), log.calls.end(), "resize c1 10x20"), 2);
}

} // namespace
} // namespace crun::backends

namespace crun::backends {
namespace {

TEST_F(RunSequence, WithoutSigProxyNothingIsForwardedAndAnInterruptEndsCrunAnyOnly)
{
  RunSpec s = spec(true);
  s.sig_proxy = false;
  std::vector<std::optional<std::chrono::milliseconds>> answers;
  api.on_result = [&] {
    answers.push_back(console.handler(SIGUSR1));
    answers.push_back(console.handler(SIGINT));
    return 0;
  };
  EXPECT_EQ(run_sequence(api, s, console, pull), 0);
  for (const auto& call : log.calls) {
    EXPECT_FALSE(call.starts_with("kill")) << call;
    EXPECT_FALSE(call.starts_with("warn")) << call;
  }
  EXPECT_THAT(log.calls, ::testing::Contains("exit_now " + std::to_string(128 + SIGINT)));
  EXPECT_EQ(answers,
            (std::vector<std::optional<std::chrono::milliseconds>>{std::nullopt, std::nullopt}));
}

TEST_F(RunSequence, CidfileHoldsTheIdOnceCreatedAndAnExistingOneIsNotOverwritten)
{
  test::TempDir dir;
  RunSpec s = spec();
  s.cidfile = dir.path() + "/cid";
  EXPECT_EQ(run_sequence(api, s, console, pull), 0);
  std::ifstream in(s.cidfile);
  std::stringstream content;
  content << in.rdbuf();
  EXPECT_EQ(content.str(), "c1");

  // A file that appeared meanwhile: the run fails, the container is
  // removed under --rm, the file is left as it was.
  s.remove = true;
  log.calls.clear();
  auto error = test::error_of([&] { run_sequence(api, s, console, pull); });
  EXPECT_EQ(error.code(), Errc::file_error);
  EXPECT_THAT(error.message(), ::testing::HasSubstr("--cidfile " + s.cidfile + ": cannot create"));
  EXPECT_THAT(log.calls, ::testing::Contains("remove c1"));
  EXPECT_THAT(log.calls, ::testing::Not(::testing::Contains("start c1")));
  std::ifstream again(s.cidfile);
  std::stringstream kept;
  kept << again.rdbuf();
  EXPECT_EQ(kept.str(), "c1");
}

} // namespace
} // namespace crun::backends
