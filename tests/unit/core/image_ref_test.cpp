#include <crun/core/image_ref.hpp>

#include "support/error_of.hpp"

#include <crun/core/error.hpp>

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace crun::core {
namespace {

const std::string k_hex = "7cc4b5aefd1d0cadf8d97d4350462ba51c694ebca145b08d7d41b41acc8db5aa";
const std::string k_digest = "sha256:" + k_hex;

std::string parse_error(std::string_view text)
{
  auto error = test::error_of([&] { ImageRef::parse(text); });
  EXPECT_EQ(error.code(), Errc::invalid_input);
  return error.message();
}

struct ValidRow {
  std::string input;
  std::string domain;
  std::string path;
  std::optional<std::string> tag;
  std::optional<std::string> digest;
  std::string str;
  std::string familiar;
};

void expect_valid(const ValidRow& row)
{
  SCOPED_TRACE(row.input);
  const auto ref = ImageRef::parse(row.input);
  EXPECT_EQ(ref.domain(), row.domain);
  EXPECT_EQ(ref.path(), row.path);
  EXPECT_EQ(ref.repository(), row.domain + "/" + row.path);
  EXPECT_EQ(ref.tag(), row.tag);
  EXPECT_EQ(ref.digest() ? std::optional(ref.digest()->str()) : std::nullopt, row.digest);
  EXPECT_EQ(ref.str(), row.str);
  EXPECT_EQ(ref.familiar(), row.familiar);
  // Both printed forms name the same image again.
  EXPECT_EQ(ImageRef::parse(ref.str()).str(), row.str);
  EXPECT_EQ(ImageRef::parse(ref.familiar()).str(), row.str);
  const auto tried = ImageRef::try_parse(row.input);
  ASSERT_TRUE(tried);
  EXPECT_EQ(*tried, ref);
  EXPECT_EQ(tried->str(), row.str);
  EXPECT_EQ(tried.problem(), "");
}

TEST(ImageRef, NormalizesSingleNameToDockerHubLibrary)
{
  const ValidRow rows[] = {
    {"busybox",
     "docker.io",
     "library/busybox",
     {},
     {},
     "docker.io/library/busybox:latest",
     "busybox:latest"},
    {"busybox:1.36",
     "docker.io",
     "library/busybox",
     "1.36",
     {},
     "docker.io/library/busybox:1.36",
     "busybox:1.36"},
    {"library/busybox",
     "docker.io",
     "library/busybox",
     {},
     {},
     "docker.io/library/busybox:latest",
     "busybox:latest"},
    {"docker.io/busybox",
     "docker.io",
     "library/busybox",
     {},
     {},
     "docker.io/library/busybox:latest",
     "busybox:latest"},
    {"docker.io/library/busybox:latest",
     "docker.io",
     "library/busybox",
     "latest",
     {},
     "docker.io/library/busybox:latest",
     "busybox:latest"},
    // A bare "localhost" or "localhost:5000" is a name (and tag) on Docker
    // Hub: only a first component followed by "/" can be a domain.
    {"localhost",
     "docker.io",
     "library/localhost",
     {},
     {},
     "docker.io/library/localhost:latest",
     "localhost:latest"},
    {"localhost:5000",
     "docker.io",
     "library/localhost",
     "5000",
     {},
     "docker.io/library/localhost:5000",
     "localhost:5000"},
    {"example.com",
     "docker.io",
     "library/example.com",
     {},
     {},
     "docker.io/library/example.com:latest",
     "example.com:latest"},
  };
  for (const auto& row : rows) {
    expect_valid(row);
  }
}

TEST(ImageRef, MapsLegacyIndexDomainToDockerIo)
{
  const ValidRow rows[] = {
    {"index.docker.io/library/busybox",
     "docker.io",
     "library/busybox",
     {},
     {},
     "docker.io/library/busybox:latest",
     "busybox:latest"},
    {"index.docker.io/busybox:1",
     "docker.io",
     "library/busybox",
     "1",
     {},
     "docker.io/library/busybox:1",
     "busybox:1"},
    {"index.docker.io/foo/bar",
     "docker.io",
     "foo/bar",
     {},
     {},
     "docker.io/foo/bar:latest",
     "foo/bar:latest"},
  };
  for (const auto& row : rows) {
    expect_valid(row);
  }
}

TEST(ImageRef, KeepsUserReposOnDockerHubWithoutLibrary)
{
  const ValidRow rows[] = {
    {"user/app", "docker.io", "user/app", {}, {}, "docker.io/user/app:latest", "user/app:latest"},
    {"user/app:v1.2.3-rc_1",
     "docker.io",
     "user/app",
     "v1.2.3-rc_1",
     {},
     "docker.io/user/app:v1.2.3-rc_1",
     "user/app:v1.2.3-rc_1"},
    {"0/1", "docker.io", "0/1", {}, {}, "docker.io/0/1:latest", "0/1:latest"},
    // Only a single component after library/ is an official image.
    {"docker.io/library/a/b",
     "docker.io",
     "library/a/b",
     {},
     {},
     "docker.io/library/a/b:latest",
     "library/a/b:latest"},
  };
  for (const auto& row : rows) {
    expect_valid(row);
  }
}

TEST(ImageRef, RecognizesDomainsByDotColonLocalhostOrUppercase)
{
  const ValidRow rows[] = {
    {"ghcr.io/org/app:1", "ghcr.io", "org/app", "1", {}, "ghcr.io/org/app:1", "ghcr.io/org/app:1"},
    {"ghcr.io/org/team/app",
     "ghcr.io",
     "org/team/app",
     {},
     {},
     "ghcr.io/org/team/app:latest",
     "ghcr.io/org/team/app:latest"},
    {"a.b/c", "a.b", "c", {}, {}, "a.b/c:latest", "a.b/c:latest"},
    {"localhost/app", "localhost", "app", {}, {}, "localhost/app:latest", "localhost/app:latest"},
    {"localhost:5000/app:dev",
     "localhost:5000",
     "app",
     "dev",
     {},
     "localhost:5000/app:dev",
     "localhost:5000/app:dev"},
    {"127.0.0.1:5000/app",
     "127.0.0.1:5000",
     "app",
     {},
     {},
     "127.0.0.1:5000/app:latest",
     "127.0.0.1:5000/app:latest"},
    {"my-registry.local:5000/team/app",
     "my-registry.local:5000",
     "team/app",
     {},
     {},
     "my-registry.local:5000/team/app:latest",
     "my-registry.local:5000/team/app:latest"},
    {"registry.example.com:443/a/b/c:1",
     "registry.example.com:443",
     "a/b/c",
     "1",
     {},
     "registry.example.com:443/a/b/c:1",
     "registry.example.com:443/a/b/c:1"},
    {"[::1]:5000/app:tag",
     "[::1]:5000",
     "app",
     "tag",
     {},
     "[::1]:5000/app:tag",
     "[::1]:5000/app:tag"},
    {"[2001:db8::1]/org/app",
     "[2001:db8::1]",
     "org/app",
     {},
     {},
     "[2001:db8::1]/org/app:latest",
     "[2001:db8::1]/org/app:latest"},
    {"[::1]/app", "[::1]", "app", {}, {}, "[::1]/app:latest", "[::1]/app:latest"},
    // docker takes an uppercase first component for a domain, as written.
    {"Foo/bar", "Foo", "bar", {}, {}, "Foo/bar:latest", "Foo/bar:latest"},
    {"Registry.Example.COM/app",
     "Registry.Example.COM",
     "app",
     {},
     {},
     "Registry.Example.COM/app:latest",
     "Registry.Example.COM/app:latest"},
  };
  for (const auto& row : rows) {
    expect_valid(row);
  }
}

TEST(ImageRef, ParsesDigestsWithAndWithoutTag)
{
  const ValidRow rows[] = {
    {"busybox@" + k_digest,
     "docker.io",
     "library/busybox",
     {},
     k_digest,
     "docker.io/library/busybox@" + k_digest,
     "busybox@" + k_digest},
    {"busybox:1.36@" + k_digest, "docker.io", "library/busybox", "1.36", k_digest,
     "docker.io/library/busybox:1.36@" + k_digest, "busybox:1.36@" + k_digest},
    {"ghcr.io/org/app:1@" + k_digest, "ghcr.io", "org/app", "1", k_digest,
     "ghcr.io/org/app:1@" + k_digest, "ghcr.io/org/app:1@" + k_digest},
    {"localhost:5000/app@" + k_digest,
     "localhost:5000",
     "app",
     {},
     k_digest,
     "localhost:5000/app@" + k_digest,
     "localhost:5000/app@" + k_digest},
    // A name that happens to be "sha256" with a 64-hex tag, as docker reads it.
    {k_digest,
     "docker.io",
     "library/sha256",
     k_hex,
     {},
     "docker.io/library/sha256:" + k_hex,
     "sha256:" + k_hex},
  };
  for (const auto& row : rows) {
    expect_valid(row);
  }
}

TEST(ImageRef, AcceptsEveryPathSeparatorAndTagShape)
{
  const std::string tag128 = "_" + std::string(127, 'x');
  const std::string name237(237, 'a');
  const std::string path247(247, 'b');
  const ValidRow rows[] = {
    {"a-b--c/d__e.f_g",
     "docker.io",
     "a-b--c/d__e.f_g",
     {},
     {},
     "docker.io/a-b--c/d__e.f_g:latest",
     "a-b--c/d__e.f_g:latest"},
    {"x:_tag", "docker.io", "library/x", "_tag", {}, "docker.io/library/x:_tag", "x:_tag"},
    {"ubuntu:Latest",
     "docker.io",
     "library/ubuntu",
     "Latest",
     {},
     "docker.io/library/ubuntu:Latest",
     "ubuntu:Latest"},
    {"x:1.2-Beta_3",
     "docker.io",
     "library/x",
     "1.2-Beta_3",
     {},
     "docker.io/library/x:1.2-Beta_3",
     "x:1.2-Beta_3"},
    {"x:" + tag128,
     "docker.io",
     "library/x",
     tag128,
     {},
     "docker.io/library/x:" + tag128,
     "x:" + tag128},
    // 255 characters once normalised is the longest name allowed.
    {name237,
     "docker.io",
     "library/" + name237,
     {},
     {},
     "docker.io/library/" + name237 + ":latest",
     name237 + ":latest"},
    {"ghcr.io/" + path247,
     "ghcr.io",
     path247,
     {},
     {},
     "ghcr.io/" + path247 + ":latest",
     "ghcr.io/" + path247 + ":latest"},
  };
  for (const auto& row : rows) {
    expect_valid(row);
  }
}

TEST(ImageRef, RejectsInvalidReferencesWithExactMessages)
{
  const std::string hex_upper(64, 'A');
  const std::string long_tag(129, 't');
  const std::string name238(238, 'a');
  const std::string sha512 = "sha512:" + std::string(128, 'a');
  const struct {
    std::string input;
    std::string message;
  } rows[] = {
    {"", "invalid reference \"\": empty reference"},
    {"Busybox", "invalid reference \"Busybox\": repository name must be lowercase"},
    {"ghcr.io/Org/app", "invalid reference \"ghcr.io/Org/app\": repository name must be lowercase"},
    {"foo/Bar:1", "invalid reference \"foo/Bar:1\": repository name must be lowercase"},
    {"FOO_BAR/x", "invalid reference \"FOO_BAR/x\": repository name must be lowercase"},
    {"a//b", "invalid reference \"a//b\": empty path component"},
    {"ghcr.io//x", "invalid reference \"ghcr.io//x\": empty path component"},
    {"/busybox", "invalid reference \"/busybox\": reference starts with \"/\""},
    {"busybox/", "invalid reference \"busybox/\": repository name ends with \"/\""},
    {"x/:1", "invalid reference \"x/:1\": repository name ends with \"/\""},
    {"ghcr.io/", "invalid reference \"ghcr.io/\": missing repository name"},
    {":tag", "invalid reference \":tag\": missing repository name"},
    {"@" + k_digest, "invalid reference \"@" + k_digest + "\": missing repository name"},
    {"busybox:", "invalid reference \"busybox:\": empty tag"},
    {"x:" + long_tag,
     "invalid reference \"x:" + long_tag + "\": tag is longer than 128 characters"},
    {"x:.tag",
     "invalid reference \"x:.tag\": tag \".tag\" must start with a letter, digit or \"_\""},
    {"x:-tag",
     "invalid reference \"x:-tag\": tag \"-tag\" must start with a letter, digit or \"_\""},
    {"x:ta+g", "invalid reference \"x:ta+g\": invalid character \"+\" in tag \"ta+g\": tags may "
               "contain letters, digits, \"_\", \".\" and \"-\""},
    {"busybox:lat est", "invalid reference \"busybox:lat est\": invalid character \" \" in tag "
                        "\"lat est\": tags may contain letters, digits, \"_\", \".\" and \"-\""},
    {"ghcr.io/org/app:v1/extra",
     "invalid reference \"ghcr.io/org/app:v1/extra\": invalid character \"/\" in tag "
     "\"v1/extra\": tags may contain letters, digits, \"_\", \".\" and \"-\""},
    {"x:tag:more", "invalid reference \"x:tag:more\": tag \"tag:more\" contains \":\": a "
                   "reference has at most one tag"},
    {"x@sha256:abc", "invalid reference \"x@sha256:abc\": digest \"sha256:abc\" has 3 hex "
                     "characters: sha256 digests have exactly 64"},
    {"x@" + sha512, "invalid reference \"x@" + sha512 +
                      "\": unsupported digest algorithm "
                      "\"sha512\" in \"" +
                      sha512 + "\": crun-any accepts sha256 digests only"},
    {"x@sha256:" + hex_upper, "invalid reference \"x@sha256:" + hex_upper + "\": digest \"sha256:" +
                                hex_upper + "\" has uppercase hex: sha256 digests are lowercase"},
    {"x@" + k_hex, "invalid reference \"x@" + k_hex + "\": digest \"" + k_hex +
                     "\" has no algorithm: expected \"sha256:\" followed by 64 lowercase hex "
                     "characters"},
    {"x@", "invalid reference \"x@\": empty digest after \"@\""},
    {"x@" + k_digest + "@" + k_digest,
     "invalid reference \"x@" + k_digest + "@" + k_digest + "\": more than one \"@\""},
    {"-busybox", "invalid reference \"-busybox\": path component \"-busybox\" must start and end "
                 "with a lowercase letter or digit"},
    {"busybox-", "invalid reference \"busybox-\": path component \"busybox-\" must start and end "
                 "with a lowercase letter or digit"},
    {"org/_app", "invalid reference \"org/_app\": path component \"_app\" must start and end with "
                 "a lowercase letter or digit"},
    {"a..b", "invalid reference \"a..b\": path component \"a..b\" has the invalid separator "
             "\"..\": separators are \".\", \"_\", \"__\" or a run of \"-\""},
    {"a___b", "invalid reference \"a___b\": path component \"a___b\" has the invalid separator "
              "\"___\": separators are \".\", \"_\", \"__\" or a run of \"-\""},
    {"org/a_-b", "invalid reference \"org/a_-b\": path component \"a_-b\" has the invalid "
                 "separator \"_-\": separators are \".\", \"_\", \"__\" or a run of \"-\""},
    {"bus box", "invalid reference \"bus box\": invalid character \" \" in path component \"bus "
                "box\": path components may contain lowercase letters, digits, \".\", \"_\" and "
                "\"-\""},
    {"busybox!", "invalid reference \"busybox!\": invalid character \"!\" in path component "
                 "\"busybox!\": path components may contain lowercase letters, digits, \".\", "
                 "\"_\" and \"-\""},
    // A character of several bytes is named whole, never cut in half.
    {"caf\xc3\xa9", "invalid reference \"caf\xc3\xa9\": invalid character \"\xc3\xa9\" in path "
                    "component \"caf\xc3\xa9\": path components may contain lowercase letters, "
                    "digits, \".\", \"_\" and \"-\""},
    {"x:v\xf0\x9f\x90\xb3", "invalid reference \"x:v\xf0\x9f\x90\xb3\": invalid character "
                            "\"\xf0\x9f\x90\xb3\" in tag \"v\xf0\x9f\x90\xb3\": tags may "
                            "contain letters, digits, \"_\", \".\" and \"-\""},
    {"ghcr.io:port/x",
     "invalid reference \"ghcr.io:port/x\": port \"port\" in domain \"ghcr.io:port\" is not a "
     "number"},
    {"localhost:5000:x/y", "invalid reference \"localhost:5000:x/y\": port \"5000:x\" in domain "
                           "\"localhost:5000:x\" is not a number"},
    {"ghcr.io:/x", "invalid reference \"ghcr.io:/x\": domain \"ghcr.io:\" has an empty port"},
    {":5000/x", "invalid reference \":5000/x\": domain \":5000\" has an empty host"},
    {"-ghcr.io/x", "invalid reference \"-ghcr.io/x\": domain component \"-ghcr\" must start and "
                   "end with a letter or digit"},
    {"ghcr..io/x", "invalid reference \"ghcr..io/x\": domain \"ghcr..io\" has an empty component"},
    {"gh_cr.io/x", "invalid reference \"gh_cr.io/x\": invalid character \"_\" in domain "
                   "\"gh_cr.io\""},
    {"[::1/x", "invalid reference \"[::1/x\": IPv6 address in domain \"[::1\" has no closing "
               "\"]\""},
    {"[::g]/x", "invalid reference \"[::g]/x\": invalid IPv6 address \"[::g]\" in domain "
                "\"[::g]\""},
    {"[]:5000/x", "invalid reference \"[]:5000/x\": invalid IPv6 address \"[]\" in domain "
                  "\"[]:5000\""},
    {"[::1]x:1/y", "invalid reference \"[::1]x:1/y\": unexpected \"x:1\" after the IPv6 address "
                   "in domain \"[::1]x:1\""},
    {k_hex, "invalid reference \"" + k_hex +
              "\": a 64-character hex string is an image ID, not a repository name"},
    {name238, "invalid reference \"" + name238 +
                "\": normalised repository name is 256 characters long, over the limit of 255"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.input);
    EXPECT_EQ(parse_error(row.input), row.message);
    // try_parse refuses the same text with the same words, without throwing.
    const auto tried = ImageRef::try_parse(row.input);
    EXPECT_FALSE(tried.has_value());
    EXPECT_EQ(tried.problem(), row.message);
  }
}

TEST(ImageRef, TagOrLatestFallsBackToLatest)
{
  EXPECT_EQ(ImageRef::parse("busybox").tag_or_latest(), "latest");
  EXPECT_EQ(ImageRef::parse("busybox:1.36").tag_or_latest(), "1.36");
  EXPECT_EQ(ImageRef::parse("busybox@" + k_digest).tag_or_latest(), "latest");
}

TEST(ImageRef, WithDigestKeepsTagAndReplacesDigest)
{
  const auto digest = Digest::parse(k_digest);
  const auto other = Digest::parse("sha256:" + std::string(64, '0'));
  const auto pinned = ImageRef::parse("ghcr.io/org/app:1").with_digest(digest);
  EXPECT_EQ(pinned.str(), "ghcr.io/org/app:1@" + k_digest);
  EXPECT_EQ(pinned.with_digest(other).str(), "ghcr.io/org/app:1@" + other.str());
  EXPECT_EQ(pinned, ImageRef::parse("ghcr.io/org/app:1@" + k_digest));
}

TEST(ImageRef, WithoutTagKeepsDigest)
{
  const auto ref = ImageRef::parse("busybox:1.36@" + k_digest);
  EXPECT_EQ(ref.without_tag().str(), "docker.io/library/busybox@" + k_digest);
  EXPECT_EQ(ref.without_tag().tag(), std::nullopt);
  // With neither left, the printed forms fall back to :latest again.
  EXPECT_EQ(ImageRef::parse("busybox:1.36").without_tag().str(),
            "docker.io/library/busybox:latest");
}

TEST(ImageRef, EqualityComparesNormalisedParts)
{
  EXPECT_EQ(ImageRef::parse("busybox"), ImageRef::parse("docker.io/library/busybox"));
  EXPECT_EQ(ImageRef::parse("busybox"), ImageRef::parse("index.docker.io/busybox"));
  // An explicit :latest is a tag; its absence is not.
  EXPECT_NE(ImageRef::parse("busybox"), ImageRef::parse("busybox:latest"));
  EXPECT_NE(ImageRef::parse("busybox:1"), ImageRef::parse("busybox:2"));
}

TEST(ImageRef, FormatsWithFmtAsStr)
{
  EXPECT_EQ(fmt::format("pulling {}", ImageRef::parse("busybox")),
            "pulling docker.io/library/busybox:latest");
}

} // namespace
} // namespace crun::core
