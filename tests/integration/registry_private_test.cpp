// The registry client against registries the test starts itself (never the
// shared bench's): the bench's `docker-registry` binary, with the content of
// the bench's login registry (a copy), on a free port in a private directory,
//  - behind TLS with a test CA (made with the openssl CLI) and htpasswd:
//    refused without the CA, naming the certificate problem and where the CA
//    goes; trusted through SSL_CERT_FILE; the login from a docker config;
//  - with `auth: token`, its tokens from tests/support/token_issuer.py:
//    the Bearer flow with the scope and service the registry asks for, Basic
//    credentials from a docker config to the token server, one token reused,
//    and the password in no output of `crun-any -vv pull`.
// The TLS registry is reached by this machine's host name, which must
// resolve to 127.0.0.1 (a loopback name or address is plain HTTP).
#include "support/bench_fixtures.hpp"
#include "support/error_of.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <crun/core/error.hpp>
#include <crun/registry/config_credential_store.hpp>
#include <crun/registry/credential_helper.hpp>
#include <crun/registry/registry_client.hpp>
#include <crun/util/base64.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using crun::Env;
using crun::Errc;
using crun::core::ImageRef;
using crun::registry::ConfigCredentialStore;
using crun::registry::RegistryClient;
using crun::test::ChildProcess;
using crun::test::error_of;
using crun::test::ProcessOptions;
using crun::test::ProcessResult;
using crun::test::run_process;
using crun::test::TempDir;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* k_service = "crun-test-registry";
constexpr const char* k_issuer = "crun-test-issuer";

std::uint16_t free_port()
{
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  socklen_t size = sizeof(address);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  ::close(fd);
  return ntohs(address.sin_port);
}

bool listening(std::uint16_t port)
{
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  ::close(fd);
  return ok;
}

// This machine's host name when it resolves to 127.0.0.1 only, else "".
std::string loopback_host_name()
{
  char name[256] = {};
  if (::gethostname(name, sizeof(name) - 1) != 0 || std::string_view(name) == "localhost") {
    return {};
  }
  addrinfo hints{};
  hints.ai_family = AF_INET;
  addrinfo* found = nullptr;
  if (::getaddrinfo(name, nullptr, &hints, &found) != 0) {
    return {};
  }
  bool loopback = true;
  for (auto* entry = found; entry; entry = entry->ai_next) {
    loopback = loopback && reinterpret_cast<sockaddr_in*>(entry->ai_addr)->sin_addr.s_addr ==
                             htonl(INADDR_LOOPBACK);
  }
  ::freeaddrinfo(found);
  return loopback ? std::string(name) : std::string();
}

