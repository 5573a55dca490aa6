#include <crun/backends/selection/podman_service.hpp>

#include "support/error_of.hpp"
#include "unit/selection/fakes.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace crun::backends::selection {
namespace {

using testing::FakeHost;

TEST(PodmanServicePlan, UsesTheRuntimeDirectory)
{
  FakeHost host;
  host.executables["podman"] = "/usr/bin/podman";
  Env env{{"XDG_RUNTIME_DIR", "/run/user/1000/"}};
  auto plan = plan_podman_service(env, host);
  EXPECT_EQ(plan.podman, "/usr/bin/podman");
  EXPECT_EQ(plan.dir, "/run/user/1000/crun-any");
  EXPECT_EQ(plan.socket, "/run/user/1000/crun-any/podman.sock");
  EXPECT_EQ(plan.log, "/run/user/1000/crun-any/podman-service.log");
}

TEST(PodmanServicePlan, FallsBackToAPerUserTmpDirectory)
{
  FakeHost host;
  host.uid = 501;
  auto plan = plan_podman_service(Env{}, host);
  EXPECT_EQ(plan.podman, "");
  EXPECT_EQ(plan.dir, "/tmp/crun-any-501");
  // A runtime directory too deep for a socket path (108 bytes) too.
  Env deep{{"XDG_RUNTIME_DIR", "/" + std::string(100, 'x')}};
  EXPECT_EQ(plan_podman_service(deep, host).dir, "/tmp/crun-any-501");
}

TEST(PodmanIdleTimeout, DefaultAndOverride)
{
  EXPECT_EQ(podman_idle_timeout(Env{}), k_default_podman_idle);
  EXPECT_EQ(podman_idle_timeout(Env{{"CRUN_ANY_PODMAN_IDLE_TIMEOUT", "3"}}).count(), 3);
  EXPECT_EQ(podman_idle_timeout(Env{{"CRUN_ANY_PODMAN_IDLE_TIMEOUT", "86400"}}).count(), 86400);
}

TEST(PodmanIdleTimeout, RejectsWhatWouldNeverExitOrIsNoNumber)
{
  for (const char* bad : {"0", "-1", "1.5", "10s", "86401", "9999999"}) {
    {
      const Error error =
        test::error_of([&] { podman_idle_timeout(Env{{"CRUN_ANY_PODMAN_IDLE_TIMEOUT", bad}}); });
      EXPECT_EQ(error.code(), Errc::invalid_input) << bad;
      EXPECT_THAT(error.message(), ::testing::HasSubstr(bad));
    }
  }
}

} // namespace
} // namespace crun::backends::selection
