// Engines and registries that stall, truncate, corrupt or hang up (issue 11):
// a fault-injecting proxy (support/fault_proxy.hpp) sits in front of the
// bench's real engine socket or registry port and misbehaves at one chosen
// call, and crun-any, with its deadlines shortened through CRUN_ANY_TIMEOUT
// and CRUN_ANY_PULL_IDLE_TIMEOUT, must end within them: the exit code, a
// message naming the endpoint and the call, and how long it took. Each run
// is killed after a minute, so a hang fails the test instead of blocking it.
#include "support/bench.hpp"
#include "support/bench_fixtures.hpp"
#include "support/fault_proxy.hpp"
#include "support/process.hpp"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;
using crun::test::Fault;
using crun::test::FaultProxy;
using crun::test::ProcessOptions;
using crun::test::ProcessResult;

// The deadlines the cases set (seconds), and how long a case may take at
// most: the deadline plus a generous margin for a loaded machine. Without
// the deadlines these commands would not end at all.
constexpr int k_deadline_s = 2;
constexpr int k_long_s = 120; // a deadline no case reaches
constexpr auto k_bound = 25s;

class StallTest : public crun::test::EngineTest {
protected:
  void SetUp() override
  {
    EngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) {
      return;
    }
    // The image the inspect and run cases read is in the engine.
    ProcessResult pulled = crun({"pull", "-q", bench.image_small});
    ASSERT_EQ(pulled.exit_code, 0) << pulled.describe();
  }

  std::string engine_socket() const
  {
    return backend() == "docker" ? bench.docker_socket() : bench.podman_socket();
  }

  // The requests of this engine's image inspect ("GET .../images/<name>/json").
  static Fault on_image_inspect(Fault::Kind kind, std::size_t body_bytes = 0)
  {
    return Fault{kind, "GET", {"/images/", "/json"}, body_bytes};
  }

  // CRUN_ANY_TIMEOUT and CRUN_ANY_PULL_IDLE_TIMEOUT: one is the short
  // deadline, the other long, so that a case shows which one governs.
  static std::vector<std::string> deadlines(int call_s, int pull_idle_s)
  {
    return {"CRUN_ANY_TIMEOUT=" + std::to_string(call_s),
            "CRUN_ANY_PULL_IDLE_TIMEOUT=" + std::to_string(pull_idle_s)};
  }

  // crun-any --backend <backend> --host <proxy> args..., with the short
  // deadline for short calls (for pull streams when `pull` is set) and a
  // long one for the other, killed after a minute.
  ProcessResult crun_via(const FaultProxy& proxy, std::vector<std::string> args,
                         bool pull = false) const
  {
    ProcessOptions options;
    options.env_unset = crun::test::k_engine_variables;
    options.env_set = pull ? deadlines(k_long_s, k_deadline_s) : deadlines(k_deadline_s, k_long_s);
    options.env_set.emplace_back("NO_COLOR=1");
    options.timeout = 60s;
    args.insert(args.begin(), {"--backend", backend(), "--host", proxy.uri()});
    return crun::test::run_crun_any(args, options);
  }

public:
  // For RunStall's cleanup.
  std::vector<std::string> labelled(const std::string& label) const
  {
    return containers_labelled("crun-stall", label);
  }
  void remove(const std::string& id) const { remove_container(id); }

protected:
  static void expect_in_time(const ProcessResult& result)
  {
    EXPECT_FALSE(result.timed_out) << "crun-any hung: " << result.describe();
    EXPECT_LT(result.elapsed, k_bound) << result.describe();
  }
};

TEST_P(StallTest, InspectWhoseBodyStallsEndsAtTheDeadlineNamingTheEngineAndTheCall)
{
  FaultProxy proxy(FaultProxy::Listen::unix_socket, engine_socket(),
                   on_image_inspect(Fault::Kind::stall_body, 0));
  ProcessResult result = crun_via(proxy, {"inspect", bench.image_small});
  EXPECT_EQ(result.exit_code, 1) << result.describe();
  EXPECT_THAT(result.err, AllOf(HasSubstr("the engine at " + proxy.uri() +
                                          " stopped sending the response to GET "),
                                HasSubstr("/json: not all of it arrived within 2 s")))
    << result.describe();
  EXPECT_GE(result.elapsed, std::chrono::seconds(k_deadline_s) - 100ms) << result.describe();
  expect_in_time(result);
  EXPECT_GE(proxy.faults(), 1);
}

