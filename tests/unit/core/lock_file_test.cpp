// The lock file's text: what write() produces byte for byte, that parse()
// reads it back, and every malformed case with the message it gives.
#include <crun/core/lock_file.hpp>

#include <crun/core/error.hpp>

#include <gtest/gtest.h>

#include <string>

namespace crun::core {
namespace {

const std::string k_a = "sha256:" + std::string(64, 'a');
const std::string k_b = "sha256:" + std::string(64, 'b');
const std::string k_c = "sha256:" + std::string(64, 'c');

LockFile sample()
{
  LockFile lock;
  lock.images.insert_or_assign(
    "docker.io/library/alpine:latest",
    LockedImage{"latest",
                LockKind::index,
                Digest::parse(k_a),
                {{"linux/amd64", Digest::parse(k_b)}, {"linux/arm64", Digest::parse(k_c)}}});
  lock.images.insert_or_assign(
    "127.0.0.1:5857/bench/small:1",
    LockedImage{
      "1", LockKind::manifest, Digest::parse(k_b), {{"linux/amd64", Digest::parse(k_b)}}});
  return lock;
}

const std::string k_sample_text = R"({
  "images": {
    "127.0.0.1:5857/bench/small:1": {
      "digest": ")" + k_b + R"(",
      "kind": "manifest",
      "platforms": {
        "linux/amd64": ")" + k_b + R"("
      },
      "tag": "1"
    },
    "docker.io/library/alpine:latest": {
      "digest": ")" + k_a + R"(",
      "kind": "index",
      "platforms": {
        "linux/amd64": ")" + k_b + R"(",
        "linux/arm64": ")" + k_c + R"("
      },
      "tag": "latest"
    }
  },
  "version": 1
}
)";

std::string message_of(std::string_view text)
{
  try {
    parse_lock_file(text, "crun-any.lock");
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), Errc::invalid_input);
    return error.message();
  }
  ADD_FAILURE() << "parsed: " << text;
  return {};
}

// A one-image lock with `entry` as the entry of `key`.
std::string with_entry(const std::string& key, const std::string& entry)
{
  return R"({"version": 1, "images": {")" + key + R"(": )" + entry + "}}";
}

std::string entry(const std::string& fields)
{
  return "{" + fields + "}";
}

const std::string k_good_fields = R"("tag": "latest", "kind": "index", "digest": ")" + k_a +
                                  R"(", "platforms": {"linux/amd64": ")" + k_b + R"("})";

TEST(LockFile, WritesSortedKeysTwoSpacesAndATrailingNewline)
{
  EXPECT_EQ(write_lock_file(sample()), k_sample_text);
}

TEST(LockFile, ReadsBackWhatItWrites)
{
  EXPECT_EQ(parse_lock_file(k_sample_text, "crun-any.lock"), sample());
  EXPECT_EQ(write_lock_file(parse_lock_file(k_sample_text, "x")), k_sample_text);
}

TEST(LockFile, AnEmptyLockIsVersionAndNoImages)
{
  EXPECT_EQ(write_lock_file(LockFile{}), "{\n  \"images\": {},\n  \"version\": 1\n}\n");
  EXPECT_TRUE(parse_lock_file(write_lock_file(LockFile{}), "x").images.empty());
}

TEST(LockFile, NormalisesKeysAndPlatformsOnRead)
{
  auto lock =
    parse_lock_file(with_entry("alpine", entry(R"("tag": "latest", "kind": "index", "digest": ")" +
                                               k_a + R"(", "platforms": {"linux/x86_64": ")" + k_b +
                                               R"(", "linux/aarch64/v8": ")" + k_c + R"("})")),
                    "x");
  ASSERT_EQ(lock.images.size(), 1u);
  const auto& image = lock.images.at("docker.io/library/alpine:latest");
  EXPECT_EQ(image.platforms.at("linux/amd64").str(), k_b);
  EXPECT_EQ(image.platforms.at("linux/arm64").str(), k_c);
}

TEST(LockFile, FindsAnEntryByAnySpellingOfItsReference)
{
  LockFile lock = sample();
  for (const char* spelling :
       {"alpine", "alpine:latest", "docker.io/library/alpine", "index.docker.io/library/alpine"}) {
    SCOPED_TRACE(spelling);
    const LockedImage* found = lock.find(ImageRef::parse(spelling));
    ASSERT_NE(found, nullptr);
    EXPECT_EQ(found->digest.str(), k_a);
  }
  EXPECT_NE(lock.find(ImageRef::parse("alpine@" + k_a)), nullptr);
  EXPECT_EQ(lock.find(ImageRef::parse("alpine:3")), nullptr);
  EXPECT_EQ(lock.find(ImageRef::parse("127.0.0.1:5857/bench/small:2")), nullptr);
}

