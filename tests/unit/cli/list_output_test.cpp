// What the lifecycle commands print as docker does: short IDs, ages,
// sizes, tables, and the walk over names where a missing one is exit 1.

#include <crun/cli/list_output.hpp>

#include <gtest/gtest.h>

#include <sstream>

namespace {

using namespace crun::cli;

TEST(ListOutput, ShortIdIsTwelveHexWithoutAlgorithm)
{
  EXPECT_EQ(short_id("sha256:124a4afd2808dc4b2230e7ac"), "124a4afd2808");
  EXPECT_EQ(short_id("04d52c8a422924b518ed5fe0"), "04d52c8a4229");
  EXPECT_EQ(short_id("web"), "web");
}

TEST(ListOutput, AgesAsDockerSaysThem)
{
  EXPECT_EQ(human_ago(100, 100), "Less than a second ago");
  EXPECT_EQ(human_ago(100, 101), "1 second ago");
  EXPECT_EQ(human_ago(0, 59), "59 seconds ago");
  EXPECT_EQ(human_ago(0, 90), "About a minute ago");
  EXPECT_EQ(human_ago(0, 600), "10 minutes ago");
  EXPECT_EQ(human_ago(0, 4000), "About an hour ago");
  EXPECT_EQ(human_ago(0, 16 * 3600), "16 hours ago");
  EXPECT_EQ(human_ago(0, 3 * 86400), "3 days ago");
  EXPECT_EQ(human_ago(200, 100), "Less than a second ago");
}

TEST(ListOutput, SizesInSiUnitsWithThreeDigits)
{
  EXPECT_EQ(human_size(1982420), "1.98MB");
  EXPECT_EQ(human_size(69091282), "69.1MB");
  EXPECT_EQ(human_size(999), "999B");
  EXPECT_EQ(human_size(0), "0B");
}

TEST(ListOutput, TableColumnsThreeSpacesApartCountingCharacters)
{
  EXPECT_EQ(render_table({"A", "BB"}, {{"xyz", "1"}, {"\u2026", "22"}}), "A     BB\n"
                                                                         "xyz   1\n"
                                                                         "\u2026     22\n");
  EXPECT_EQ(render_table({"A", "B"}, {}), "A   B\n");
}

TEST(ListOutput, FormattedRowsAsJsonLinesOrTemplates)
{
  std::vector<nlohmann::json> rows{{{"name", "a"}}, {{"name", "b"}}};
  std::ostringstream json;
  print_formatted(json, "json", rows);
  EXPECT_EQ(json.str(), "{\"name\":\"a\"}\n{\"name\":\"b\"}\n");
  std::ostringstream names;
  print_formatted(names, "{{.name}}", rows);
  EXPECT_EQ(names.str(), "a\nb\n");
}

} // namespace