void write_file(const std::string& path, const std::string& text)
{
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

std::string read_file(const std::string& path)
{
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void openssl(const std::vector<std::string>& args, const std::string& dir)
{
  std::vector<std::string> argv{"openssl"};
  argv.insert(argv.end(), args.begin(), args.end());
  ProcessOptions options;
  options.cwd = dir;
  options.timeout = 60s;
  ProcessResult result = run_process(argv, options);
  ASSERT_EQ(result.exit_code, 0) << result.describe();
}

// A registry of the test's own: a copy of the bench's login registry's
// content, its config written by the test, stopped (and its directory
// removed) with the fixture.
class PrivateRegistryTest : public crun::test::BenchTest {
protected:
  void SetUp() override
  {
    crun::test::BenchTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) {
      return;
    }
    if (bench.auth_registry.empty()) {
      GTEST_SKIP() << "the bench has no login registry (rerun tests/bench/up)";
    }
    fs::copy(bench.dir + "/registry-auth", m_dir.path() + "/storage", fs::copy_options::recursive);
    m_image_path = "private/small:1";
  }

  // A docker config in a private DOCKER_CONFIG with the bench user's login
  // for `host` (the password given, else the real one); the environment
  // crun-any and the credential store read.
  std::vector<std::string> docker_config_env(const std::string& host,
                                             const std::string& password = {})
  {
    std::string dir = m_dir.path() + "/docker-config";
    nlohmann::json config = {
      {"auths",
       {{host,
         {{"auth",
           crun::util::base64_encode(bench.auth_user + ":" +
                                     (password.empty() ? bench.auth_password : password))}}}}}};
    write_file(dir + "/config.json", config.dump());
    fs::create_directories(m_dir.path() + "/home");
    return {"DOCKER_CONFIG=" + dir, "HOME=" + m_dir.path() + "/home",
            "REGISTRY_AUTH_FILE=" + m_dir.path() + "/none.json"};
  }

  static Env env_of(const std::vector<std::string>& assignments)
  {
    std::map<std::string, std::string, std::less<>> vars;
    for (const auto& assignment : assignments) {
      auto eq = assignment.find('=');
      vars[assignment.substr(0, eq)] = assignment.substr(eq + 1);
    }
    return Env(std::move(vars));
  }

  static RegistryClient client(const Env& env)
  {
    auto store = std::make_shared<ConfigCredentialStore>(
      env, std::make_shared<crun::transport::DiskFileReader>(),
      std::make_shared<crun::registry::SpawnHelperRunner>(env));
    return RegistryClient(env, store, 10s);
  }

  // Starts `docker-registry serve` with `config` (YAML) on `port`.
  void start_registry(const std::string& config, std::uint16_t port)
  {
    write_file(m_dir.path() + "/registry.yml", config);
    ProcessOptions options;
    options.timeout = 600s;
    m_registry.start({"docker-registry", "serve", m_dir.path() + "/registry.yml"}, options);
    for (int i = 0; i < 100 && !listening(port); ++i) {
      std::this_thread::sleep_for(100ms);
    }
    ASSERT_TRUE(listening(port)) << "the registry did not start:\n" << m_registry.err();
  }

  void check_no_secret(const ProcessResult& result)
  {
    std::string secret = bench.auth_password;
    std::string basic = crun::util::base64_encode(bench.auth_user + ":" + secret);
    for (const auto* stream : {&result.out, &result.err}) {
      EXPECT_THAT(*stream, Not(HasSubstr(secret))) << result.describe();
      EXPECT_THAT(*stream, Not(HasSubstr(basic))) << result.describe();
    }
  }

  TempDir m_dir{"crun-private-registry"};
  ChildProcess m_registry; // declared after m_dir: stopped before it is removed
  std::string m_image_path;
};

class TlsRegistry : public PrivateRegistryTest {
protected:
  void SetUp() override
  {
    PrivateRegistryTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) {
      return;
    }
    m_name = loopback_host_name();
    if (m_name.empty()) {
      GTEST_SKIP() << "this machine's host name does not resolve to 127.0.0.1 only";
    }
    const std::string& dir = m_dir.path();
    openssl({"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
             "-days", "1", "-subj", "/CN=crun test ca"},
            dir);
    openssl({"req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
             "-subj", "/CN=" + m_name},
            dir);
    write_file(dir + "/san.ext", "subjectAltName=DNS:" + m_name + "\n");
    openssl({"x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
             "-CAcreateserial", "-out", "server.crt", "-days", "1", "-extfile", "san.ext"},
            dir);
    ASSERT_FALSE(HasFatalFailure());
    std::uint16_t port = free_port();
    m_host = m_name + ":" + std::to_string(port);
    start_registry(fmt::format(R"(version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: {0}/storage
http:
  addr: 127.0.0.1:{1}
  tls:
    certificate: {0}/server.crt
    key: {0}/server.key
auth:
  htpasswd:
    realm: crun-test
    path: {2}/auth/htpasswd
)",
                               dir, port, bench.dir),
                   port);
  }

  std::string image() const { return m_host + "/" + m_image_path; }

  std::string m_name;
  std::string m_host; ///< "<host name>:<port>"
};

TEST_F(TlsRegistry, IsRefusedWithoutItsCaNamingTheFix)
{
  auto env = docker_config_env(m_host);
  auto error = error_of([&] { client(env_of(env)).resolve(ImageRef::parse(image())); });
  EXPECT_EQ(error.code(), Errc::registry_unreachable);
  EXPECT_EQ(error.message(),
            fmt::format("cannot reach {0}: its TLS certificate is not trusted (unable to get local "
                        "issuer certificate): if the registry uses a private CA, put that CA in "
                        "/etc/docker/certs.d/{0}/ca.crt or /etc/containers/certs.d/{0}/ca.crt (or "
                        "a bundle named by SSL_CERT_FILE)",
                        m_host));

  // The same words from the binary, before any engine is asked.
  auto engine = bench.docker_env();
  env.insert(env.end(), engine.begin(), engine.end());
  ProcessOptions options;
  options.env_set = env;
  options.env_unset = {"SSL_CERT_FILE", "SSL_CERT_DIR"};
  ProcessResult pull = crun::test::run_crun_any({"-vv", "pull", image()}, options);
  EXPECT_NE(pull.exit_code, 0) << pull.describe();
  EXPECT_THAT(pull.err, HasSubstr("its TLS certificate is not trusted")) << pull.describe();
  EXPECT_THAT(pull.err, HasSubstr("/etc/docker/certs.d/" + m_host + "/ca.crt"));
  check_no_secret(pull);
}

