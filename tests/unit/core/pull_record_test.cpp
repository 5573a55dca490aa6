#include <crun/core/pull_record.hpp>

#include <crun/core/error.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace crun::core {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

Digest digest_of(char c)
{
  return Digest::parse("sha256:" + std::string(64, c));
}

PulledEntry entry(const std::string& repo, const std::string& platform, char manifest, char id)
{
  return {repo, platform, digest_of(manifest), digest_of(id)};
}

TEST(PullRecord, RoundTripsThroughItsText)
{
  PullRecord record;
  add_pull(record, entry("127.0.0.1:5000/app", "linux/amd64", 'a', 'b'));
  add_pull(record, entry("docker.io/library/alpine", "linux/arm64", 'c', 'd'));
  std::string text = write_pull_record(record);
  EXPECT_EQ(text.back(), '\n');
  PullRecord read = parse_pull_record(text, "pulls.json");
  EXPECT_EQ(read.entries, record.entries);
  EXPECT_EQ(write_pull_record(PullRecord{}), "{\n  \"pulls\": [],\n  \"version\": 1\n}\n");
  EXPECT_THAT(parse_pull_record(write_pull_record(PullRecord{}), "p").entries, IsEmpty());
}

TEST(PullRecord, DigestsAreThoseOfTheRepositoryAndPlatformOnly)
{
  PullRecord record;
  add_pull(record, entry("r/app", "linux/amd64", 'a', 'b'));
  add_pull(record, entry("r/app", "linux/arm64", 'c', 'd'));
  add_pull(record, entry("r/other", "linux/amd64", 'e', 'f'));
  EXPECT_THAT(recorded_digests(record, "r/app", Platform::parse("linux/amd64")),
              ElementsAre(digest_of('a'), digest_of('b')));
  EXPECT_THAT(recorded_digests(record, "r/app", Platform::parse("linux/aarch64")),
              ElementsAre(digest_of('c'), digest_of('d')));
  EXPECT_THAT(recorded_digests(record, "r/ap", Platform::parse("linux/amd64")), IsEmpty());
}

TEST(PullRecord, KeepsOneCopyOfAPullAndDropsTheOldestBeyondTheCap)
{
  PullRecord record;
  add_pull(record, entry("r/app", "linux/amd64", 'a', 'b'));
  add_pull(record, entry("r/x", "linux/amd64", 'c', 'd'));
  add_pull(record, entry("r/app", "linux/amd64", 'a', 'b'));
  ASSERT_EQ(record.entries.size(), 2U);
  EXPECT_EQ(record.entries.back().repository, "r/app");
  for (std::size_t i = 0; i < k_max_pull_record; ++i) {
    add_pull(record, {"r/many" + std::to_string(i), "linux/amd64", digest_of('a'), digest_of('b')});
  }
  EXPECT_EQ(record.entries.size(), k_max_pull_record);
  EXPECT_EQ(record.entries.front().repository, "r/many0");
}

TEST(PullRecord, AnythingElseIsNotARecord)
{
  const std::string bad_digest = "{\"version\": 1, \"pulls\": [{\"repository\": \"r\", "
                                 "\"platform\": \"linux/amd64\", \"manifest\": \"sha256:zz\", "
                                 "\"id\": \"x\"}]}";
  for (const std::string& text :
       {std::string(), std::string("[]"), std::string("{\"version\": 2, \"pulls\": []}"),
        std::string("{\"pulls\": []}"),
        std::string("{\"version\": 1, \"pulls\": [{\"repository\": \"r\"}]}"), bad_digest}) {
    SCOPED_TRACE(text);
    try {
      parse_pull_record(text, "/state/pulls.json");
      ADD_FAILURE() << "parsed";
    } catch (const Error& error) {
      EXPECT_EQ(error.code(), Errc::invalid_input);
      EXPECT_THAT(error.message() + (error.context().empty() ? "" : error.context().front()),
                  HasSubstr("/state/pulls.json"));
    }
  }
}

// Found by tests/fuzz/fuzz_pull_record: the version went through get<int>(),
// undefined for a number beyond int (UBSan) and wrapping 2^32 + 1 to 1.
TEST(PullRecord, AVersionBeyondIntIsUnknownNotConverted)
{
  for (const char* version :
       {"8888888888888888888888888888888888", "4294967297", "-1e300", "1.5"}) {
    SCOPED_TRACE(version);
    std::string text = std::string(R"({"pulls": [], "version": )") + version + "}";
    try {
      parse_pull_record(text, "pulls.json");
      ADD_FAILURE() << "parsed";
    } catch (const Error& error) {
      EXPECT_EQ(error.code(), Errc::invalid_input);
      EXPECT_THAT(error.message(), HasSubstr("unknown pull record version"));
    }
  }
  EXPECT_THAT(parse_pull_record(R"({"pulls": [], "version": 1.0})", "p").entries, IsEmpty());
}

} // namespace
} // namespace crun::core
