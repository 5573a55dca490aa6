#include <crun/backends/selection/selection.hpp>

#include "support/error_of.hpp"
#include "unit/selection/fakes.hpp"

#include <crun/backends/selection/report.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace crun::backends::selection {
namespace {

using testing::docker_ping;
using testing::FakeStarter;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::podman_ping;

constexpr const char* k_rootless_podman = "/run/user/1000/podman/podman.sock";
constexpr const char* k_system_docker = "/var/run/docker.sock";
constexpr const char* k_private = "/run/user/1000/crun-any/podman.sock";

class SelectionTest : public testing::FakeMachineTest {
protected:
  Selection select(std::string_view backend = "", std::string_view host_flag = "",
                   bool with_starter = true)
  {
    SelectionInput input;
    input.backend_flag = backend;
    input.host_flag = host_flag;
    input.os = HostOs::linux_os;
    input.probe_timeout = std::chrono::milliseconds(300);
    return select_backend(
      input, SelectionSeams{env, files, host, prober, with_starter ? &starter : nullptr});
  }

  static const Assessment& find(const Selection& s, Origin origin)
  {
    for (const auto& a : s.candidates) {
      if (a.candidate.origin == origin) {
        return a;
      }
    }
    throw std::runtime_error("no such candidate");
  }

  static std::string notes(const Selection& s, Note::Level level)
  {
    std::string out;
    for (const auto& note : s.notes) {
      if (note.level == level) {
        out += note.text + "\n";
      }
    }
    return out;
  }