TEST_P(StallTest, InspectWhoseHeadNeverComesIsNoEngineExit4)
{
  FaultProxy proxy(FaultProxy::Listen::unix_socket, engine_socket(),
                   on_image_inspect(Fault::Kind::stall_head));
  ProcessResult result = crun_via(proxy, {"inspect", bench.image_small});
  EXPECT_EQ(result.exit_code, 4) << result.describe();
  EXPECT_THAT(result.err, AllOf(HasSubstr("the engine at " + proxy.uri() + " did not answer GET "),
                                HasSubstr("/json within 2 s")))
    << result.describe();
  expect_in_time(result);
}

TEST_P(StallTest, InspectWhoseConnectionClosesBeforeAnAnswerIsNoEngineExit4)
{
  FaultProxy proxy(FaultProxy::Listen::unix_socket, engine_socket(),
                   on_image_inspect(Fault::Kind::close_early));
  ProcessResult result = crun_via(proxy, {"inspect", bench.image_small});
  EXPECT_EQ(result.exit_code, 4) << result.describe();
  EXPECT_THAT(result.err, AllOf(HasSubstr("the engine at " + proxy.uri() + " did not answer GET "),
                                HasSubstr("connection closed by the engine")))
    << result.describe();
  expect_in_time(result);
}

TEST_P(StallTest, InspectWhoseBodyIsCutShortIsAClearError)
{
  FaultProxy proxy(FaultProxy::Listen::unix_socket, engine_socket(),
                   on_image_inspect(Fault::Kind::truncate, 5));
  ProcessResult result = crun_via(proxy, {"inspect", bench.image_small});
  EXPECT_EQ(result.exit_code, 1) << result.describe();
  EXPECT_THAT(result.err,
              AllOf(HasSubstr("lost the connection to the engine at " + proxy.uri() +
                              " while reading the response to GET "),
                    HasSubstr("connection closed by the engine"), Not(HasSubstr("internal"))))
    << result.describe();
  expect_in_time(result);
}

TEST_P(StallTest, InspectWhoseBodyIsGarbageIsAClearError)
{
  FaultProxy proxy(FaultProxy::Listen::unix_socket, engine_socket(),
                   on_image_inspect(Fault::Kind::corrupt_body));
  ProcessResult result = crun_via(proxy, {"inspect", bench.image_small});
  EXPECT_EQ(result.exit_code, 1) << result.describe();
  // Garbage in a chunked body (Podman) breaks its framing; in a
  // Content-Length body (Docker), the JSON: either way the message names the
  // engine, at once rather than at the deadline.
  EXPECT_LT(result.elapsed, std::chrono::seconds(k_deadline_s)) << result.describe();
  EXPECT_THAT(result.err,
              AllOf(HasSubstr("the engine at " + proxy.uri()), Not(HasSubstr("stopped sending")),
                    Not(HasSubstr("internal")), Not(HasSubstr("bug"))))
    << result.describe();
  expect_in_time(result);
}

TEST_P(StallTest, PullWhoseEngineStreamGoesSilentEndsAtTheIdleTimeout)
{
  // Docker streams a pull from POST /images/create, Podman from POST
  // .../libpod/images/pull: the head comes, then nothing.
  std::string route = backend() == "docker" ? "/images/create" : "/images/pull";
  FaultProxy proxy(FaultProxy::Listen::unix_socket, engine_socket(),
                   Fault{Fault::Kind::stall_body, "POST", {route}, 0});
  ProcessResult result = crun_via(proxy, {"pull", "-q", bench.image_small}, true);
  EXPECT_EQ(result.exit_code, 1) << result.describe();
  EXPECT_THAT(result.err, AllOf(HasSubstr("the engine at " + proxy.uri() +
                                          " stopped sending the response to POST "),
                                HasSubstr(route), HasSubstr("nothing arrived for 2 s")))
    << result.describe();
  EXPECT_EQ(proxy.faults(), 1);
  expect_in_time(result);
}

