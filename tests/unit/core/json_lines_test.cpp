#include <crun/core/json_lines.hpp>

#include "support/error_of.hpp"

#include <crun/core/error.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace crun::core {
namespace {

using nlohmann::json;

// Feeds `chunks` one by one, draining after each (as the transport does),
// then finishes; returns every value.
std::vector<json> decode_all(const std::vector<std::string_view>& chunks)
{
  JsonLineDecoder decoder;
  std::vector<json> values;
  for (const auto chunk : chunks) {
    decoder.feed(chunk);
    while (auto value = decoder.next()) {
      values.push_back(std::move(*value));
    }
  }
  decoder.finish();
  return values;
}

TEST(JsonLineDecoder, DecodesOneValuePerLine)
{
  const auto values = decode_all({"{\"a\":1}\n{\"b\":2}\n"});
  ASSERT_EQ(values.size(), 2U);
  EXPECT_EQ(values[0], json({{"a", 1}}));
  EXPECT_EQ(values[1], json({{"b", 2}}));
}

// Rule: '\r' is whitespace, even when a chunk ends between '\r' and '\n'.
TEST(JsonLineDecoder, CrlfSplitBetweenCrAndLfAcrossFeeds)
{
  JsonLineDecoder decoder;
  decoder.feed("{\"status\":\"Downloading\"}\r");
  EXPECT_EQ(decoder.next(), std::nullopt);
  decoder.feed("\n{\"status\":\"Pull complete\"}\r\n");
  EXPECT_EQ(decoder.next(), json({{"status", "Downloading"}}));
  EXPECT_EQ(decoder.next(), json({{"status", "Pull complete"}}));
  EXPECT_EQ(decoder.next(), std::nullopt);
  EXPECT_NO_THROW(decoder.finish());
}

// Rule: a chunk may end anywhere, including inside a multi-byte UTF-8
// character; every two-way split and a byte-at-a-time feed decode alike.
TEST(JsonLineDecoder, LineSplitInEveryPossiblePlace)
{
  const std::string stream = "{\"status\":\"Pulling from bench/multi\",\"id\":\"1\"}\r\n"
                             "\n"
                             "{\"stream\":\"caf\xC3\xA9 \xE2\x9C\x93 \xF0\x9F\x90\xB3\\n\"}\n"
                             "  \r\n"
                             "[1,2,3]\n";
  const auto expected = decode_all({stream});
  ASSERT_EQ(expected.size(), 3U);
  EXPECT_EQ(expected[1]["stream"], "caf\xC3\xA9 \xE2\x9C\x93 \xF0\x9F\x90\xB3\n");

  for (std::size_t split = 0; split <= stream.size(); ++split) {
    SCOPED_TRACE(split);
    const std::string_view view = stream;
    EXPECT_EQ(decode_all({view.substr(0, split), view.substr(split)}), expected);
  }
  std::vector<std::string_view> bytes;
  for (std::size_t i = 0; i < stream.size(); ++i) {
    bytes.push_back(std::string_view(stream).substr(i, 1));
  }
  EXPECT_EQ(decode_all(bytes), expected);
}

// Rule: blank and whitespace-only lines are skipped.
TEST(JsonLineDecoder, BlankLinesAreWhitespace)
{
  const auto values = decode_all({"\n\r\n \t \n{\"a\":1}\n\n\n"});
  ASSERT_EQ(values.size(), 1U);
  EXPECT_EQ(values[0], json({{"a", 1}}));
}

// Rule: a line that is not JSON is a protocol error naming the line.
TEST(JsonLineDecoder, GarbageLineIsProtocolErrorNamingTheLine)
{
  JsonLineDecoder decoder;
  decoder.feed("{\"a\":1}\n<html>502 Bad Gateway</html>\r\n{\"b\":2}\n");
  EXPECT_EQ(decoder.next(), json({{"a", 1}}));
  auto error = test::error_of([&] { decoder.next(); });
  EXPECT_EQ(error.code(), Errc::protocol);
  EXPECT_EQ(error.message(),
            "engine JSON stream line 2 is not JSON: \"<html>502 Bad Gateway</html>\"");
  // The bad line is consumed: a caller that wants to may go on.
  EXPECT_EQ(decoder.next(), json({{"b", 2}}));
}

TEST(JsonLineDecoder, LongGarbageIsNamedByATruncatedEscapedExcerpt)
{
  JsonLineDecoder decoder;
  const std::string garbage = "\x1b[31m" + std::string(300, 'x') + "\n";
  decoder.feed(garbage);
  auto error = test::error_of([&] { decoder.next(); });
  EXPECT_EQ(error.code(), Errc::protocol);
  EXPECT_EQ(error.message(), "engine JSON stream line 1 is not JSON: \"\\x1b[31m" +
                               std::string(115, 'x') + "\"... (305 bytes)");
}

TEST(JsonLineDecoder, ExcerptIsCutOnACharacterBoundary)
{
  // "é" is two bytes; a cut after 2 bytes would split it, so it backs up.
  EXPECT_EQ(quoted_excerpt("a\xC3\xA9z", 2), "\"a\"... (4 bytes)");
  EXPECT_EQ(quoted_excerpt("a\xC3\xA9z", 3), "\"a\xC3\xA9\"... (4 bytes)");
  EXPECT_EQ(quoted_excerpt("short"), "\"short\"");
}

TEST(JsonLineDecoder, TwoValuesOnOneLineAreNotJson)
{
  JsonLineDecoder decoder;
  decoder.feed("{\"a\":1}{\"b\":2}\n");
  EXPECT_EQ(test::error_of([&] { decoder.next(); }).code(), Errc::protocol);
}

// Rule: leftover non-whitespace at finish() is a truncation error.
TEST(JsonLineDecoder, TruncationAtFinishIsProtocolError)
{
  JsonLineDecoder decoder;
  decoder.feed("{\"status\":\"Pull complete\"}\n{\"status\":\"Downlo");
  EXPECT_EQ(decoder.next(), json({{"status", "Pull complete"}}));
  EXPECT_EQ(decoder.next(), std::nullopt);
  auto error = test::error_of([&] { decoder.finish(); });
  EXPECT_EQ(error.code(), Errc::protocol);
  EXPECT_EQ(error.message(),
            "engine JSON stream ended in the middle of line 2 (truncated response): "
            "\"{\\\"status\\\":\\\"Downlo\"");
}

// A value without its '\n' counts as truncated too: both engines end every
// value with one, so its absence means the body was cut.
TEST(JsonLineDecoder, CompleteValueWithoutNewlineAtFinishIsTruncation)
{
  JsonLineDecoder decoder;
  decoder.feed("{\"id\":\"abc\"}");
  EXPECT_EQ(decoder.next(), std::nullopt);
  EXPECT_EQ(test::error_of([&] { decoder.finish(); }).code(), Errc::protocol);
}

TEST(JsonLineDecoder, WhitespaceTailAtFinishIsNotTruncation)
{
  JsonLineDecoder decoder;
  decoder.feed("{\"a\":1}\n \r");
  EXPECT_EQ(decoder.next(), json({{"a", 1}}));
  EXPECT_EQ(decoder.next(), std::nullopt);
  EXPECT_NO_THROW(decoder.finish());
}

TEST(JsonLineDecoder, FinishWithUnreadLinesIsACallerBug)
{
  JsonLineDecoder decoder;
  decoder.feed("{\"a\":1}\n");
  EXPECT_EQ(test::error_of([&] { decoder.finish(); }).code(), Errc::internal);
}

TEST(JsonLineDecoder, EmptyStreamIsFine)
{
  EXPECT_TRUE(decode_all({}).empty());
  EXPECT_TRUE(decode_all({"", ""}).empty());
}

// Memory stays bounded: a line longer than the limit fails as soon as it
// has grown past it, without waiting for a '\n' that may never come.
TEST(JsonLineDecoder, UnterminatedLineOverTheDefaultLimitFailsWhileFeeding)
{
  JsonLineDecoder decoder;
  decoder.feed("{\"a\":1}\n\"");
  const std::string chunk(JsonLineDecoder::k_max_line_bytes, 'x');
  auto error = test::error_of([&] { decoder.feed(chunk); });
  EXPECT_EQ(error.code(), Errc::protocol);
  EXPECT_EQ(error.message(), "engine JSON stream has a line longer than 16777216 bytes: \"\\\"" +
                               std::string(119, 'x') + "\"... (16777217 bytes)");
}

TEST(JsonLineDecoder, LineAtTheLimitIsAcceptedAndOneMoreByteIsNot)
{
  for (const std::size_t chunk : {std::size_t{1}, std::size_t{5}, std::size_t{100}}) {
    SCOPED_TRACE(chunk);
    const std::string at_limit = "\"" + std::string(62, 'x') + "\"";   // 64 bytes
    const std::string over_limit = "\"" + std::string(63, 'x') + "\""; // 65 bytes
    JsonLineDecoder decoder(64);
    const std::string stream = at_limit + "\n" + over_limit + "\n";
    std::vector<json> values;
    const Error error = test::error_of([&] {
      for (std::size_t at = 0; at < stream.size(); at += chunk) {
        decoder.feed(std::string_view(stream).substr(at, chunk));
        while (auto value = decoder.next()) {
          values.push_back(std::move(*value));
        }
      }
    });
    EXPECT_EQ(error.code(), Errc::protocol);
    ASSERT_EQ(values.size(), 1U);
    EXPECT_EQ(values[0], std::string(62, 'x'));
    // In 100-byte chunks the over-long line is complete when it arrives and
    // is caught by next(); in smaller ones feed() catches it as it grows.
    EXPECT_EQ(error.message(), chunk == 100
                                 ? "engine JSON stream line 2 is longer than 64 bytes: \"\\\"" +
                                     std::string(63, 'x') + "\\\"\""
                                 : "engine JSON stream has a line longer than 64 bytes: \"\\\"" +
                                     std::string(63, 'x') + "\\\"\"");
  }
}

TEST(JsonLineDecoder, CountsLines)
{
  JsonLineDecoder decoder;
  decoder.feed("\n{}\n\n");
  EXPECT_EQ(decoder.next(), json::object());
  EXPECT_EQ(decoder.next(), std::nullopt);
  EXPECT_EQ(decoder.line_count(), 3U);
}

} // namespace
} // namespace crun::core