  FakeStarter starter;
};

TEST_F(SelectionTest, LibpodHeaderMakesTheDockerSocketPodman)
{
  engine(k_system_docker, {podman_ping("4.9.3")});
  auto s = select();
  const Assessment* chosen = s.chosen_candidate();
  ASSERT_TRUE(chosen);
  EXPECT_EQ(chosen->candidate.origin, Origin::system_docker);
  EXPECT_EQ(chosen->candidate.expected, EngineKind::docker);
  EXPECT_EQ(chosen->kind, EngineKind::podman);
  EXPECT_EQ(chosen->engine_version, "4.9.3");
  EXPECT_THAT(notes(s, Note::Level::info),
              HasSubstr("answers as podman: using the podman adapter"));
}

TEST_F(SelectionTest, DockerHostRanksAboveContainerHost)
{
  engine("/d.sock", {docker_ping()});
  engine("/p.sock", {podman_ping()});
  env.set("DOCKER_HOST", "unix:///d.sock");
  env.set("CONTAINER_HOST", "unix:///p.sock");
  auto s = select();
  ASSERT_TRUE(s.chosen_candidate());
  EXPECT_EQ(s.chosen_candidate()->candidate.origin, Origin::docker_host);
  const Assessment& podman = find(s, Origin::container_host);
  EXPECT_EQ(podman.health, Health::healthy);
  EXPECT_FALSE(podman.chosen);
  EXPECT_EQ(podman.verdict, "healthy, but DOCKER_HOST ranks higher");
  EXPECT_EQ(starter.calls, 0);
}

TEST_F(SelectionTest, RootlessPodmanRanksAboveTheSystemDockerSocket)
{
  engine(k_system_docker, {docker_ping()});
  engine(k_rootless_podman, {podman_ping()});
  auto s = select();
  EXPECT_EQ(s.chosen_candidate()->candidate.origin, Origin::rootless_podman);
  EXPECT_EQ(find(s, Origin::system_docker).verdict,
            "healthy, but rootless Podman socket ranks higher");
}

TEST_F(SelectionTest, BackendFlagFiltersAutoDetectionByWhatAnswers)
{
  engine(k_rootless_podman, {podman_ping()});
  engine(k_system_docker, {podman_ping()}); // podman-docker's socket
  host.executables["podman"] = "/usr/bin/podman";
  env.set("CRUN_ANY_BACKEND", "docker");
  auto s = select();
  EXPECT_FALSE(s.chosen);
  EXPECT_EQ(find(s, Origin::system_docker).verdict,
            "answers as podman, but CRUN_ANY_BACKEND asks for docker");
  EXPECT_EQ(starter.calls, 0);
  EXPECT_THAT(find(s, Origin::on_demand_podman).verdict,
              HasSubstr("not considered: CRUN_ANY_BACKEND asks for docker"));

  engine("/home/me/.docker/desktop/docker.sock", {docker_ping()});
  s = select();
  EXPECT_EQ(s.chosen_candidate()->candidate.origin, Origin::docker_desktop);
}

TEST_F(SelectionTest, ConfigFileChoosesPodmanAmongHealthyEngines)
{
  files.files["/home/me/.config/crun-any/config.json"] = R"({"backend": "podman"})";
  engine("/home/me/.docker/run/docker.sock", {docker_ping()});
  engine(k_system_docker, {podman_ping()});
  auto s = select();
  EXPECT_EQ(s.preference.source, "/home/me/.config/crun-any/config.json");
  EXPECT_EQ(s.chosen_candidate()->candidate.origin, Origin::system_docker);
  EXPECT_THAT(find(s, Origin::docker_desktop).verdict, HasSubstr("asks for podman"));
}

TEST_F(SelectionTest, NamedEndpointDecidesTheAdapterWhateverTheBackendFlagSays)
{
  engine("/x.sock", {podman_ping()});
  auto s = select("docker", "unix:///x.sock");
  EXPECT_TRUE(s.single_endpoint);
  ASSERT_EQ(s.candidates.size(), 1u);
  ASSERT_TRUE(s.chosen_candidate());
  EXPECT_EQ(s.chosen_candidate()->kind, EngineKind::podman);
  EXPECT_THAT(s.chosen_candidate()->verdict, HasSubstr("using the podman adapter"));
  EXPECT_THAT(notes(s, Note::Level::info),
              HasSubstr("answers as podman although --backend asks for docker"));
  EXPECT_EQ(notes(s, Note::Level::warning), "");
}

TEST_F(SelectionTest, NamedEndpointThatDoesNotAnswerIsNotReplaced)
{
  engine(k_system_docker, {docker_ping()});
  host.executables["podman"] = "/usr/bin/podman";
  env.set("DOCKER_HOST", "unix:///gone.sock");
  auto s = select("docker");
  EXPECT_TRUE(s.single_endpoint);
  EXPECT_FALSE(s.chosen);
  EXPECT_EQ(s.candidates[0].health, Health::absent);
  EXPECT_EQ(starter.calls, 0);
  std::string message = unavailable_message(s);
  EXPECT_THAT(message,
              HasSubstr("no container engine answers at unix:///gone.sock (from DOCKER_HOST)"));
  EXPECT_THAT(message, HasSubstr("fix: check DOCKER_HOST=unix:///gone.sock"));
  EXPECT_THAT(message, HasSubstr("run `crun-any doctor` for details"));
}

TEST_F(SelectionTest, BrokenExplicitSettingIsAWarningWhenAnotherEngineIsUsed)
{
  env.set("DOCKER_HOST", "unix:///gone.sock");
  engine(k_rootless_podman, {podman_ping()});
  auto s = select();
  EXPECT_EQ(s.chosen_candidate()->candidate.origin, Origin::rootless_podman);
  EXPECT_THAT(notes(s, Note::Level::warning),
              HasSubstr("DOCKER_HOST=unix:///gone.sock is not used (no socket at /gone.sock); "
                        "using podman 5.2.0 at unix:///run/user/1000/podman/podman.sock"));
}

TEST_F(SelectionTest, HealthsOfEveryKind)
{
  env.set("DOCKER_HOST", "ssh://me@h");
  env.set("CONTAINER_HOST", "unix:///refuses.sock");
  env.set("CONTAINER_CONNECTION", "nope");
  host.paths.insert("/refuses.sock");
  engine(k_system_docker, {std::nullopt, Errc::protocol});
  auto s = select();
  EXPECT_EQ(find(s, Origin::docker_host).health, Health::unsupported);
  EXPECT_EQ(find(s, Origin::container_connection).health, Health::invalid);
  EXPECT_EQ(find(s, Origin::container_host).health, Health::unreachable);
  EXPECT_THAT(find(s, Origin::container_host).verdict, HasSubstr("connection refused"));
  EXPECT_EQ(find(s, Origin::rootless_podman).health, Health::absent);
  EXPECT_EQ(find(s, Origin::system_docker).health, Health::not_an_engine);
  EXPECT_THAT(find(s, Origin::system_docker).fix, HasSubstr("no Docker or Podman API"));
  EXPECT_EQ(find(s, Origin::on_demand_podman).health, Health::absent);
  EXPECT_EQ(find(s, Origin::on_demand_podman).verdict, "podman is not installed (not on PATH)");
  EXPECT_FALSE(s.chosen);
  // Missing sockets are not even pinged.
  EXPECT_FALSE(prober->probed(std::string("unix://") + k_rootless_podman));
}

TEST_F(SelectionTest, NothingReachableExplainsEveryCandidate)
{
  env.set("CONTAINER_HOST", "unix:///p.sock");
  auto s = select();
  EXPECT_FALSE(s.chosen);
  std::string message = unavailable_message(s);
  EXPECT_THAT(message, HasSubstr("no usable container engine (backend: auto, from default)"));
  EXPECT_THAT(message, HasSubstr("CONTAINER_HOST unix:///p.sock: no socket at /p.sock"));
  EXPECT_THAT(message, HasSubstr("no socket at: /run/user/1000/podman/podman.sock, "
                                 "/run/user/1000/docker.sock"));
  EXPECT_THAT(message, HasSubstr("/var/run/docker.sock, /run/podman/podman.sock"));
  EXPECT_THAT(message, HasSubstr("on-demand Podman service"));
  EXPECT_THAT(message, HasSubstr("fix: install podman"));
  EXPECT_THAT(message, HasSubstr("run `crun-any doctor` for details"));
}

TEST_F(SelectionTest, AllCandidatesArePingedAtOnce)
{
  // Each of these answers only once all of them are being pinged.
  env.set("DOCKER_HOST", "tcp://10.1.1.1:2375");
  prober->engines["tcp://10.1.1.1:2375"] = {std::nullopt, Errc::engine_unavailable, false, true};
  for (const char* path : {k_rootless_podman, "/run/user/1000/docker.sock",
                           "/home/me/.docker/run/docker.sock", k_system_docker}) {
    engine(path, {std::nullopt, Errc::engine_unavailable, false, true});
  }
  auto s = select();
  EXPECT_FALSE(s.chosen);
  for (const auto& a : s.candidates) {
    SCOPED_TRACE(a.candidate.source);
    EXPECT_THAT(a.verdict, Not(HasSubstr("one after the other")));
  }
  EXPECT_EQ(find(s, Origin::docker_host).health, Health::unreachable);
  EXPECT_EQ(find(s, Origin::docker_host).verdict,
            "cannot connect to the engine at tcp://10.1.1.1:2375: connection refused");
}

TEST_F(SelectionTest, EveryProbeHasEndedWhenSelectionReturns)
{
  // Connecting and waiting for the head each take the whole timeout: the
  // slowest a probe may be.
  env.set("DOCKER_HOST", "tcp://10.1.1.1:2375");
  prober->engines["tcp://10.1.1.1:2375"] = {std::nullopt, Errc::engine_unavailable, true};
  engine(k_system_docker, {docker_ping("20.10.24", "1.41")});
  auto s = select();
  EXPECT_EQ(prober->running(), 0);
  ASSERT_TRUE(s.chosen);
  EXPECT_EQ(s.chosen_candidate()->candidate.origin, Origin::system_docker);
  EXPECT_EQ(find(s, Origin::docker_host).health, Health::unreachable);
  EXPECT_EQ(find(s, Origin::docker_host).verdict,
            "the engine at tcp://10.1.1.1:2375 did not answer GET /_ping within 300 ms");
}

TEST_F(SelectionTest, OnDemandPodmanStartsWhenNothingElseAnswers)
{
  host.executables["podman"] = "/usr/bin/podman";
  env.set("CRUN_ANY_PODMAN_IDLE_TIMEOUT", "7");
  auto s = select();
  EXPECT_EQ(starter.calls, 1);
  EXPECT_EQ(starter.last_plan.socket, k_private);
  EXPECT_EQ(starter.last_plan.podman, "/usr/bin/podman");
  const Assessment* chosen = s.chosen_candidate();
  ASSERT_TRUE(chosen);
  EXPECT_EQ(chosen->candidate.origin, Origin::on_demand_podman);
  EXPECT_EQ(chosen->health, Health::healthy);
  EXPECT_EQ(chosen->kind, EngineKind::podman);
  EXPECT_THAT(chosen->verdict, HasSubstr("exits after 7 s idle"));
}

TEST_F(SelectionTest, OnDemandPodmanIsNotStartedWhenAnEngineAnswers)
{
  host.executables["podman"] = "/usr/bin/podman";
  engine(k_system_docker, {docker_ping()});
  auto s = select();
  EXPECT_EQ(starter.calls, 0);
  EXPECT_EQ(find(s, Origin::on_demand_podman).health, Health::not_started);
  EXPECT_EQ(find(s, Origin::on_demand_podman).verdict, "not needed: system Docker socket answers");
}

TEST_F(SelectionTest, ARunningOnDemandServiceIsReused)
{
  host.executables["podman"] = "/usr/bin/podman";
  engine(k_private, {podman_ping("4.3.1")});
  auto s = select();
  EXPECT_EQ(starter.calls, 0);
  ASSERT_TRUE(s.chosen_candidate());
  EXPECT_EQ(s.chosen_candidate()->candidate.origin, Origin::on_demand_podman);
  EXPECT_THAT(s.chosen_candidate()->verdict, HasSubstr("reused"));
}

TEST_F(SelectionTest, AStaleOnDemandSocketIsJustNotStarted)
{
  host.executables["podman"] = "/usr/bin/podman";
  host.paths.insert(k_private); // refuses: a dead service's socket
  auto s = select("", "", false);
  const Assessment& on_demand = find(s, Origin::on_demand_podman);
  EXPECT_EQ(on_demand.health, Health::not_started);
  EXPECT_TRUE(on_demand.chosen); // no starter: chosen, to be started
}

TEST_F(SelectionTest, OnDemandStartFailureIsItsVerdict)
{
  host.executables["podman"] = "/usr/bin/podman";
  starter.failure = Error(Errc::engine_unavailable, "`podman system service` stopped at once");
  auto s = select("podman");
  EXPECT_EQ(starter.calls, 1);
  EXPECT_FALSE(s.chosen);
  const Assessment& on_demand = find(s, Origin::on_demand_podman);
  EXPECT_EQ(on_demand.health, Health::failed);
  EXPECT_THAT(on_demand.verdict, HasSubstr("stopped at once"));
  EXPECT_THAT(on_demand.fix, HasSubstr("podman-service.log"));
  EXPECT_THAT(unavailable_message(s), HasSubstr("stopped at once"));
}

TEST_F(SelectionTest, BadIdleTimeoutFailsBeforeStarting)
{
  host.executables["podman"] = "/usr/bin/podman";
  env.set("CRUN_ANY_PODMAN_IDLE_TIMEOUT", "0");
  {
    const Error error = test::error_of([&] { select(); });
    EXPECT_EQ(error.code(), Errc::invalid_input);
    EXPECT_THAT(error.message(), HasSubstr("CRUN_ANY_PODMAN_IDLE_TIMEOUT"));
  }
  EXPECT_EQ(starter.calls, 0);
}

TEST_F(SelectionTest, AppleBackendMakesTheCliTheOneCandidateOnAnyOs)
{
  engine(k_system_docker, {docker_ping()});
  env.set("DOCKER_HOST", "unix:///var/run/docker.sock");
  host.executables["container"] = "/opt/bin/container";
  prober->clis["/opt/bin/container"] = {
    testing::apple_status("/opt/bin/container", "1.2.2", "1.2.3")};
  auto s = select("apple"); // on Linux, as the tests' stand-in runs
  ASSERT_EQ(s.candidates.size(), 1U);
  const Assessment* chosen = s.chosen_candidate();
  ASSERT_TRUE(chosen);
  EXPECT_EQ(chosen->candidate.origin, Origin::apple);
  EXPECT_EQ(chosen->kind, EngineKind::apple);
  EXPECT_EQ(chosen->health, Health::healthy);
  EXPECT_EQ(chosen->engine_version, "1.2.3");
  ASSERT_TRUE(chosen->cli);
  EXPECT_EQ(chosen->cli->client_version, "1.2.2");
  EXPECT_FALSE(prober->probed("unix:///var/run/docker.sock"));
  EXPECT_EQ(starter.calls, 0);

  auto json = selection_to_json(s);
  EXPECT_EQ(json["chosen"]["endpoint"], "/opt/bin/container");
  EXPECT_EQ(json["chosen"]["kind"], "apple");
  EXPECT_EQ(json["chosen"]["version"]["client"], "1.2.2");
  EXPECT_EQ(json["chosen"]["version"]["server"], "1.2.3");
  EXPECT_TRUE(json["chosen"]["version"]["api"].is_null());
  std::string text = render_selection(s);
  EXPECT_THAT(text, HasSubstr("cli:      /opt/bin/container"));
  EXPECT_THAT(text, HasSubstr("apple container, client 1.2.2, server 1.2.3"));
}

TEST_F(SelectionTest, AStoppedAppleServiceIsUnreachableWithTheStartFix)
{
  host.executables["container"] = "/opt/bin/container";
  env.set("CRUN_ANY_BACKEND", "apple");
  auto s = select(); // the fake's unknown CLI fails as a stopped service
  EXPECT_FALSE(s.chosen);
  const Assessment& apple = find(s, Origin::apple);
  EXPECT_EQ(apple.health, Health::unreachable);
  EXPECT_THAT(apple.verdict, HasSubstr("not running"));
  EXPECT_EQ(apple.fix, "`container system start`");
  std::string message = unavailable_message(s);
  EXPECT_THAT(message, HasSubstr("backend: apple, from CRUN_ANY_BACKEND"));
  EXPECT_THAT(message, HasSubstr("Apple container CLI /opt/bin/container"));
  EXPECT_THAT(message, HasSubstr("fix: `container system start`"));
  EXPECT_THAT(message, Not(HasSubstr("not supported")));
}

TEST_F(SelectionTest, AppleVersionTroubleIsTheVerdict)
{
  host.executables["container"] = "/opt/bin/container";
  prober->clis["/opt/bin/container"] = {
    std::nullopt, Errc::engine_error,
    "container CLI 1.2.2 talks to service 1.1.0: restart it with `container system stop && "
    "container system start`"};
  auto s = select("apple");
  const Assessment& apple = find(s, Origin::apple);
  EXPECT_EQ(apple.health, Health::unsupported);
  EXPECT_THAT(apple.verdict, HasSubstr("talks to service 1.1.0"));
  EXPECT_THAT(apple.fix, HasSubstr("github.com/apple/container/releases"));

  prober->clis["/opt/bin/container"] = {std::nullopt, Errc::protocol,
                                        "`container system status` printed no JSON"};
  s = select("apple");
  EXPECT_EQ(find(s, Origin::apple).health, Health::not_an_engine);
  EXPECT_EQ(find(s, Origin::apple).verdict, "`container system status` printed no JSON");
}

TEST_F(SelectionTest, NoAppleCliIsAbsentWithTheInstallFix)
{
  auto s = select("apple");
  ASSERT_EQ(s.candidates.size(), 1U);
  const Assessment& apple = s.candidates.front();
  EXPECT_EQ(apple.health, Health::absent);
  EXPECT_THAT(apple.verdict, HasSubstr("no `container` on PATH"));
  EXPECT_THAT(apple.fix, HasSubstr("https://github.com/apple/container/releases"));
  // A missing CLI has no socket to fold into "no socket at".
  EXPECT_THAT(unavailable_message(s), HasSubstr("Apple container CLI: Apple's container CLI is "
                                                "not installed"));
}

TEST_F(SelectionTest, HostWithTheAppleBackendIsAUsageErrorNamingBoth)
{
  host.executables["container"] = "/opt/bin/container";
  Error e = test::error_of([&] { select("apple", "unix:///var/run/docker.sock"); });
  EXPECT_EQ(e.code(), Errc::usage);
  EXPECT_THAT(e.message(), HasSubstr("--host unix:///var/run/docker.sock"));
  EXPECT_THAT(e.message(), HasSubstr("apple backend (from --backend)"));
}

TEST_F(SelectionTest, AppleOnAMacRanksBelowTheSockets)
{
  host.executables["container"] = "/usr/local/bin/container";
  prober->clis["/usr/local/bin/container"] = {testing::apple_status("/usr/local/bin/container")};
  engine(k_system_docker, {docker_ping()});
  SelectionInput input;
  input.os = HostOs::macos;
  auto s = select_backend(input, SelectionSeams{env, files, host, prober, &starter});
  const Assessment& apple = find(s, Origin::apple);
  EXPECT_EQ(apple.health, Health::healthy);
  EXPECT_EQ(apple.kind, EngineKind::apple);
  EXPECT_EQ(apple.verdict, "healthy, but system Docker socket ranks higher");
  EXPECT_EQ(s.chosen_candidate()->candidate.origin, Origin::system_docker);

  host.paths.clear(); // no Docker: Apple is next
  s = select_backend(input, SelectionSeams{env, files, host, prober, &starter});
  ASSERT_TRUE(s.chosen_candidate());
  EXPECT_EQ(s.chosen_candidate()->candidate.origin, Origin::apple);
  EXPECT_EQ(s.chosen_candidate()->verdict, "chosen: the highest-ranked healthy candidate");
}

TEST_F(SelectionTest, DuplicatesArePingedOnce)
{
  env.set("DOCKER_HOST", "unix:///var/run/docker.sock");
  engine(k_system_docker, {docker_ping()});
  auto s = select();
  int count = 0;
  for (const auto& a : s.candidates) {
    count += a.candidate.uri == "unix:///var/run/docker.sock";
  }
  EXPECT_EQ(count, 1);
  EXPECT_EQ(s.chosen_candidate()->candidate.origin, Origin::docker_host);
  EXPECT_EQ(s.chosen_candidate()->candidate.also_named_by,
            std::vector<std::string>{"system Docker socket"});
}

TEST_F(SelectionTest, ABrokenPreferenceIsAnError)
{
  files.files["/home/me/.config/crun-any/config.json"] = "{";
  EXPECT_THROW(select(), Error);
}

} // namespace
} // namespace crun::backends::selection