TEST_P(StallTest, PullWhoseEngineNeverAnswersEndsAtTheIdleTimeoutExit4)
{
  std::string route = backend() == "docker" ? "/images/create" : "/images/pull";
  FaultProxy proxy(FaultProxy::Listen::unix_socket, engine_socket(),
                   Fault{Fault::Kind::stall_head, "POST", {route}, 0});
  ProcessResult result = crun_via(proxy, {"pull", "-q", bench.image_small}, true);
  EXPECT_EQ(result.exit_code, 4) << result.describe();
  EXPECT_THAT(result.err, AllOf(HasSubstr("the engine at " + proxy.uri() + " did not answer POST "),
                                HasSubstr(route), HasSubstr("within 2 s")))
    << result.describe();
  expect_in_time(result);
}

// What the engine did create before crun-any gave up is removed here, not
// by the case under test (crun-any never learnt its ID).
class RunStall {
public:
  explicit RunStall(const StallTest& test) : m_test(test) {}
  ~RunStall()
  {
    for (const auto& id : m_test.labelled(m_label)) {
      m_test.remove(id);
    }
  }
  RunStall(const RunStall&) = delete;
  RunStall& operator=(const RunStall&) = delete;
  std::string label() const { return "crun-stall=" + m_label; }

private:
  const StallTest& m_test;
  std::string m_label = crun::test::unique_name("stall");
};

TEST_P(StallTest, RunWhoseCreateStallsFailsWith125)
{
  FaultProxy proxy(FaultProxy::Listen::unix_socket, engine_socket(),
                   Fault{Fault::Kind::stall_body, "POST", {"/containers/create"}, 0});
  RunStall stall(*this);
  ProcessResult result =
    crun_via(proxy, {"run", "--rm", "--label", stall.label(), bench.image_small, "true"});
  EXPECT_EQ(result.exit_code, 125) << result.describe();
  EXPECT_THAT(
    result.err,
    AllOf(HasSubstr("the engine at " + proxy.uri() + " stopped sending the response to POST "),
          HasSubstr("/containers/create"), HasSubstr("not all of it arrived within 2 s")))
    << result.describe();
  EXPECT_EQ(proxy.faults(), 1);
  expect_in_time(result);
}

TEST_P(StallTest, RunWhoseCreateIsNeverAnsweredFailsWith125)
{
  FaultProxy proxy(FaultProxy::Listen::unix_socket, engine_socket(),
                   Fault{Fault::Kind::stall_head, "POST", {"/containers/create"}, 0});
  RunStall stall(*this);
  ProcessResult result =
    crun_via(proxy, {"run", "--rm", "--label", stall.label(), bench.image_small, "true"});
  EXPECT_EQ(result.exit_code, 125) << result.describe();
  EXPECT_THAT(result.err, AllOf(HasSubstr("the engine at " + proxy.uri() + " did not answer POST "),
                                HasSubstr("/containers/create"), HasSubstr("within 2 s")))
    << result.describe();
  expect_in_time(result);
}

TEST_P(StallTest, RunWhoseRemovalIsNeverAnsweredKeepsTheExitCodeAndWarns)
{
  // The command ran; an engine that then does not answer the DELETE of --rm
  // costs a warning, not the container's exit code (the engine removes it
  // itself: AutoRemove, libpod's remove).
  FaultProxy proxy(FaultProxy::Listen::unix_socket, engine_socket(),
                   Fault{Fault::Kind::stall_head, "DELETE", {"/containers/"}, 0});
  RunStall stall(*this);
  ProcessResult result = crun_via(proxy, {"run", "--rm", "--label", stall.label(),
                                          bench.image_small, "sh", "-c", "echo ran; exit 3"});
  EXPECT_EQ(result.exit_code, 3) << result.describe();
  EXPECT_EQ(result.out, "ran\n") << result.describe();
  EXPECT_THAT(result.err, AllOf(HasSubstr("exited with 3, but removing it (--rm) failed"),
                                HasSubstr("did not answer DELETE"), HasSubstr("rm -f ")))
    << result.describe();
  EXPECT_EQ(proxy.faults(), 1);
  expect_in_time(result);
}

