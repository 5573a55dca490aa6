#include <crun/util/ascii.hpp>

#include <gtest/gtest.h>

namespace crun::util {
namespace {

TEST(Ascii, LowersOnlyAsciiLetters)
{
  EXPECT_EQ(ascii_lower("Application/VND.OCI.Image.Index.v1+JSON"),
            "application/vnd.oci.image.index.v1+json");
  EXPECT_EQ(ascii_lower(""), "");
  EXPECT_EQ(ascii_lower("\xC3\x84-Z"), "\xC3\x84-z"); // UTF-8 bytes untouched
}

TEST(Ascii, ComparesIgnoringCase)
{
  EXPECT_TRUE(ascii_iequals("Libpod-API-Version", "libpod-api-version"));
  EXPECT_TRUE(ascii_iequals("", ""));
  EXPECT_FALSE(ascii_iequals("Api-Version", "Api-Versions"));
  EXPECT_FALSE(ascii_iequals("a-b", "a_b"));
}

} // namespace
} // namespace crun::util
