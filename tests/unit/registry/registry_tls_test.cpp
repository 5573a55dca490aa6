// Where a registry's CA and client certificate are found (pure over a fake
// file system), and the client against a registry behind TLS with a private
// CA: refused with the fix named, trusted through certs.d or SSL_CERT_FILE,
// a client certificate presented from certs.d.

#include <crun/registry/registry_tls.hpp>

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
using test::FakeTlsRegistry;
using test::fixture;

TEST(DefaultTlsSources, AreTheEnginesRootsUserFirst)
{
  auto sources = default_tls_sources(Env{{"HOME", "/home/u"}, {"SSL_CERT_FILE", "/b.pem"}});
  EXPECT_EQ(sources.certs_d_roots,
            (std::vector<std::string>{"/home/u/.config/containers/certs.d",
                                      "/etc/containers/certs.d", "/usr/share/containers/certs.d",
                                      "/home/u/.config/docker/certs.d", "/etc/docker/certs.d"}));
  EXPECT_EQ(sources.ssl_cert_file, "/b.pem");

  sources = default_tls_sources(Env{{"HOME", "/home/u"}, {"XDG_CONFIG_HOME", "/x"}});
  EXPECT_EQ(sources.certs_d_roots.front(), "/x/containers/certs.d");
  EXPECT_EQ(sources.certs_d_roots[3], "/x/docker/certs.d");
  EXPECT_EQ(sources.ssl_cert_file, "");

  // No home: the system's roots only; a relative one is no home.
  EXPECT_EQ(default_tls_sources(Env{{"HOME", "rel"}}).certs_d_roots,
            (std::vector<std::string>{"/etc/containers/certs.d", "/usr/share/containers/certs.d",
                                      "/etc/docker/certs.d"}));
}

TEST(FindRegistryTls, TakesEveryCaAndTheFirstClientPair)
{
  TlsSources sources{{"/u/containers", "/etc/containers/certs.d", "/etc/docker/certs.d"}, ""};
  FakeFiles files;
  files.files["/etc/containers/certs.d/reg.example:5000/ca.crt"] = "pem";
  files.files["/etc/docker/certs.d/reg.example:5000/ca.crt"] = "pem";
  files.files["/etc/docker/certs.d/reg.example:5000/client.cert"] = "pem";
  files.files["/etc/docker/certs.d/reg.example:5000/client.key"] = "pem";
  files.files["/u/containers/reg.example:5000/client.cert"] = "pem"; // no key: no pair
  files.files["/etc/docker/certs.d/reg.example/ca.crt"] = "pem";     // another port

  auto tls = find_registry_tls("reg.example:5000", sources, files);
  EXPECT_EQ(tls.ca_files,
            (std::vector<std::string>{"/etc/containers/certs.d/reg.example:5000/ca.crt",
                                      "/etc/docker/certs.d/reg.example:5000/ca.crt"}));
  EXPECT_EQ(tls.cert_file, "/etc/docker/certs.d/reg.example:5000/client.cert");
  EXPECT_EQ(tls.key_file, "/etc/docker/certs.d/reg.example:5000/client.key");

  // The port is part of the name, as the engines read it.
  tls = find_registry_tls("reg.example", sources, files);
  EXPECT_EQ(tls.ca_files, (std::vector<std::string>{"/etc/docker/certs.d/reg.example/ca.crt"}));
  EXPECT_EQ(tls.cert_file, "");
}

TEST(FindRegistryTls, AddsSslCertFileForEveryHost)
{
  FakeFiles files;
  auto tls = find_registry_tls("ghcr.io", {{"/etc/docker/certs.d"}, "/bundle.pem"}, files);
  EXPECT_EQ(tls.ca_files, (std::vector<std::string>{"/bundle.pem"}));
  EXPECT_EQ(tls.key_file, "");
}

TEST(FindRegistryTls, NeverLeavesItsRoots)
{
  FakeFiles files;
  files.files["/etc/docker/certs.d/../ca.crt"] = "pem";
  files.files["/etc/docker/certs.d/a/b/ca.crt"] = "pem";
  for (const char* authority : {"..", "a/b", ""}) {
    EXPECT_TRUE(find_registry_tls(authority, {{"/etc/docker/certs.d"}, ""}, files).ca_files.empty())
      << authority;
  }
}

