#include <crun/util/base64.hpp>

#include <gtest/gtest.h>

namespace crun::util {
namespace {

TEST(Base64, EncodesWithPadding)
{
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("user:p@ss"), "dXNlcjpwQHNz");
  EXPECT_EQ(base64_encode(std::string("\xff\xfe\x00", 3)), "//4A");
}

TEST(Base64, DecodesWithOrWithoutPadding)
{
  EXPECT_EQ(base64_decode("Zg=="), "f");
  EXPECT_EQ(base64_decode("Zg"), "f");
  EXPECT_EQ(base64_decode("Zm8="), "fo");
  EXPECT_EQ(base64_decode("Zm9v"), "foo");
  EXPECT_EQ(base64_decode(" dXNlcjpwQHNz\n"), "user:p@ss");
  EXPECT_EQ(base64_decode(""), "");
  EXPECT_EQ(base64_decode("//4A"), std::string("\xff\xfe\x00", 3));
}

TEST(Base64, RefusesWhatIsNotBase64)
{
  for (const char* text : {"Z", "Zm9v=", "Zg===", "Z=g=", "Zm9v!", "Zm 9v", "Zm9-"}) {
    SCOPED_TRACE(text);
    EXPECT_EQ(base64_decode(text), std::nullopt);
  }
}

} // namespace
} // namespace crun::util
