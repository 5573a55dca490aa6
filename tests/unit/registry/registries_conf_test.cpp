// registries.conf as Podman reads it: which registries are insecure (v2
// [[registry]] tables, the longest prefix deciding; v1 lists), which file is
// read; and the client speaking to an insecure registry as the engines do:
// HTTPS without verification, else plain HTTP.

#include <crun/registry/registries_conf.hpp>

#include "fake_registry.hpp"
#include "fake_tls_registry.hpp"
#include "test_support.hpp"

#include <crun/registry/content_digest.hpp>
#include <crun/registry/registry_client.hpp>

#include <gtest/gtest.h>

namespace crun::registry {
namespace {

using namespace std::chrono_literals;
using test::error_of;
using test::FakeFiles;
using test::fixture;

constexpr const char* k_v2 = R"(# a comment
unqualified-search-registries = ["docker.io"]

[[registry]]
location = "reg.example:5000"   # the whole registry
insecure = true

[[registry]]
prefix = "reg.example:5000/secure"
location = "mirror.example/secure"
insecure = false

[[registry.mirror]]
location = "plain.example"
insecure = true

[[registry]]
location = '*.corp.example'
insecure = true

[[registry]]
location = "registry.example"
blocked = true

[aliases]
"x" = "y"
)";

TEST(ReadRegistriesConf, ReadsVersion2Tables)
{
  auto rules = read_registries_conf(k_v2, "/r.conf");
  ASSERT_EQ(rules.size(), 4u);
  EXPECT_EQ(rules[0].prefix, "reg.example:5000");
  EXPECT_TRUE(rules[0].insecure);
  EXPECT_EQ(rules[0].source, "/r.conf");
  EXPECT_EQ(rules[1].prefix, "reg.example:5000/secure"); // prefix wins over location
  EXPECT_FALSE(rules[1].insecure);                       // its mirror's insecure is the mirror's
  EXPECT_EQ(rules[2].prefix, "*.corp.example");
  EXPECT_TRUE(rules[2].insecure);
  EXPECT_EQ(rules[3].prefix, "registry.example");
  EXPECT_FALSE(rules[3].insecure);
}

TEST(ReadRegistriesConf, ReadsVersion1Lists)
{
  auto rules = read_registries_conf(R"([registries.search]
registries = ['docker.io']

[registries.insecure]
registries = [
  "a.example:5000", # first
  'b.example',
]
)",
                                    "/v1.conf");
  ASSERT_EQ(rules.size(), 2u);
  EXPECT_EQ(rules[0].prefix, "a.example:5000");
  EXPECT_EQ(rules[1].prefix, "b.example");
  EXPECT_TRUE(rules[0].insecure && rules[1].insecure);
}

TEST(ReadRegistriesConf, SkipsWhatItCannotRead)
{
  EXPECT_TRUE(
    read_registries_conf("[[registry]]\nlocation = \"unterminated\ninsecure = true\n", "f")
      .empty());
  EXPECT_TRUE(read_registries_conf("garbage\n[[[\n= =\n", "f").empty());
  EXPECT_TRUE(read_registries_conf("", "f").empty());
}

TEST(RuleFor, TheLongestPrefixDecides)
{
  auto rules = read_registries_conf(k_v2, "/r.conf");
  auto insecure = [&](const std::string& name) {
    const RegistryRule* rule = rule_for(core::ImageRef::parse(name), rules);
    return rule && rule->insecure;
  };
  EXPECT_TRUE(insecure("reg.example:5000/team/app:1"));
  EXPECT_FALSE(insecure("reg.example:5000/secure/app:1"));
  EXPECT_TRUE(insecure("reg.example:5000/securex/app")); // a whole segment, not a string prefix
  EXPECT_FALSE(insecure("reg.example/team/app"));        // another port, another registry
  EXPECT_FALSE(insecure("reg.example:50001/team/app"));
  EXPECT_TRUE(insecure("a.corp.example/app"));
  EXPECT_TRUE(insecure("x.y.corp.example/app"));
  EXPECT_FALSE(insecure("corp.example/app"));  // subdomains only
  EXPECT_FALSE(insecure("plain.example/app")); // a mirror's setting is not the registry's
  EXPECT_FALSE(insecure("registry.example/app"));
}

