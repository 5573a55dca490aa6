// allowed_registries matching: whole name components only, as normalised
// names, hosts case-insensitive, paths exact. Every trap of a plain string
// prefix (Gatekeeper's K8sAllowedRepos) is a row here.
#include <crun/core/error.hpp>
#include <crun/core/registry_prefix.hpp>

#include <gtest/gtest.h>

#include <string>

namespace crun::core {
namespace {

bool admits(std::string_view prefix, std::string_view ref)
{
  return RegistryPrefix::parse(prefix).admits(ImageRef::parse(ref));
}

TEST(RegistryPrefix, MatchesWholeComponentsOnly)
{
  const struct {
    std::string prefix;
    std::string ref;
    bool admitted;
  } rows[] = {
    {"ghcr.io", "ghcr.io/team/app:1", true},
    {"ghcr.io", "ghcr.io.evil.com/team/app:1", false},
    {"ghcr.io", "ghcr.io:444/team/app", false},
    {"ghcr.io", "ghcr.io-x/team/app", false},
    {"ghcr.io", "evil.com/ghcr.io/app", false},
    {"ghcr.io", "xghcr.io/app", false},
    {"ghcr.io:444", "ghcr.io:444/x", true},
    {"ghcr.io:444", "ghcr.io/x", false},
    {"ghcr.io/team", "ghcr.io/team/app", true},
    {"ghcr.io/team", "ghcr.io/team", true},
    {"ghcr.io/team", "ghcr.io/teamx/app", false},
    {"ghcr.io/team", "ghcr.io/team-x/app", false},
    {"ghcr.io/team", "ghcr.io/other/team/app", false},
    {"ghcr.io/team/app", "ghcr.io/team/app@sha256:" + std::string(64, 'a'), true},
    // Docker Hub, as its names normalise.
    {"docker.io", "alpine", true},
    {"docker.io", "user/app:1", true},
    {"docker.io/library", "alpine:3", true},
    {"docker.io/library", "docker.io/library/alpine", true},
    {"docker.io/library", "user/app", false},
    {"docker.io/library/alpine", "alpine", true},
    {"docker.io/library/alpine", "alpinex", false},
    {"docker.io/user", "user/app", true},
    {"index.docker.io", "alpine", true},
    {"docker.io", "index.docker.io/library/alpine", true},
    {"docker.io", "docker.io.evil.com/library/alpine", false},
    {"docker.io", "ghcr.io/app", false},
    {"ghcr.io", "alpine", false},
    // Hosts compare case-insensitively, paths exactly.
    {"GHCR.io/team", "ghcr.io/team/app", true},
    {"ghcr.io/team", "GHCR.IO/team/app", true},
    {"localhost:5000", "localhost:5000/app", true},
    {"localhost:5000", "localhost/app", false},
    {"localhost", "localhost:5000/app", false},
    {"[::1]:5000", "[::1]:5000/app", true},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.prefix + " vs " + row.ref);
    EXPECT_EQ(admits(row.prefix, row.ref), row.admitted);
  }
}

TEST(RegistryPrefix, NormalisesItsSpelling)
{
  EXPECT_EQ(RegistryPrefix::parse("GHCR.IO/team").str(), "ghcr.io/team");
  EXPECT_EQ(RegistryPrefix::parse("index.docker.io").str(), "docker.io");
  EXPECT_EQ(RegistryPrefix::parse("docker.io").str(), "docker.io");
  EXPECT_EQ(RegistryPrefix::parse("docker.io/library").str(), "docker.io/library");
  EXPECT_EQ(RegistryPrefix::parse("docker.io/library").path(), "library");
}

TEST(RegistryPrefix, RefusesWhatIsNoPrefix)
{
  for (std::string_view bad :
       {"", " ghcr.io", "ghcr.io /x", "https://ghcr.io", "ghcr.io/", "ghcr.io//team", "/ghcr.io",
        "ghcr.io/*", "ghcr.io/team*", "ghcr.io/Team", "ghcr.io/app:1", "ghcr.io/app@sha256:x",
        "team", "library", "team/app", "ghcr.io:/x", "-ghcr.io"}) {
    SCOPED_TRACE(bad);
    auto parsed = RegistryPrefix::try_parse(bad);
    EXPECT_FALSE(parsed);
    EXPECT_NE(parsed.problem().find("invalid registry prefix"), std::string::npos)
      << parsed.problem();
  }
  EXPECT_THROW(RegistryPrefix::parse("team"), Error);
}

TEST(RegistryPrefix, ContainmentIsOnComponents)
{
  auto p = [](std::string_view text) { return RegistryPrefix::parse(text); };
  EXPECT_TRUE(p("ghcr.io").contains(p("ghcr.io/team")));
  EXPECT_TRUE(p("ghcr.io/team").contains(p("ghcr.io/team/app")));
  EXPECT_TRUE(p("ghcr.io/team").contains(p("ghcr.io/team")));
  EXPECT_FALSE(p("ghcr.io/team").contains(p("ghcr.io")));
  EXPECT_FALSE(p("ghcr.io/team").contains(p("ghcr.io/teamx")));
  EXPECT_FALSE(p("ghcr.io").contains(p("ghcr.io:444")));
  EXPECT_FALSE(p("ghcr.io").contains(p("ghcr.io.evil.com")));
}

std::vector<std::string> intersect(const std::vector<std::string_view>& first,
                                   const std::vector<std::string_view>& second)
{
  auto parse_all = [](const std::vector<std::string_view>& texts) {
    std::vector<RegistryPrefix> out;
    out.reserve(texts.size());
    for (auto text : texts) {
      out.push_back(RegistryPrefix::parse(text));
    }
    return out;
  };
  auto both = intersect_prefixes(parse_all(first), parse_all(second));
  std::vector<std::string> out;
  out.reserve(both.size());
  for (const auto& prefix : both) {
    out.push_back(prefix.str());
  }
  return out;
}

TEST(RegistryPrefix, IntersectionKeepsWhatBothAdmit)
{
  using V = std::vector<std::string>;
  EXPECT_EQ(intersect({"ghcr.io"}, {"ghcr.io/team"}), V{"ghcr.io/team"});
  EXPECT_EQ(intersect({"ghcr.io/team"}, {"ghcr.io"}), V{"ghcr.io/team"});
  EXPECT_EQ(intersect({"ghcr.io", "quay.io"}, {"ghcr.io/team", "docker.io"}), V{"ghcr.io/team"});
  EXPECT_EQ(intersect({"ghcr.io/a", "ghcr.io/b"}, {"ghcr.io"}), (V{"ghcr.io/a", "ghcr.io/b"}));
  EXPECT_EQ(intersect({"ghcr.io"}, {"ghcr.io", "ghcr.io/team"}), V{"ghcr.io"});
  EXPECT_EQ(intersect({"ghcr.io"}, {"quay.io"}), V{});
  EXPECT_EQ(intersect({"ghcr.io/team"}, {"ghcr.io/teamx"}), V{});
  EXPECT_EQ(intersect({"ghcr.io"}, {"ghcr.io.evil.com"}), V{});
}

} // namespace
} // namespace crun::core
