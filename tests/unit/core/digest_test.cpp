#include <crun/core/digest.hpp>

#include "support/error_of.hpp"

#include <crun/core/error.hpp>

#include <gtest/gtest.h>

#include <string>

namespace crun::core {
namespace {

const std::string k_hex = "7cc4b5aefd1d0cadf8d97d4350462ba51c694ebca145b08d7d41b41acc8db5aa";

std::string parse_error(std::string_view text)
{
  auto error = test::error_of([&] { Digest::parse(text); });
  EXPECT_EQ(error.code(), Errc::invalid_input);
  return error.message();
}

TEST(Digest, ParsesSha256AndFormatsItBack)
{
  const auto digest = Digest::parse("sha256:" + k_hex);
  EXPECT_EQ(digest.algorithm(), "sha256");
  EXPECT_EQ(digest.hex(), k_hex);
  EXPECT_EQ(digest.str(), "sha256:" + k_hex);
  EXPECT_EQ(fmt::format("{}", digest), "sha256:" + k_hex);
  EXPECT_EQ(Digest::parse(digest.str()), digest);
}

TEST(Digest, ComparesByValue)
{
  const auto a = Digest::parse("sha256:" + k_hex);
  const auto b = Digest::parse("sha256:" + std::string(64, '0'));
  EXPECT_EQ(a, Digest::parse("sha256:" + k_hex));
  EXPECT_NE(a, b);
  EXPECT_LT(b, a);
}

TEST(Digest, RejectsEachMalformedKindWithItsOwnMessage)
{
  const std::string sha512 = "sha512:" + std::string(128, 'a');
  const struct {
    std::string input;
    std::string message;
  } rows[] = {
    {"", "empty digest: expected \"sha256:\" followed by 64 lowercase hex characters"},
    {k_hex, "digest \"" + k_hex +
              "\" has no algorithm: expected \"sha256:\" followed by 64 lowercase hex characters"},
    {":" + k_hex,
     "digest \":" + k_hex +
       "\" has an empty algorithm: expected \"sha256:\" followed by 64 lowercase hex characters"},
    {sha512, "unsupported digest algorithm \"sha512\" in \"" + sha512 +
               "\": crun-any accepts sha256 digests only"},
    {"sha384:" + std::string(96, 'b'),
     "unsupported digest algorithm \"sha384\" in \"sha384:" + std::string(96, 'b') +
       "\": crun-any accepts sha256 digests only"},
    {"blake3:" + k_hex, "unsupported digest algorithm \"blake3\" in \"blake3:" + k_hex +
                          "\": crun-any accepts sha256 digests only"},
    {"SHA256:" + k_hex, "unsupported digest algorithm \"SHA256\" in \"SHA256:" + k_hex +
                          "\": crun-any accepts sha256 digests only"},
    {"sha256:abc", "digest \"sha256:abc\" has 3 hex characters: sha256 digests have exactly 64"},
    {"sha256:", "digest \"sha256:\" has 0 hex characters: sha256 digests have exactly 64"},
    {"sha256:" + k_hex + "0",
     "digest \"sha256:" + k_hex + "0\" has 65 hex characters: sha256 digests have exactly 64"},
    {"sha256:" + std::string(64, 'A'), "digest \"sha256:" + std::string(64, 'A') +
                                         "\" has uppercase hex: sha256 digests are lowercase"},
    {"sha256:" + std::string(63, 'a') + "g",
     "digest \"sha256:" + std::string(63, 'a') + "g\" has a non-hex character \"g\""},
    {"sha256:" + k_hex.substr(1) + ":",
     "digest \"sha256:" + k_hex.substr(1) + ":\" has a non-hex character \":\""},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.input);
    EXPECT_EQ(parse_error(row.input), row.message);
    const auto tried = Digest::try_parse(row.input);
    EXPECT_FALSE(tried.has_value());
    EXPECT_EQ(tried.problem(), row.message);
  }
  const auto valid = Digest::try_parse("sha256:" + k_hex);
  ASSERT_TRUE(valid);
  EXPECT_EQ(valid->hex(), k_hex);
  EXPECT_EQ(valid.problem(), "");
}

} // namespace
} // namespace crun::core