TEST(LoadRegistryRules, ReadsTheFileTheEnginesRead)
{
  FakeFiles files;
  files.files["/etc/containers/registries.conf"] = "[registries.insecure]\nregistries=['sys']\n";
  files.files["/home/u/.config/containers/registries.conf"] =
    "[[registry]]\nlocation='user'\ninsecure=true\n";
  files.files["/tmp/bench.conf"] = "[[registry]]\nlocation='bench'\ninsecure=true\n";

  auto prefixes = [](const std::vector<RegistryRule>& rules) {
    std::vector<std::string> out;
    out.reserve(rules.size());
    for (const auto& rule : rules) {
      out.push_back(rule.prefix + " from " + rule.source);
    }
    return out;
  };
  // The user's file instead of the system's, not merged.
  EXPECT_EQ(prefixes(load_registry_rules(Env{{"HOME", "/home/u"}}, files)),
            std::vector<std::string>{"user from /home/u/.config/containers/registries.conf"});
  EXPECT_EQ(prefixes(load_registry_rules(Env{{"HOME", "/home/v"}}, files)),
            std::vector<std::string>{"sys from /etc/containers/registries.conf"});
  // CONTAINERS_REGISTRIES_CONF alone, even when missing.
  EXPECT_EQ(prefixes(load_registry_rules(
              Env{{"HOME", "/home/u"}, {"CONTAINERS_REGISTRIES_CONF", "/tmp/bench.conf"}}, files)),
            std::vector<std::string>{"bench from /tmp/bench.conf"});
  EXPECT_TRUE(
    load_registry_rules(Env{{"CONTAINERS_REGISTRIES_CONF", "/tmp/none.conf"}}, files).empty());
}

// The client, against registries reached by this machine's host name (not
// loopback, so not plain HTTP by default).
class InsecureRegistryTest : public ::testing::Test {
protected:
  void SetUp() override
  {
    if (m_name.empty()) {
      GTEST_SKIP() << "this machine's host name does not resolve to 127.0.0.1";
    }
  }
  RegistryClient client(const std::string& location, bool insecure = true)
  {
    // A plain HTTP fake server never answers a TLS hello (real registries
    // answer 400 at once): the handshake's timeout is what ends HTTPS here.
    RegistryClientOptions options{1000ms, {}, {}, nullptr, {}};
    options.registries = {{location, insecure, "/test/registries.conf"}};
    return RegistryClient(Env{}, nullptr, options);
  }

  std::string m_name = test::loopback_host_name();
};

TEST_F(InsecureRegistryTest, SpeaksPlainHttpWhenHttpsFails)
{
  test::FakeRegistry registry;
  registry.content["/v2/bench/multi/manifests/1"] = {"application/vnd.oci.image.index.v1+json",
                                                     fixture("multi-index.json")};
  std::string authority = m_name + ":" + std::to_string(registry.port());
  auto ref = core::ImageRef::parse(authority + "/bench/multi:1");

  auto insecure = client(authority);
  EXPECT_EQ(insecure.resolve(ref).digest, sha256_digest(fixture("multi-index.json")));
  // Remembered: the second request goes straight to HTTP.
  insecure.resolve(ref);
  EXPECT_EQ(registry.requests().size(), 2u);
  EXPECT_EQ(registry.requests().back().header("Host"), authority);

  // Not insecure (or marked secure): HTTPS only, which this registry lacks.
  auto error = error_of([&] { client(authority, false).resolve(ref); });
  EXPECT_EQ(error.code(), Errc::registry_unreachable);
  EXPECT_EQ(error_of([&] { client("other.example").resolve(ref); }).code(),
            Errc::registry_unreachable);
}

TEST_F(InsecureRegistryTest, SkipsVerificationOverHttps)
{
  test::FakeTlsRegistry registry;
  auto ref = core::ImageRef::parse(registry.authority() + "/bench/multi:1");
  EXPECT_EQ(client(registry.authority()).resolve(ref).digest,
            sha256_digest(fixture("multi-index.json")));
  EXPECT_EQ(registry.requests().size(), 1u); // over HTTPS, no fallback needed

  EXPECT_NE(error_of([&] { client("other.example").resolve(ref); }).message().find("not trusted"),
            std::string::npos);
}

TEST_F(InsecureRegistryTest, SaysWhyWhenNeitherAnswers)
{
  // A port nothing listens on: a server started and stopped.
  std::uint16_t port = 0;
  {
    test::FakeRegistry gone;
    port = gone.port();
  }
  std::string authority = m_name + ":" + std::to_string(port);
  auto error =
    error_of([&] { client(authority).resolve(core::ImageRef::parse(authority + "/x:1")); });
  EXPECT_EQ(error.code(), Errc::registry_unreachable);
  ASSERT_FALSE(error.context().empty());
  EXPECT_EQ(error.context().front(),
            authority + " is an insecure registry in /test/registries.conf: it answered neither "
                        "HTTPS (unverified) nor plain HTTP");
}

} // namespace
} // namespace crun::registry