TEST_F(TlsRegistry, IsTrustedThroughSslCertFileWithTheLoginFromADockerConfig)
{
  auto env = docker_config_env(m_host);
  env.push_back("SSL_CERT_FILE=" + m_dir.path() + "/ca.crt");
  auto client_with_ca = client(env_of(env));
  auto resolved = client_with_ca.resolve(ImageRef::parse(image()));
  EXPECT_EQ(resolved.digest.str(), bench.digest_private);
  // The config blob too (another request, the same login).
  client_with_ca.manifest_for_platform(resolved, crun::core::Platform::parse("linux/amd64"));

  // A wrong password: the registry's refusal, named, no secret in it.
  auto wrong = docker_config_env(m_host, "not-the-password");
  wrong.push_back("SSL_CERT_FILE=" + m_dir.path() + "/ca.crt");
  auto error = error_of([&] { client(env_of(wrong)).resolve(ImageRef::parse(image())); });
  EXPECT_THAT(error.message(), HasSubstr("refused the credentials from"));
  EXPECT_THAT(error.message(), Not(HasSubstr("not-the-password")));
}

// `crun-any lock` reads only the registry: behind TLS with a private CA and
// a login, it records what the registry serves with the credentials from
// each place a user keeps them, and the password shows at no -v level.
TEST_F(TlsRegistry, LockWorksWithEachCredentialSourceAndShowsNoSecret)
{
  const std::string ca = m_dir.path() + "/ca.crt";
  const std::string home = m_dir.path() + "/home";
  fs::create_directories(home);
  auto lock_with = [&](std::vector<std::string> env, const std::string& name) {
    SCOPED_TRACE(name);
    env.push_back("SSL_CERT_FILE=" + ca);
    std::string lockfile = m_dir.path() + "/" + name + ".lock";
    ProcessOptions options;
    options.env_set = env;
    options.env_unset = {"CRUN_ANY_LOCKFILE", "CRUN_ANY_BACKEND", "SSL_CERT_DIR"};
    for (const char* level : {"-v", "-vv"}) {
      ProcessResult lock =
        crun::test::run_crun_any({level, "--lockfile", lockfile, "lock", image()}, options);
      ASSERT_EQ(lock.exit_code, 0) << lock.describe();
      check_no_secret(lock);
    }
    const std::string text = read_file(lockfile);
    auto doc = nlohmann::json::parse(text);
    std::string key = image();
    ASSERT_TRUE(doc.at("images").contains(key)) << text;
    EXPECT_EQ(doc["images"][key].at("digest"), bench.digest_private) << text;
    EXPECT_THAT(text, Not(HasSubstr(bench.auth_password)));
  };

  // 1. ~/.docker/config.json `auths`.
  lock_with(docker_config_env(m_host), "auths");

  // 2. A credential helper named by `credHelpers`.
  const std::string bin = m_dir.path() + "/bin";
  write_file(bin + "/docker-credential-crtls",
             "#!/bin/sh\nread -r server\nif [ \"$1\" = get ] && [ \"$server\" = '" + m_host +
               "' ]; then\n  printf '{\"ServerURL\":\"%s\",\"Username\":\"%s\",\"Secret\":"
               "\"%s\"}\\n' \"$server\" '" +
               bench.auth_user + "' '" + bench.auth_password +
               "'\n  exit 0\nfi\necho 'credentials not found in native keychain'\nexit 1\n");
  fs::permissions(bin + "/docker-credential-crtls", fs::perms::owner_all);
  const std::string helper_config = m_dir.path() + "/helper-config";
  write_file(helper_config + "/config.json",
             nlohmann::json{{"credHelpers", {{m_host, "crtls"}}}}.dump());
  const char* path = std::getenv("PATH");
  lock_with({"DOCKER_CONFIG=" + helper_config, "HOME=" + home,
             "REGISTRY_AUTH_FILE=" + m_dir.path() + "/none.json",
             "PATH=" + bin + ":" + (path ? path : "/usr/bin:/bin")},
            "helper");

  // 3. containers' auth.json (REGISTRY_AUTH_FILE), with no docker config.
  const std::string auth_file = m_dir.path() + "/auth.json";
  write_file(
    auth_file,
    nlohmann::json{
      {"auths",
       {{m_host,
         {{"auth", crun::util::base64_encode(bench.auth_user + ":" + bench.auth_password)}}}}}}
      .dump());
  lock_with({"DOCKER_CONFIG=" + m_dir.path() + "/empty-config", "HOME=" + home,
             "REGISTRY_AUTH_FILE=" + auth_file},
            "auth-json");
}

