#include <crun/core/run_labels.hpp>

#include <gtest/gtest.h>

namespace crun::core {
namespace {

TEST(RunLabels, CarryThePlatformVerdictDigestAndVersion)
{
  RunProvenance provenance;
  provenance.platform = Platform{"linux", "arm64", "v8"};
  provenance.verdict = RunVerdict::allowed;
  provenance.digest = "sha256:" + std::string(64, 'a');
  provenance.digest_from_lock = true;
  provenance.version = "0.9.0";
  std::map<std::string, std::string> expected = {
    {"io.crun-any.platform", "linux/arm64/v8"},
    {"io.crun-any.policy", "allowed"},
    {"io.crun-any.digest", "sha256:" + std::string(64, 'a')},
    {"io.crun-any.locked", "true"},
    {"io.crun-any.version", "0.9.0"},
  };
  EXPECT_EQ(run_labels(provenance), expected);
}

TEST(RunLabels, LeaveOutAnUnknownDigestAndNameTheVerdict)
{
  RunProvenance provenance;
  provenance.platform = Platform{"linux", "amd64", ""};
  provenance.version = "1";
  auto labels = run_labels(provenance);
  EXPECT_EQ(labels.count("io.crun-any.digest"), 0U);
  EXPECT_EQ(labels.count("io.crun-any.locked"), 0U);
  EXPECT_EQ(labels.at("io.crun-any.policy"), "none");
  EXPECT_EQ(labels.at(std::string(k_run_label_platform)), "linux/amd64");

  provenance.verdict = RunVerdict::allowed_with_warnings;
  provenance.digest = "sha256:" + std::string(64, 'b');
  labels = run_labels(provenance);
  EXPECT_EQ(labels.at("io.crun-any.policy"), "allowed-with-warnings");
  EXPECT_EQ(labels.at("io.crun-any.locked"), "false");
}

TEST(RunLabels, OnlyKeysUnderTheirPrefixAreCrunAnys)
{
  EXPECT_TRUE(is_run_label("io.crun-any.policy"));
  EXPECT_TRUE(is_run_label("io.crun-any.anything"));
  EXPECT_FALSE(is_run_label("io.crun-anyx.policy"));
  EXPECT_FALSE(is_run_label("com.example.io.crun-any.policy"));
  EXPECT_FALSE(is_run_label("io.crun-any"));
  EXPECT_FALSE(is_run_label(""));
}

} // namespace
} // namespace crun::core