TEST(LockFile, PlatformKeysAreNormalised)
{
  EXPECT_EQ(lock_platform_key(Platform::parse("linux/x86_64")), "linux/amd64");
  EXPECT_EQ(lock_platform_key(Platform::parse("linux/arm64/v8")), "linux/arm64");
  EXPECT_EQ(lock_platform_key(Platform::parse("linux/armhf")), "linux/arm/v7");
}

TEST(LockFile, RefusesMalformedText)
{
  const struct {
    std::string text;
    std::string message;
  } rows[] = {
    // JSON syntax: file, line and column of the offending character.
    {"", "crun-any.lock:1:1: not valid JSON: "},
    {"{\n  \"version\": 1,\n  \"images\": {,}\n}\n", "crun-any.lock:3:14: not valid JSON: "},
    {"{\"version\": 1, \"images\": {}", "crun-any.lock:1:28: not valid JSON: "},
    {"{\"version\": 1}\nx", "crun-any.lock:2:1: not valid JSON: "},
    // Duplicate keys, which nlohmann would quietly collapse.
    {R"({"version": 1, "version": 1, "images": {}})",
     "crun-any.lock: version: the key appears twice in one object"},
    {with_entry("alpine", entry(k_good_fields + R"(, "tag": "latest")")),
     R"(crun-any.lock: images["alpine"].tag: the key appears twice in one object)"},
    {with_entry("alpine", entry(R"("tag": "latest", "kind": "index", "digest": ")" + k_a +
                                R"(", "platforms": {"linux/amd64": ")" + k_b +
                                R"(", "linux/amd64": ")" + k_b + R"("})")),
     R"(crun-any.lock: images["alpine"].platforms["linux/amd64"]: the key appears twice in one )"
     R"(object)"},
    // Bad JSON after a duplicate key: the syntax error is the one reported.
    {R"({"version": 1, "version": 1, "images": {,}})", "crun-any.lock:1:41: not valid JSON: "},
    // Top level.
    {"[]", "crun-any.lock: (top level): must be an object, not array"},
    {R"({"images": {}})", "crun-any.lock: version: missing"},
    {R"({"version": "1", "images": {}})", "crun-any.lock: version: must be an integer, not string"},
    {R"({"version": 1.5, "images": {}})", "crun-any.lock: version: must be an integer, not number"},
    {R"({"version": 0, "images": {}})",
     "crun-any.lock: version: 0 is no lock file version (this crun-any reads 1)"},
    {R"({"version": 2, "images": {}})",
     "crun-any.lock: lock file version 2 is newer than this crun-any reads (1): upgrade crun-any"},
    {R"({"version": 1})", "crun-any.lock: images: missing"},
    {R"({"version": 1, "images": []})", "crun-any.lock: images: must be an object, not array"},
    {R"({"version": 1, "images": {}, "created": "today"})",
     "crun-any.lock: created: unknown field (known: images, version)"},
    // Image keys.
    {with_entry("Alpine", entry(k_good_fields)),
     R"(crun-any.lock: images["Alpine"]: invalid reference "Alpine": repository name must be lowercase)"},
    {with_entry("alpine@" + k_a, entry(k_good_fields)),
     R"(crun-any.lock: images["alpine@)" + k_a + R"("]: a lock key names a tag, not a digest)"},
    {R"({"version": 1, "images": {"alpine": )" + entry(k_good_fields) +
       R"(, "docker.io/library/alpine:latest": )" + entry(k_good_fields) + "}}",
     R"(crun-any.lock: images["docker.io/library/alpine:latest"]: names docker.io/library/alpine:latest, as another key of images does)"},
    // Entries.
    {with_entry("alpine", "[]"),
     R"(crun-any.lock: images["alpine"]: must be an object, not array)"},
    {with_entry("alpine", entry(R"("kind": "index", "digest": ")" + k_a +
                                R"(", "platforms": {"linux/amd64": ")" + k_b + R"("})")),
     R"(crun-any.lock: images["alpine"].tag: missing)"},
    {with_entry("alpine", entry(R"("tag": 1, "kind": "index", "digest": ")" + k_a +
                                R"(", "platforms": {"linux/amd64": ")" + k_b + R"("})")),
     R"(crun-any.lock: images["alpine"].tag: must be a string, not number)"},
    {with_entry("alpine", entry(R"("tag": "3", "kind": "index", "digest": ")" + k_a +
                                R"(", "platforms": {"linux/amd64": ")" + k_b + R"("})")),
     R"(crun-any.lock: images["alpine"].tag: "3" is not the tag of the key ("latest"))"},
    {with_entry("alpine", entry(R"("tag": "latest", "kind": "list", "digest": ")" + k_a +
                                R"(", "platforms": {"linux/amd64": ")" + k_b + R"("})")),
     R"(crun-any.lock: images["alpine"].kind: must be "index" or "manifest", not "list")"},
    {with_entry("alpine", entry(k_good_fields + R"(, "pulled": true)")),
     R"(crun-any.lock: images["alpine"].pulled: unknown field (known: digest, kind, platforms, tag))"},
    // Digests.
    {with_entry("alpine", entry(R"("tag": "latest", "kind": "index", "digest": "sha256:abc",)"
                                R"( "platforms": {"linux/amd64": ")" +
                                k_b + R"("})")),
     R"(crun-any.lock: images["alpine"].digest: digest "sha256:abc" has 3 hex characters: sha256 digests have exactly 64)"},
    {with_entry("alpine", entry(R"("tag": "latest", "kind": "index", "digest": ")" + k_a +
                                R"(", "platforms": {"linux/amd64": 5})")),
     R"(crun-any.lock: images["alpine"].platforms["linux/amd64"]: must be a digest string, not number)"},
    {with_entry("alpine", entry(R"("tag": "latest", "kind": "index", "digest": ")" + k_a +
                                R"(", "platforms": {"linux/amd64": "md5:00"})")),
     R"(crun-any.lock: images["alpine"].platforms["linux/amd64"]: unsupported digest algorithm "md5" in "md5:00": crun-any accepts sha256 digests only)"},
    // Platforms.
    {with_entry("alpine", entry(R"("tag": "latest", "kind": "index", "digest": ")" + k_a +
                                R"(", "platforms": {})")),
     R"(crun-any.lock: images["alpine"].platforms: no platform: an entry locks at least one)"},
    {with_entry("alpine", entry(R"("tag": "latest", "kind": "index", "digest": ")" + k_a +
                                R"(", "platforms": [])")),
     R"(crun-any.lock: images["alpine"].platforms: must be an object, not array)"},
    {with_entry("alpine", entry(R"("tag": "latest", "kind": "index", "digest": ")" + k_a +
                                R"(", "platforms": {"linux//amd64": ")" + k_b + R"("})")),
     R"(crun-any.lock: images["alpine"].platforms["linux//amd64"]: )"},
    {with_entry("alpine", entry(R"("tag": "latest", "kind": "index", "digest": ")" + k_a +
                                R"(", "platforms": {"linux/amd64": ")" + k_b +
                                R"(", "linux/x86_64": ")" + k_c + R"("})")),
     R"(crun-any.lock: images["alpine"].platforms["linux/x86_64"]: names linux/amd64, as another key of platforms does)"},
    {with_entry("alpine", entry(R"("tag": "latest", "kind": "manifest", "digest": ")" + k_a +
                                R"(", "platforms": {"linux/amd64": ")" + k_b + R"("})")),
     R"(crun-any.lock: images["alpine"].platforms: a "manifest" entry has one platform, whose digest is the entry's digest)"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.text);
    std::string message = message_of(row.text);
    // Messages that end in ": " continue with the parser's own words.
    if (row.message.ends_with(": ")) {
      EXPECT_TRUE(message.starts_with(row.message)) << message;
      EXPECT_GT(message.size(), row.message.size()) << message;
    } else {
      EXPECT_EQ(message, row.message);
    }
  }
}