class TokenRegistry : public PrivateRegistryTest {
protected:
  void SetUp() override
  {
    PrivateRegistryTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) {
      return;
    }
    const std::string& dir = m_dir.path();
    openssl({"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "signing.key", "-out",
             "signing.crt", "-days", "1", "-subj", "/CN=crun-token-issuer"},
            dir);
    ASSERT_FALSE(HasFatalFailure());
    ProcessOptions options;
    options.timeout = 600s;
    m_issuer.start({"python3", std::string(CRUN_BENCH_SCRIPTS) + "/../support/token_issuer.py",
                    "--key", dir + "/signing.key", "--cert", dir + "/signing.crt", "--issuer",
                    k_issuer, "--user", bench.auth_user, "--password", bench.auth_password, "--log",
                    dir + "/tokens.log"},
                   options);
    ASSERT_TRUE(m_issuer.wait_for_output("\n", 10s, ChildProcess::Stream::out)) << m_issuer.err();
    m_token_port = static_cast<std::uint16_t>(std::stoi(m_issuer.out()));
    std::uint16_t port = free_port();
    m_host = "127.0.0.1:" + std::to_string(port);
    start_registry(fmt::format(R"(version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: {0}/storage
http:
  addr: 127.0.0.1:{1}
auth:
  token:
    realm: http://127.0.0.1:{2}/token
    service: {3}
    issuer: {4}
    rootcertbundle: {0}/signing.crt
)",
                               dir, port, m_token_port, k_service, k_issuer),
                   port);
  }

  std::string image() const { return m_host + "/" + m_image_path; }

  // The token server's log: one JSON object per request.
  std::vector<nlohmann::json> token_requests() const
  {
    std::vector<nlohmann::json> requests;
    std::istringstream lines(read_file(m_dir.path() + "/tokens.log"));
    for (std::string line; std::getline(lines, line);) {
      requests.push_back(nlohmann::json::parse(line));
    }
    return requests;
  }

  ChildProcess m_issuer;
  std::uint16_t m_token_port = 0;
  std::string m_host;
};

TEST_F(TokenRegistry, GetsOneTokenWithTheScopeAndServiceItAskedFor)
{
  auto registry_client = client(env_of(docker_config_env(m_host)));
  auto resolved = registry_client.resolve(ImageRef::parse(image()));
  EXPECT_EQ(resolved.digest.str(), bench.digest_private);
  registry_client.manifest_for_platform(resolved, crun::core::Platform::parse("linux/amd64"));
  registry_client.resolve(ImageRef::parse(image()));

  auto requests = token_requests();
  ASSERT_EQ(requests.size(), 1u) << "the token is reused for the config and the second resolve";
  EXPECT_EQ(requests[0]["service"], k_service);
  EXPECT_EQ(requests[0]["scopes"], nlohmann::json::array({"repository:private/small:pull"}));
  EXPECT_EQ(requests[0]["credentials"], true);
  EXPECT_EQ(requests[0]["granted"], true);
}

TEST_F(TokenRegistry, SaysWhatIsWrongWithoutOrWithBadCredentials)
{
  Env anonymous{{"HOME", m_dir.path() + "/nohome"}, {"DOCKER_CONFIG", m_dir.path() + "/none"}};
  auto error = error_of([&] { client(anonymous).resolve(ImageRef::parse(image())); });
  EXPECT_EQ(error.code(), Errc::engine_error);
  EXPECT_THAT(error.message(), HasSubstr("requires authentication"));
  EXPECT_THAT(error.message(), HasSubstr("docker login " + m_host));

  auto wrong = env_of(docker_config_env(m_host, "not-the-password"));
  error = error_of([&] { client(wrong).resolve(ImageRef::parse(image())); });
  EXPECT_EQ(error.message(),
            fmt::format("the token server 127.0.0.1:{} of the registry {} refused the "
                        "credentials from {}/docker-config/config.json (HTTP 401): run `docker "
                        "login {}` again",
                        m_token_port, m_host, m_dir.path(), m_host));
}

// End to end on Docker (the bench's Podman would need this registry in its
// registries.conf: Podman does not take loopback for insecure): crun-any
// reads the registry through the token server, then dockerd pulls the digest
// with the credentials crun-any hands it, doing the token flow itself.
TEST_F(TokenRegistry, PullsOnDockerWithThePasswordInNoOutput)
{
  auto env = docker_config_env(m_host);
  auto engine = bench.docker_env();
  env.insert(env.end(), engine.begin(), engine.end());
  ProcessOptions options;
  options.env_set = env;
  ProcessResult pull = crun::test::run_crun_any({"-vv", "pull", image()}, options);
  // The engine keeps no image of a registry that is gone after the test.
  crun::test::run_docker({"rmi", image(), m_host + "/private/small@" + bench.digest_private});

  check_no_secret(pull);
  EXPECT_EQ(pull.exit_code, 0) << pull.describe();
  EXPECT_EQ(pull.out, image() + "@" + bench.digest_private + "\n") << pull.describe();
  auto requests = token_requests();
  ASSERT_FALSE(requests.empty());
  for (const auto& request : requests) {
    EXPECT_EQ(request["service"], k_service);
    EXPECT_EQ(request["granted"], true) << "every token request carried the login";
  }
}

} // namespace
