// The engine-kind table: one consistent row per kind, Apple's CLI found on
// PATH before the installer's path, and connect refusing a candidate
// without a target instead of dereferencing nothing.

#include <crun/backends/selection/engine_kinds.hpp>

#include "support/error_of.hpp"
#include "unit/selection/fakes.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace crun::backends::selection {
namespace {

using ::testing::HasSubstr;
using Target = EngineKindEntry::Target;

TEST(EngineKinds, EveryKindHasACompleteRow)
{
  for (EngineKind kind : {EngineKind::docker, EngineKind::podman, EngineKind::apple}) {
    const EngineKindEntry& row = engine_kind(kind);
    EXPECT_EQ(row.kind, kind);
    EXPECT_EQ(row.name, engine_kind_name(kind));
    EXPECT_TRUE(row.probe && row.assess && row.connect) << row.name;
    // Executable kinds say how they are found and what to do without one.
    bool executable = row.target == Target::executable;
    EXPECT_EQ(row.find != nullptr, executable) << row.name;
    EXPECT_EQ(!row.not_found.empty(), executable) << row.name;
    EXPECT_EQ(!row.install_fix.empty(), executable) << row.name;
  }
  EXPECT_EQ(engine_kind(EngineKind::apple).target, Target::executable);
  EXPECT_EQ(engine_kind(EngineKind::docker).target, Target::endpoint);
}

TEST(EngineKinds, AppleIsFoundOnPathBeforeTheInstallersPath)
{
  testing::FakeHost host;
  const EngineKindEntry& apple = engine_kind(EngineKind::apple);
  EXPECT_EQ(apple.find(host), std::nullopt);
  host.paths.insert("/usr/local/bin/container");
  EXPECT_EQ(apple.find(host), "/usr/local/bin/container");
  host.executables["container"] = "/opt/homebrew/bin/container";
  EXPECT_EQ(apple.find(host), "/opt/homebrew/bin/container");
}

TEST(EngineKinds, ConnectRefusesACandidateWithoutATarget)
{
  Env env;
  Assessment apple;
  apple.candidate.expected = EngineKind::apple;
  Error e = test::error_of(
    [&] { engine_kind(EngineKind::apple).connect(apple, env, std::chrono::milliseconds(10)); });
  EXPECT_EQ(e.code(), Errc::engine_unavailable);
  EXPECT_THAT(e.message(), HasSubstr("not installed"));

  Assessment docker;
  docker.candidate.source = "DOCKER_HOST";
  e = test::error_of(
    [&] { engine_kind(EngineKind::docker).connect(docker, env, std::chrono::milliseconds(10)); });
  EXPECT_EQ(e.code(), Errc::engine_unavailable);
  EXPECT_THAT(e.message(), HasSubstr("DOCKER_HOST names no usable endpoint"));
}

TEST(EngineKinds, AppleJudgesARunningServiceHealthyAndAStoppedOneUnreachable)
{
  const EngineKindEntry& apple = engine_kind(EngineKind::apple);
  Assessment a;
  a.candidate.executable = "/usr/local/bin/container";
  ProbeOutcome outcome;
  outcome.status = ProbeOutcome::Status::answered;
  outcome.cli = testing::apple_status("/usr/local/bin/container", "1.4.1", "");
  apple.assess(a, outcome);
  EXPECT_EQ(a.health, Health::healthy);
  EXPECT_EQ(a.engine_version, "1.4.1"); // the client's when the server's is unknown

  outcome.cli->running = false;
  Assessment stopped;
  apple.assess(stopped, outcome);
  EXPECT_EQ(stopped.health, Health::unreachable);
  EXPECT_EQ(stopped.fix, "`container system start`");
}

} // namespace
} // namespace crun::backends::selection