TEST_P(StallTest, TheSameCallsThroughAProxyThatMisbehavesElsewhereSucceed)
{
  // The proxy itself is no fault: a run (its attach hijacks the connection)
  // and an inspect pass through it as they are.
  FaultProxy proxy(FaultProxy::Listen::unix_socket, engine_socket(),
                   Fault{Fault::Kind::stall_head, "GET", {"/never-asked"}, 0});
  ProcessResult inspected = crun_via(proxy, {"inspect", bench.image_small});
  EXPECT_EQ(inspected.exit_code, 0) << inspected.describe();
  ProcessResult ran = crun_via(proxy, {"run", "--rm", bench.image_small, "echo", "through"});
  EXPECT_EQ(ran.exit_code, 0) << ran.describe();
  EXPECT_EQ(ran.out, "through\n") << ran.describe();
  EXPECT_EQ(proxy.faults(), 0);
}

TEST_P(StallTest, RegistryWhoseManifestStallsEndsAtTheDeadlineNamingTheRegistry)
{
  // crun-any reads the manifest itself before the engine pulls: the proxy in
  // front of the bench registry stalls that answer after its head.
  FaultProxy proxy(FaultProxy::Listen::tcp, bench.registry,
                   Fault{Fault::Kind::stall_body, "GET", {"/manifests/"}, 0});
  std::string image = bench.image_small;
  ASSERT_TRUE(image.starts_with(bench.registry + "/")) << image;
  image.replace(0, bench.registry.size(), proxy.host());
  ProcessOptions options;
  options.env_set = deadlines(k_deadline_s, k_long_s);
  options.timeout = 60s;
  ProcessResult result = crun({"pull", "-q", image}, options);
  EXPECT_EQ(result.exit_code, 1) << result.describe();
  EXPECT_THAT(result.err,
              AllOf(HasSubstr("the registry " + proxy.host() +
                              " stopped sending the answer to GET http://" + proxy.host() + "/v2/"),
                    HasSubstr("/manifests/"), HasSubstr("not all of it arrived within 2 s")))
    << result.describe();
  EXPECT_GE(proxy.faults(), 1);
  expect_in_time(result);
}

TEST_P(StallTest, RegistryThatNeverAnswersEndsAtTheDeadlineNamingTheRegistry)
{
  FaultProxy proxy(FaultProxy::Listen::tcp, bench.registry,
                   Fault{Fault::Kind::stall_head, "GET", {"/manifests/"}, 0});
  std::string image = bench.image_small;
  ASSERT_TRUE(image.starts_with(bench.registry + "/")) << image;
  image.replace(0, bench.registry.size(), proxy.host());
  ProcessOptions options;
  options.env_set = deadlines(k_deadline_s, k_long_s);
  options.timeout = 60s;
  ProcessResult result = crun({"pull", "-q", image}, options);
  EXPECT_EQ(result.exit_code, 1) << result.describe();
  EXPECT_THAT(result.err, AllOf(HasSubstr("the registry " + proxy.host() +
                                          " did not answer GET http://" + proxy.host() + "/v2/"),
                                HasSubstr("/manifests/1 within 2 s"), Not(HasSubstr("engine"))))
    << result.describe();
  expect_in_time(result);
}

TEST_P(StallTest, BadTimeoutValuesAreUsageErrorsNamingTheVariable)
{
  for (const char* variable : {"CRUN_ANY_TIMEOUT", "CRUN_ANY_PULL_IDLE_TIMEOUT"}) {
    for (const char* value : {"0", "2s", "-1", "86401"}) {
      ProcessOptions options;
      options.env_set = {std::string(variable) + "=" + value};
      ProcessResult result = crun({"inspect", bench.image_small}, options);
      EXPECT_EQ(result.exit_code, 2) << result.describe();
      EXPECT_THAT(result.err, HasSubstr(fmt::format("invalid {} \"{}\": expected whole seconds "
                                                    "from 1 to 86400",
                                                    variable, value)))
        << result.describe();
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Engines, StallTest, crun::test::bench_engines(), crun::test::backend_name);

} // namespace
