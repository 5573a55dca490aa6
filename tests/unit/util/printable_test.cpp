#include <crun/util/printable.hpp>

#include <gtest/gtest.h>

namespace crun::util {
namespace {

TEST(Printable, ValidUtf8PassesUnchanged)
{
  const char* rows[] = {
    "",
    "plain ascii: 127.0.0.1:5857/bench/small:1",
    "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xb3",  // é € 🐳: 2, 3 and 4 bytes
    "\xc2\xa0\xdf\xbf",                           // U+00A0, U+07FF
    "\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80",       // U+0800, U+D7FF, U+E000
    "\xf0\x90\x80\x80\xf4\x8f\xbf\xbf",           // U+10000, U+10FFFF
    "a list:\n  - one\n  - two\twith a tab\\x41", // newlines, tabs and backslashes stay
  };
  for (const char* row : rows) {
    SCOPED_TRACE(row);
    EXPECT_EQ(escape_unprintable(row), row);
  }
}

TEST(Printable, InvalidSequencesAreEscapedBytePerByte)
{
  const struct {
    std::string_view text;
    const char* expected;
  } rows[] = {
    {"\xff\xfeimage", "\\xff\\xfeimage"},
    {"bad\x80ref", "bad\\x80ref"},                // a stray continuation byte
    {"\xc0\xaf", "\\xc0\\xaf"},                   // overlong '/'
    {"\xe0\x80\xaf", "\\xe0\\x80\\xaf"},          // overlong, 3 bytes
    {"\xf0\x80\x80\xaf", "\\xf0\\x80\\x80\\xaf"}, // overlong, 4 bytes
    {"\xed\xa0\x80", "\\xed\\xa0\\x80"},          // a surrogate (U+D800)
    {"\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80"}, // above U+10FFFF
    {"\xf5\x80\x80\x80", "\\xf5\\x80\\x80\\x80"}, // no such lead byte
    {"x\xe2\x82", "x\\xe2\\x82"},                 // cut short at the end
    {"\xe2\x82x\xc3\xa9", "\\xe2\\x82x\xc3\xa9"}, // cut short, then valid again
    {"\xf0\x9f\x90", "\\xf0\\x9f\\x90"},          // 4 bytes cut short
    {std::string_view("nul\0byte", 8), "nul\\x00byte"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.expected);
    EXPECT_EQ(escape_unprintable(row.text), row.expected);
  }
}

TEST(Printable, ControlCharactersCannotReachTheTerminal)
{
  EXPECT_EQ(escape_unprintable("\x1b]0;title\x07"), "\\x1b]0;title\\x07");
  EXPECT_EQ(escape_unprintable("red \x1b[31mtext\x1b[0m"), "red \\x1b[31mtext\\x1b[0m");
  EXPECT_EQ(escape_unprintable("over\rwrite"), "over\\x0dwrite");
  EXPECT_EQ(escape_unprintable("del\x7f"), "del\\x7f");
  // C1 controls, as UTF-8: U+009B is CSI on some terminals; U+0085 NEL.
  EXPECT_EQ(escape_unprintable("\xc2\x9b"
                               "31m\xc2\x85"),
            "\\xc2\\x9b31m\\xc2\\x85");
  EXPECT_EQ(escape_unprintable("\xc2\xa0"), "\xc2\xa0"); // U+00A0 is printable
}

} // namespace
} // namespace crun::util
