#include <crun/backends/selection/preference.hpp>

#include "support/error_of.hpp"
#include "unit/selection/fakes.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace crun::backends::selection {
namespace {

using testing::FakeFiles;
using ::testing::HasSubstr;

constexpr const char* k_config = "/home/me/.config/crun-any/config.json";

class PreferenceTest : public ::testing::Test {
protected:
  PreferenceTest() { env.set("HOME", "/home/me"); }

  Error error_of(std::string_view flag = "")
  {
    return test::error_of([&] { resolve_preference(flag, env, files); });
  }

  Env env;
  FakeFiles files;
};

TEST_F(PreferenceTest, DefaultsToAuto)
{
  auto p = resolve_preference("", env, files);
  EXPECT_EQ(p.backend, BackendChoice::automatic);
  EXPECT_EQ(p.source, "default");
}

TEST_F(PreferenceTest, FlagBeatsEnvironmentBeatsConfig)
{
  files.files[k_config] = R"({"backend": "apple"})";
  env.set("CRUN_ANY_BACKEND", "podman");
  auto p = resolve_preference("docker", env, files);
  EXPECT_EQ(p.backend, BackendChoice::docker);
  EXPECT_EQ(p.source, "--backend");

  p = resolve_preference("", env, files);
  EXPECT_EQ(p.backend, BackendChoice::podman);
  EXPECT_EQ(p.source, "CRUN_ANY_BACKEND");

  env.set("CRUN_ANY_BACKEND", "");
  p = resolve_preference("", env, files);
  EXPECT_EQ(p.backend, BackendChoice::apple);
  EXPECT_EQ(p.source, k_config);
}

TEST_F(PreferenceTest, ExplicitAutoStillBeatsTheLowerLevels)
{
  env.set("CRUN_ANY_BACKEND", "podman");
  auto p = resolve_preference("auto", env, files);
  EXPECT_EQ(p.backend, BackendChoice::automatic);
  EXPECT_EQ(p.source, "--backend");
}

TEST_F(PreferenceTest, ConfigHonoursXdgConfigHome)
{
  env.set("XDG_CONFIG_HOME", "/xdg");
  files.files[k_config] = R"({"backend": "docker"})";
  files.files["/xdg/crun-any/config.json"] = R"({"backend": "podman", "policy": {"x": 1}})";
  auto p = resolve_preference("", env, files);
  EXPECT_EQ(p.backend, BackendChoice::podman);
  EXPECT_EQ(p.source, "/xdg/crun-any/config.json");
}

TEST_F(PreferenceTest, ConfigWithoutBackendKeyMeansAuto)
{
  files.files[k_config] = R"({"allowed_registries": ["ghcr.io"]})";
  EXPECT_EQ(resolve_preference("", env, files).source, "default");
  files.files[k_config] = R"({"backend": null})";
  EXPECT_EQ(resolve_preference("", env, files).source, "default");
}

TEST_F(PreferenceTest, NoHomeNoConfig)
{
  Env bare;
  EXPECT_FALSE(user_config_path(bare));
  EXPECT_EQ(resolve_preference("", bare, files).backend, BackendChoice::automatic);
}

TEST_F(PreferenceTest, BadEnvironmentValueIsAUsageError)
{
  env.set("CRUN_ANY_BACKEND", "dokcer");
  Error e = error_of();
  EXPECT_EQ(e.code(), Errc::usage);
  EXPECT_THAT(e.message(), HasSubstr("CRUN_ANY_BACKEND \"dokcer\""));
  EXPECT_THAT(e.message(), HasSubstr("auto, docker, podman or apple"));
}

TEST_F(PreferenceTest, MalformedConfigNamesFileLineAndColumn)
{
  files.files[k_config] = "{\n  \"backend\": \"podman\",\n  oops\n}\n";
  Error e = error_of();
  EXPECT_EQ(e.code(), Errc::invalid_input);
  EXPECT_THAT(e.message(), HasSubstr(std::string(k_config) + ":3:3: not valid JSON"));
  EXPECT_THAT(e.message(), ::testing::Not(HasSubstr("json.exception")));
}

TEST_F(PreferenceTest, ANumberTooBigForADoubleIsInvalidInputNotAnEscapedException)
{
  files.files[k_config] = "{\"backend\": \"podman\", \"x\": 1e999}";
  Error e = error_of();
  EXPECT_EQ(e.code(), Errc::invalid_input);
  EXPECT_THAT(e.message(), HasSubstr(std::string(k_config) + ": not valid JSON"));
}

TEST_F(PreferenceTest, TruncatedConfigNamesTheEnd)
{
  files.files[k_config] = "{\"backend\": ";
  Error e = error_of();
  EXPECT_EQ(e.code(), Errc::invalid_input);
  EXPECT_THAT(e.message(), HasSubstr(":1:"));
  EXPECT_THAT(e.message(), HasSubstr(k_config));
}

TEST_F(PreferenceTest, ConfigThatIsNoObjectOrHasABadBackendIsRefused)
{
  files.files[k_config] = R"(["podman"])";
  Error e = error_of();
  EXPECT_EQ(e.code(), Errc::invalid_input);
  EXPECT_THAT(e.message(), HasSubstr("expected a JSON object"));

  files.files[k_config] = R"({"backend": "kubernetes"})";
  e = error_of();
  EXPECT_THAT(e.message(), HasSubstr(std::string(k_config) + ": \"backend\" is \"kubernetes\""));

  files.files[k_config] = R"({"backend": 1})";
  e = error_of();
  EXPECT_THAT(e.message(), HasSubstr("\"backend\" is 1"));
}

TEST_F(PreferenceTest, ABrokenConfigDoesNotMatterWhenAFlagDecides)
{
  files.files[k_config] = "{{{";
  EXPECT_EQ(resolve_preference("docker", env, files).backend, BackendChoice::docker);
}

} // namespace
} // namespace crun::backends::selection
