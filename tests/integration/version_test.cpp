// `crun-any version` as the installed binary answers it (no engine needed):
// the build and the contract versions of docs/versioning.md, each with the
// type a script reads it as.
#include "support/bench.hpp"
#include "support/process.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <regex>
#include <string>

namespace {

TEST(Version, JsonCarriesTheBuildAndTheContractVersions)
{
  auto result = crun::test::run_crun_any({"version", "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  const auto doc = nlohmann::json::parse(result.out);
  const std::regex semver("(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)");
  for (const char* key : {"version", "git", "build_type", "compiler"}) {
    ASSERT_TRUE(doc.at(key).is_string()) << key << ": " << result.out;
    EXPECT_FALSE(doc.at(key).get<std::string>().empty()) << key;
  }
  for (const char* key : {"exit_codes", "inspect_schema"}) {
    ASSERT_TRUE(doc.at(key).is_string()) << key << ": " << result.out;
    EXPECT_TRUE(std::regex_match(doc.at(key).get<std::string>(), semver)) << key;
  }
  ASSERT_TRUE(doc.at("lock_format").is_number_integer()) << result.out;
  EXPECT_EQ(doc.at("lock_format"), 1);
  // Built from this checkout: a describe (abbreviated commit, maybe a tag
  // and -dirty), not "unknown".
  EXPECT_TRUE(std::regex_search(doc.at("git").get<std::string>(), std::regex("[0-9a-f]{7,}")))
    << result.out;

  auto plain = crun::test::run_crun_any({"version"});
  ASSERT_EQ(plain.exit_code, 0) << plain.describe();
  EXPECT_NE(plain.out.find(" git: " + doc.at("git").get<std::string>() + "\n"), std::string::npos)
    << plain.out;
  EXPECT_NE(plain.out.find(" build type: " + doc.at("build_type").get<std::string>() + "\n"),
            std::string::npos)
    << plain.out;
}

} // namespace
