// Registry credentials end to end: the real crun-any binary, the bench's real
// engines, and the bench registry that requires a login (htpasswd). Each case
// gives crun-any credentials one way (docker's config.json `auths`, a
// credential helper named by `credHelpers` or `credsStore`, containers'
// auth.json) or none or wrong ones, in a private DOCKER_CONFIG and HOME made
// for that case, and checks what a user would see: exit codes, the pinned
// reference on stdout, the registry named in the error, the image in the
// engine or not. The engine pulls, not crun-any, so a pull that works proves
// the engine itself was handed the credentials. In every case the secret
// (the password, `user:password`, their base64, the X-Registry-Auth value)
// appears in neither stdout nor stderr. Each case runs once per backend.
#include "support/bench.hpp"
#include "support/bench_fixtures.hpp"
#include "support/process.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace {

namespace fs = std::filesystem;
using crun::test::ProcessOptions;
using crun::test::ProcessResult;
using json = nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

// Standard base64 with padding (what config.json's "auth" holds).
std::string base64(const std::string& data)
{
  std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(data.data()),
                          static_cast<int>(data.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::string base64url(const std::string& data)
{
  std::string out = base64(data);
  for (char& c : out) {
    c = c == '+' ? '-' : c == '/' ? '_' : c;
  }
  return out;
}

void write_file(const fs::path& path, const std::string& text,
                fs::perms perms = fs::perms::owner_read | fs::perms::owner_write)
{
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  ASSERT_TRUE(out) << "cannot write " << path;
  fs::permissions(path, perms);
}

ProcessOptions with_env(const std::string& assignment)
{
  ProcessOptions options;
  options.env_set.push_back(assignment);
  return options;
}

class Credentials : public crun::test::EngineTest {
protected:
  fs::path tmp;           // this case's private directory
  fs::path home;          // HOME
  fs::path docker_config; // DOCKER_CONFIG (no config.json unless the case writes one)

  void SetUp() override
  {
    EngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) {
      return;
    }
    ASSERT_FALSE(bench.auth_registry.empty() || bench.auth_user.empty() ||
                 bench.auth_password.empty() || bench.image_private.empty() ||
                 bench.digest_private.empty())
      << "the bench env file in " << bench.dir
      << " lacks CRUN_BENCH_AUTH_* / CRUN_BENCH_IMAGE_PRIVATE / CRUN_BENCH_DIGEST_PRIVATE: rerun "
         "tests/bench/up";
    std::string pattern = (fs::temp_directory_path() / "crun-cred-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr) << "mkdtemp " << pattern;
    tmp = pattern;
    home = tmp / "home";
    docker_config = tmp / "docker-config";
    fs::create_directories(home);
    fs::create_directories(docker_config);
    fs::create_directories(tmp / "engine-cli-home" / ".docker");

    // No credentials survive from an earlier case: the image is not in the
    // engine, and the engine by itself (no X-Registry-Auth) can pull it
    // neither by tag nor by digest (the way crun-any asks for it). Else a
    // pull that works here would prove nothing.
    remove_private_image();
    ASSERT_FALSE(engine_has_private_image()) << "the engine still holds " << bench.image_private;
    for (const std::string& ref :
         {bench.image_private, private_repo() + "@" + bench.digest_private}) {
      auto anonymous = engine_cli(GetParam().name == "podman"
                                    ? std::vector<std::string>{"pull", "--tls-verify=false", ref}
                                    : std::vector<std::string>{"pull", ref});
      ASSERT_NE(anonymous.exit_code, 0)
        << "the engine pulled the private image with no credentials given\n"
        << anonymous.describe();
      EXPECT_THAT(anonymous.err,
                  ::testing::ContainsRegex(
                    "unauthorized|authentication required|no basic auth credentials|401"))
        << anonymous.describe();
      ASSERT_FALSE(engine_has_private_image());
    }
  }

  void TearDown() override
  {
    if (!tmp.empty()) {
      remove_private_image();
      std::error_code ignored;
      fs::remove_all(tmp, ignored);
    }
  }

  std::string user_pass() const { return bench.auth_user + ":" + bench.auth_password; }
  std::string private_repo() const // "127.0.0.1:5858/private/small"
  {
    return bench.image_private.substr(0, bench.image_private.rfind(':'));
  }

  // crun-any against this backend's bench engine, as a user with no
  // credentials anywhere but where a case puts them: HOME and DOCKER_CONFIG
  // are this case's own directories.
  ProcessResult crun(std::vector<std::string> args, ProcessOptions options = {}) const
  {
    options.env_unset.insert(options.env_unset.end(),
                             {"REGISTRY_AUTH_FILE", "XDG_RUNTIME_DIR", "DOCKER_AUTH_CONFIG"});
    options.env_set.insert(options.env_set.end(),
                           {"HOME=" + home.string(), "DOCKER_CONFIG=" + docker_config.string()});
    return EngineTest::crun(std::move(args), std::move(options));
  }

  // The engine's own CLI, as a user with no credentials anywhere: a HOME of
  // its own with nothing in it; docker's DOCKER_CONFIG an empty directory
  // (podman refuses a DOCKER_CONFIG without config.json, so none for it).
  ProcessResult engine_cli(const std::vector<std::string>& args) const
  {
    ProcessOptions options;
    options.env_unset = {"REGISTRY_AUTH_FILE", "XDG_RUNTIME_DIR", "XDG_CONFIG_HOME",
                         "DOCKER_CONFIG", "DOCKER_AUTH_CONFIG"};
    options.env_set = {"HOME=" + (tmp / "engine-cli-home").string()};
    if (backend() == "docker") {
      options.env_set.push_back("DOCKER_CONFIG=" + (tmp / "engine-cli-home" / ".docker").string());
    }
    return EngineTest::engine_cli(args, options);
  }

  // Removes the private image's references (tag and digest) from the engine:
  // untags only, so an image that other tests use under another name (the
  // same content as bench/small:1) stays.
  void remove_private_image() const
  {
    engine_cli({"rmi", bench.image_private});
    engine_cli({"rmi", private_repo() + "@" + bench.digest_private});
  }

  // Whether the engine holds an image named for the private repository (by
  // tag or by digest). Podman finds `<any repo>@<digest>` by the digest alone
  // (bench/small:1 has the same one), so the names are checked, not only
  // that the lookup succeeds.
  bool engine_has_private_image() const
  {
    for (const std::string& ref :
         {bench.image_private, private_repo() + "@" + bench.digest_private}) {
      auto r = engine_cli({"image", "inspect", ref});
      if (r.exit_code != 0) {
        continue;
      }
      json images = json::parse(r.out, nullptr, false);
      if (!images.is_array()) {
        ADD_FAILURE() << "not a JSON array: " << r.describe();
        return true;
      }
      for (const auto& image : images) {
        for (const char* field : {"RepoTags", "RepoDigests"}) {
          if (!image.contains(field) || !image[field].is_array()) {
            continue;
          }
          for (const auto& name : image[field]) {
            if (name.is_string() && (name.get<std::string>().starts_with(private_repo() + ":") ||
                                     name.get<std::string>().starts_with(private_repo() + "@"))) {
              return true;
            }
          }
        }
      }
    }
    return false;
  }

  // The digest the login registry serves for the private image, read from it
  // with an authenticated GET.
  std::string served_digest() const
  {
    auto r = crun::test::http_request(
      "GET", "http://" + bench.auth_registry + "/v2/private/small/manifests/1",
      {std::string("Accept: ") + crun::test::k_accept_any_manifest,
       "Authorization: Basic " + base64(user_pass())});
    EXPECT_EQ(r.status, 200) << r.status_line << " " << r.error;
    return r.header("docker-content-digest").value_or("");
  }

  // {"auths":{"<host>":{"auth":"base64(user:password)"}}}
  std::string auths_json(const std::string& key, const std::string& user,
                         const std::string& password) const
  {
    return json{{"auths", {{key, {{"auth", base64(user + ":" + password)}}}}}}.dump();
  }

  // Every form of a secret that must never be printed.
  static std::vector<std::string> secret_forms(const std::string& user, const std::string& password,
                                               const std::string& server)
  {
    std::string pair = user + ":" + password;
    json header = {{"serveraddress", server}, {"username", user}, {"password", password}};
    return {password,
            pair,
            base64(pair),
            base64url(pair),
            base64(header.dump()),
            base64url(header.dump())};
  }

  void expect_no_secret(const ProcessResult& r, const std::vector<std::string>& secrets) const
  {
    for (const auto& secret : secrets) {
      EXPECT_THAT(r.out, Not(HasSubstr(secret))) << "a secret on stdout of " << r.describe();
      EXPECT_THAT(r.err, Not(HasSubstr(secret))) << "a secret on stderr of " << r.describe();
    }
  }
  void expect_no_secret(const ProcessResult& r) const
  {
    expect_no_secret(r, secret_forms(bench.auth_user, bench.auth_password, bench.auth_registry));
  }

  // pull works and prints the reference pinned to the digest the registry
  // serves; the engine then holds it under that digest.
  void expect_pull_works(const std::vector<std::string>& extra = {})
  {
    std::vector<std::string> args = {"pull", "--progress", "plain"};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(bench.image_private);
    auto pull = crun(args);
    expect_no_secret(pull);
    ASSERT_EQ(pull.exit_code, 0) << pull.describe();
    std::string digest = served_digest();
    EXPECT_EQ(digest, bench.digest_private);
    EXPECT_EQ(pull.out, bench.image_private + "@" + digest + "\n");
    auto inspect = engine_cli({"image", "inspect", private_repo() + "@" + digest});
    EXPECT_EQ(inspect.exit_code, 0) << inspect.describe();
  }

  fs::path write_docker_config(const std::string& text) const
  {
    fs::path path = docker_config / "config.json";
    write_file(path, text);
    return path;
  }
};

// The bench's login registry itself: it refuses anonymous requests, serves
// the private image to its user, and that image shares its manifest with no
// image of the open registry (else dockerd could "pull" it from its own
// content store, credentials or not).
using CredentialsBench = crun::test::BenchTest;

TEST_F(CredentialsBench, LoginRegistryRefusesAnonymousAndServesThePrivateImageToItsUser)
{
  ASSERT_FALSE(bench.auth_registry.empty() || bench.image_private.empty() ||
               bench.digest_private.empty())
    << "the bench env file lacks CRUN_BENCH_AUTH_*: rerun tests/bench/up";
  EXPECT_EQ(bench.image_private, bench.auth_registry + "/private/small:1");
  const std::string url = "http://" + bench.auth_registry + "/v2/private/small/manifests/1";
  const std::string accept = std::string("Accept: ") + crun::test::k_accept_any_manifest;

  auto anonymous = crun::test::http_request("GET", url, {accept});
  EXPECT_EQ(anonymous.status, 401) << anonymous.status_line << anonymous.error;
  EXPECT_THAT(anonymous.header("www-authenticate").value_or(""),
              HasSubstr("Basic realm=\"crun-bench\""));

  auto wrong = crun::test::http_request(
    "GET", url, {accept, "Authorization: Basic " + base64(bench.auth_user + ":x")});
  EXPECT_EQ(wrong.status, 401) << wrong.status_line << wrong.error;

  auto r = crun::test::http_request(
    "GET", url,
    {accept, "Authorization: Basic " + base64(bench.auth_user + ":" + bench.auth_password)});
  ASSERT_EQ(r.status, 200) << r.status_line << r.error;
  EXPECT_EQ(r.header("content-type").value_or(""),
            "application/vnd.docker.distribution.manifest.v2+json");
  EXPECT_EQ(r.header("docker-content-digest").value_or(""), bench.digest_private);
  for (const std::string& other :
       {bench.digest_small, bench.digest_multi, bench.digest_multi_amd64, bench.digest_multi_arm64,
        bench.digest_arm64, bench.digest_big}) {
    EXPECT_NE(bench.digest_private, other);
  }
}

TEST_P(Credentials, WithoutCredentialsPullFailsNamingTheRegistryAndDockerLogin)
{
  auto pull = crun({"pull", "--progress", "plain", bench.image_private});
  expect_no_secret(pull);
  EXPECT_EQ(pull.exit_code, 1) << pull.describe();
  EXPECT_EQ(pull.out, "");
  EXPECT_THAT(pull.err, HasSubstr(bench.auth_registry));
  EXPECT_THAT(pull.err, HasSubstr("docker login " + bench.auth_registry));
  EXPECT_FALSE(engine_has_private_image());

  auto run = crun({"run", "--rm", bench.image_private, "true"});
  expect_no_secret(run);
  EXPECT_EQ(run.exit_code, 125) << run.describe();
  EXPECT_THAT(run.err, HasSubstr("docker login " + bench.auth_registry));
  EXPECT_FALSE(engine_has_private_image());
}

TEST_P(Credentials, AuthsInDockerConfigReachTheEngineForPullAndRun)
{
  write_docker_config(auths_json(bench.auth_registry, bench.auth_user, bench.auth_password));
  expect_pull_works();

  // run pulls by itself when the image is missing: the engine gets the
  // credentials on that path too. With -v, whatever it says more holds no secret.
  remove_private_image();
  ASSERT_FALSE(engine_has_private_image());
  auto run = crun({"-v", "run", "--rm", bench.image_private, "cat", "/etc/bench-image"});
  expect_no_secret(run);
  EXPECT_EQ(run.exit_code, 0) << run.describe();
  EXPECT_EQ(run.out, "private\n");
  EXPECT_THAT(run.err, HasSubstr("Digest: " + bench.digest_private)); // run pulled it
  EXPECT_TRUE(engine_has_private_image());

  auto run_true = crun({"run", "--rm", bench.image_private, "true"});
  expect_no_secret(run_true);
  EXPECT_EQ(run_true.exit_code, 0) << run_true.describe();
}

TEST_P(Credentials, AuthsKeyedByUrlInDockerConfig)
{
  // `docker login` of old wrote keys as URLs.
  write_docker_config(
    auths_json("http://" + bench.auth_registry + "/v2/", bench.auth_user, bench.auth_password));
  expect_pull_works();
}

TEST_P(Credentials, CredentialHelperFromCredHelpersAndCredsStore)
{
  // docker-credential-crtest: answers `get` for the login registry only, and
  // logs each call (never the secret) so the test sees it was asked.
  fs::path bin = tmp / "bin";
  fs::path calls = tmp / "helper-calls.log";
  write_file(
    bin / "docker-credential-crtest",
    "#!/bin/sh\n"
    "read -r server\n"
    "echo \"$1 $server\" >>'" +
      calls.string() +
      "'\n"
      "if [ \"$1\" = get ] && [ \"$server\" = '" +
      bench.auth_registry +
      "' ]; then\n"
      "  printf '{\"ServerURL\":\"%s\",\"Username\":\"%s\",\"Secret\":\"%s\"}\\n' \"$server\" '" +
      bench.auth_user + "' '" + bench.auth_password +
      "'\n"
      "  exit 0\n"
      "fi\n"
      "echo 'credentials not found in native keychain'\n"
      "exit 1\n",
    fs::perms::owner_all);
  const char* path = std::getenv("PATH");
  std::string path_env =
    "PATH=" + bin.string() + ":" + (path ? path : "/usr/local/bin:/usr/bin:/bin");

  {
    SCOPED_TRACE("credHelpers");
    write_docker_config(json{{"credHelpers", {{bench.auth_registry, "crtest"}}}}.dump());
    auto pull =
      crun({"-v", "pull", "--progress", "plain", bench.image_private}, with_env(path_env));
    expect_no_secret(pull);
    ASSERT_EQ(pull.exit_code, 0) << pull.describe();
    EXPECT_EQ(pull.out, bench.image_private + "@" + served_digest() + "\n");
    EXPECT_TRUE(engine_has_private_image());
    std::ifstream in(calls);
    std::string log((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_THAT(log, HasSubstr("get " + bench.auth_registry + "\n"));
  }
  remove_private_image();
  ASSERT_FALSE(engine_has_private_image());
  {
    SCOPED_TRACE("credsStore");
    write_docker_config(json{{"credsStore", "crtest"}}.dump());
    auto pull = crun({"pull", "--progress", "plain", bench.image_private}, with_env(path_env));
    expect_no_secret(pull);
    ASSERT_EQ(pull.exit_code, 0) << pull.describe();
    EXPECT_EQ(pull.out, bench.image_private + "@" + bench.digest_private + "\n");
    EXPECT_TRUE(engine_has_private_image());
  }
}

TEST_P(Credentials, ContainersAuthJsonFromRegistryAuthFile)
{
  fs::path auth_file = tmp / "containers" / "auth.json";
  {
    SCOPED_TRACE("key: host:port");
    write_file(auth_file, auths_json(bench.auth_registry, bench.auth_user, bench.auth_password));
    auto pull = crun({"pull", "--progress", "plain", bench.image_private},
                     with_env("REGISTRY_AUTH_FILE=" + auth_file.string()));
    expect_no_secret(pull);
    ASSERT_EQ(pull.exit_code, 0) << pull.describe();
    EXPECT_EQ(pull.out, bench.image_private + "@" + served_digest() + "\n");
    EXPECT_TRUE(engine_has_private_image());
  }
  remove_private_image();
  ASSERT_FALSE(engine_has_private_image());
  {
    // containers' auth.json may key credentials by namespace (host/path).
    SCOPED_TRACE("key: host:port/private");
    write_file(auth_file,
               auths_json(bench.auth_registry + "/private", bench.auth_user, bench.auth_password));
    auto pull = crun({"pull", "--progress", "plain", bench.image_private},
                     with_env("REGISTRY_AUTH_FILE=" + auth_file.string()));
    expect_no_secret(pull);
    ASSERT_EQ(pull.exit_code, 0) << pull.describe();
    EXPECT_EQ(pull.out, bench.image_private + "@" + bench.digest_private + "\n");
    EXPECT_TRUE(engine_has_private_image());
  }
}

TEST_P(Credentials, WrongPasswordFailsNamingTheRegistryWithoutPrintingIt)
{
  const std::string wrong = "wrong-" + crun::test::unique_name("pw");
  fs::path config = write_docker_config(auths_json(bench.auth_registry, bench.auth_user, wrong));
  auto secrets = secret_forms(bench.auth_user, wrong, bench.auth_registry);
  for (bool verbose : {false, true}) {
    SCOPED_TRACE(verbose ? "-v" : "quiet");
    std::vector<std::string> args = {"pull", "--progress", "plain", bench.image_private};
    if (verbose) {
      args.insert(args.begin(), "-v");
    }
    auto pull = crun(args);
    expect_no_secret(pull, secrets);
    expect_no_secret(pull);
    EXPECT_EQ(pull.exit_code, 1) << pull.describe();
    EXPECT_EQ(pull.out, "");
    EXPECT_THAT(pull.err, HasSubstr(bench.auth_registry));
    EXPECT_THAT(pull.err, HasSubstr(config.string())); // where the refused credentials came from
    EXPECT_FALSE(engine_has_private_image());
  }
  auto run = crun({"-v", "run", "--rm", bench.image_private, "true"});
  expect_no_secret(run, secrets);
  EXPECT_EQ(run.exit_code, 125) << run.describe();
  EXPECT_THAT(run.err, HasSubstr(bench.auth_registry));
  EXPECT_FALSE(engine_has_private_image());
}

INSTANTIATE_TEST_SUITE_P(Engines, Credentials, crun::test::bench_engines(),
                         crun::test::backend_name);

} // namespace
