#include <crun/backends/selection/report.hpp>

#include "unit/selection/fakes.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace crun::backends::selection {
namespace {

using testing::docker_ping;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::podman_ping;

class ReportTest : public testing::FakeMachineTest {
protected:
  Selection select()
  {
    SelectionInput input;
    input.os = HostOs::linux_os;
    return select_backend(input, SelectionSeams{env, files, host, prober, nullptr});
  }
};

TEST_F(ReportTest, JsonHasTheDocumentedShape)
{
  env.set("DOCKER_HOST", "unix:///d.sock");
  env.set("CONTAINER_HOST", "unix:///p.sock");
  engine("/d.sock", {docker_ping("20.10.24+dfsg1", "1.41")});
  engine("/p.sock", {podman_ping("4.3.1")});
  auto doc = selection_to_json(select());

  EXPECT_EQ(doc.at("preference").at("backend"), "auto");
  EXPECT_EQ(doc.at("preference").at("source"), "default");
  EXPECT_EQ(doc.at("single_endpoint"), false);
  ASSERT_TRUE(doc.at("candidates").is_array());
  const auto& first = doc.at("candidates").at(0);
  std::vector<std::string> keys;
  for (const auto& item : first.items()) {
    keys.push_back(item.key());
  }
  EXPECT_EQ(keys, (std::vector<std::string>{"rank", "origin", "source", "endpoint", "also_named_by",
                                            "expected", "kind", "health", "version", "chosen",
                                            "verdict", "fix"}));
  EXPECT_EQ(first.at("rank"), 1);
  EXPECT_EQ(first.at("origin"), "DOCKER_HOST");
  EXPECT_EQ(first.at("endpoint"), "unix:///d.sock");
  EXPECT_EQ(first.at("kind"), "docker");
  EXPECT_EQ(first.at("health"), "healthy");
  EXPECT_EQ(first.at("version").at("engine"), "20.10.24+dfsg1");
  EXPECT_EQ(first.at("version").at("api"), "1.41");
  EXPECT_TRUE(first.at("version").at("libpod_api").is_null());
  EXPECT_EQ(first.at("chosen"), true);
  EXPECT_TRUE(first.at("fix").is_null());
  EXPECT_EQ(doc.at("chosen"), first);

  const auto& second = doc.at("candidates").at(1);
  EXPECT_EQ(second.at("kind"), "podman");
  EXPECT_EQ(second.at("version").at("libpod_api"), "4.3.1");
  EXPECT_EQ(second.at("chosen"), false);

  const auto& absent = doc.at("candidates").at(2);
  EXPECT_EQ(absent.at("health"), "absent");
  EXPECT_TRUE(absent.at("kind").is_null());
  EXPECT_TRUE(absent.at("version").is_null());
  EXPECT_FALSE(absent.at("fix").is_null());
  ASSERT_TRUE(doc.at("notes").is_array());
  EXPECT_EQ(doc.at("notes").back().at("level"), "info");
}

TEST_F(ReportTest, JsonChosenIsNullWhenNothingAnswers)
{
  auto doc = selection_to_json(select());
  EXPECT_TRUE(doc.at("chosen").is_null());
  EXPECT_FALSE(doc.at("candidates").empty());
}

TEST_F(ReportTest, TextListsEveryCandidateWithVerdictAndFix)
{
  env.set("CONTAINER_HOST", "unix:///p.sock");
  engine("/var/run/docker.sock", {docker_ping("27.3.1", "1.47")});
  std::string text = render_selection(select());
  EXPECT_THAT(text, HasSubstr("Backend:  auto (from default)"));
  EXPECT_THAT(text, HasSubstr("Chosen:   docker 27.3.1, API 1.47 at unix:///var/run/docker.sock "
                              "(from system Docker socket)"));
  EXPECT_THAT(text, HasSubstr("1. CONTAINER_HOST  [absent]"));
  EXPECT_THAT(text, HasSubstr("fix:      check CONTAINER_HOST=unix:///p.sock"));
  EXPECT_THAT(text, HasSubstr("system Docker socket  [healthy, chosen]"));
  // Absent default sockets are one line each once an engine is chosen.
  EXPECT_THAT(text, Not(HasSubstr("fix:      `colima start`")));
}

TEST_F(ReportTest, TextWithNothingChosenShowsEveryFix)
{
  std::string text = render_selection(select());
  EXPECT_THAT(text, HasSubstr("Chosen:   none"));
  EXPECT_THAT(text, HasSubstr("fix:      `colima start`"));
  EXPECT_THAT(text, HasSubstr("fix:      `systemctl --user start podman.socket`"));
}

} // namespace
} // namespace crun::backends::selection