// Found by tests/fuzz/fuzz_lock_file: nlohmann throws out_of_range, not
// parse_error, for a number too big for a double, and it escaped as no
// crun::Error.
TEST(LockFile, ANumberTooBigForADoubleIsInvalidInput)
{
  EXPECT_EQ(message_of("6e11116,+"),
            "crun-any.lock: not valid JSON: number overflow parsing '6e11116'");
  EXPECT_EQ(message_of(R"({"version": 1e999, "images": {}})"),
            "crun-any.lock: not valid JSON: number overflow parsing '1e999'");
}

} // namespace
} // namespace crun::core

namespace crun::core {
namespace {

TEST(LockDrifts, NoneWhenTheRegistryServesWhatIsLocked)
{
  LockedImage locked = sample().images.at("docker.io/library/alpine:latest");
  EXPECT_TRUE(lock_drifts(locked, locked).empty());
  // A platform served but not locked (locked with --platform) is no drift.
  LockedImage one = locked;
  one.platforms.erase("linux/arm64");
  EXPECT_TRUE(lock_drifts(one, locked).empty());
}

TEST(LockDrifts, NamesTheDigestAndEachPlatformThatMoved)
{
  LockedImage locked = sample().images.at("docker.io/library/alpine:latest");
  LockedImage served{
    "latest", LockKind::manifest, Digest::parse(k_c), {{"linux/arm64", Digest::parse(k_c)}}};
  EXPECT_EQ(lock_drifts(locked, served), (std::vector<LockDrift>{
                                           {"digest", k_a, k_c},
                                           {"linux/amd64", k_b, "none"},
                                         }));
  served.platforms = {{"linux/amd64", Digest::parse(k_c)}, {"linux/arm64", Digest::parse(k_a)}};
  served.digest = Digest::parse(k_a);
  EXPECT_EQ(lock_drifts(locked, served), (std::vector<LockDrift>{
                                           {"linux/amd64", k_b, k_c},
                                           {"linux/arm64", k_c, k_a},
                                         }));
}

} // namespace
} // namespace crun::core