// The fake TLS registry needs a name that is not loopback (loopback is plain
// HTTP) but reaches 127.0.0.1: this machine's host name, where /etc/hosts
// says so.
class RegistryTlsTest : public ::testing::Test {
protected:
  void SetUp() override
  {
    if (m_registry.authority().empty()) {
      GTEST_SKIP() << "this machine's host name does not resolve to 127.0.0.1";
    }
  }
  core::ImageRef ref() const
  {
    return core::ImageRef::parse(m_registry.authority() + "/bench/multi:1");
  }
  RegistryClient client(TlsSources sources)
  {
    return RegistryClient(Env{}, nullptr, RegistryClientOptions{5000ms, {}, std::move(sources)});
  }
  // certs.d/<authority>/ under the test's root, with `names` copied from the
  // fixture's files (ca.pem -> ca.crt, ...).
  std::string certs_d(const std::vector<std::pair<std::string, std::string>>& names)
  {
    std::string dir = m_registry.dir() + "/certs.d/" + m_registry.authority();
    std::filesystem::create_directories(dir);
    for (const auto& [from, to] : names) {
      std::filesystem::copy_file(m_registry.dir() + "/" + from, dir + "/" + to);
    }
    return m_registry.dir() + "/certs.d";
  }

  FakeTlsRegistry m_registry;
};

TEST_F(RegistryTlsTest, RefusesAPrivateCaNamingTheFix)
{
  auto error = error_of([&] { client({}).resolve(ref()); });
  EXPECT_EQ(error.code(), Errc::registry_unreachable);
  EXPECT_EQ(error.message(),
            fmt::format("cannot reach {0}: its TLS certificate is not trusted (unable to get local "
                        "issuer certificate): if the registry uses a private CA, put that CA in "
                        "/etc/docker/certs.d/{0}/ca.crt or /etc/containers/certs.d/{0}/ca.crt (or "
                        "a bundle named by SSL_CERT_FILE)",
                        m_registry.authority()));
}

TEST_F(RegistryTlsTest, TrustsTheCaInCertsD)
{
  std::string root = certs_d({{"ca.pem", "ca.crt"}});
  auto resolved = client({{"/nonexistent/certs.d", root}, ""}).resolve(ref());
  EXPECT_EQ(resolved.digest, sha256_digest(fixture("multi-index.json")));
  EXPECT_EQ(m_registry.requests().back().header("Host"), m_registry.authority());
}

TEST_F(RegistryTlsTest, TrustsSslCertFile)
{
  auto resolved = client({{}, m_registry.dir() + "/ca.pem"}).resolve(ref());
  EXPECT_EQ(resolved.digest, sha256_digest(fixture("multi-index.json")));
}

TEST_F(RegistryTlsTest, IgnoresTheCaOfAnotherPort)
{
  std::string dir = m_registry.dir() + "/certs.d/" + m_registry.authority() + "1";
  std::filesystem::create_directories(dir);
  std::filesystem::copy_file(m_registry.dir() + "/ca.pem", dir + "/ca.crt");
  auto error = error_of([&] { client({{m_registry.dir() + "/certs.d"}, ""}).resolve(ref()); });
  EXPECT_NE(error.message().find("is not trusted"), std::string::npos) << error.message();
}

TEST_F(RegistryTlsTest, PresentsTheClientCertificateFromCertsD)
{
  m_registry.require_client_certificate();
  std::string root =
    certs_d({{"ca.pem", "ca.crt"}, {"cert.pem", "client.cert"}, {"key.pem", "client.key"}});
  client({{root}, ""}).resolve(ref());
  EXPECT_EQ(m_registry.client_name(), "crun-client");

  // Without it the registry hangs up during the handshake.
  std::string bare = m_registry.dir() + "/bare";
  std::filesystem::create_directories(bare + "/" + m_registry.authority());
  std::filesystem::copy_file(m_registry.dir() + "/ca.pem",
                             bare + "/" + m_registry.authority() + "/ca.crt");
  auto error = error_of([&] { client({{bare}, ""}).resolve(ref()); });
  EXPECT_EQ(error.code(), Errc::registry_unreachable);
}

} // namespace
} // namespace crun::registry
