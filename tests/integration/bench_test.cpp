// The bench itself, checked the way a user would check it: the registry
// serves the seeded images with the right shapes and platforms, both engines
// answer, arm64 images run under emulation. Plus the support library's own
// checks (processes, pty), since every other integration test relies on it.
#include "support/bench.hpp"

#include "support/bench_fixtures.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <string>
#include <thread>

namespace {

using crun::test::Bench;
using crun::test::ChildProcess;
using crun::test::Defer;
using crun::test::http_request;
using crun::test::ProcessOptions;
using crun::test::registry_blob;
using crun::test::registry_manifest;
using crun::test::run_docker;
using crun::test::run_in_pty;
using crun::test::run_podman;
using crun::test::run_process;
using crun::test::sha256_hex;
using json = nlohmann::json;
using ::testing::HasSubstr;

constexpr const char* k_oci_index = "application/vnd.oci.image.index.v1+json";
constexpr const char* k_docker_list = "application/vnd.docker.distribution.manifest.list.v2+json";
constexpr const char* k_oci_manifest = "application/vnd.oci.image.manifest.v1+json";
constexpr const char* k_docker_manifest = "application/vnd.docker.distribution.manifest.v2+json";
constexpr std::uint64_t k_mib = 1024 * 1024;

bool is_socket(const std::string& path)
{
  struct stat st{};
  return ::stat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode);
}

// "127.0.0.1:5857/bench/small:1" -> {"bench/small", "1"}
std::pair<std::string, std::string> repo_and_tag(const Bench& bench, const std::string& ref)
{
  std::string rest = ref.substr(bench.registry.size() + 1);
  auto colon = rest.rfind(':');
  return {rest.substr(0, colon), rest.substr(colon + 1)};
}

// The image config of a single-platform manifest, fetched from the registry.
json image_config(const std::string& repo, const json& manifest)
{
  std::string digest = manifest.at("config").at("digest");
  auto blob = registry_blob(repo, digest);
  EXPECT_EQ(blob.status, 200) << "GET config blob " << digest << " of " << repo << ": "
                              << blob.error;
  EXPECT_EQ("sha256:" + sha256_hex(blob.body), digest)
    << "config blob content does not match its digest";
  return json::parse(blob.body);
}

// Every case but the support library's own needs the bench.
using BenchEnv = crun::test::BenchTest;
using BenchRegistry = crun::test::BenchTest;
using BenchEngines = crun::test::BenchTest;
using BenchEmulation = crun::test::BenchTest;

// ---------------------------------------------------------------- the env file

TEST_F(BenchEnv, NamesEveryServiceAndImage)
{
  EXPECT_THAT(bench.registry, ::testing::StartsWith("127.0.0.1:"));
  EXPECT_THAT(bench.docker_host, ::testing::StartsWith("unix://"));
  EXPECT_THAT(bench.podman_host, ::testing::StartsWith("unix://"));
  EXPECT_TRUE(is_socket(bench.docker_socket())) << bench.docker_socket() << " is not a socket";
  EXPECT_TRUE(is_socket(bench.podman_socket())) << bench.podman_socket() << " is not a socket";
  for (const auto& ref :
       {bench.image_small, bench.image_multi, bench.image_arm64, bench.image_big}) {
    EXPECT_THAT(ref, ::testing::StartsWith(bench.registry + "/bench/"));
  }
  EXPECT_EQ(bench.big_payload_bytes, 64 * k_mib);
  EXPECT_THAT(bench.big_payload_sha256, ::testing::MatchesRegex("[0-9a-f]{64}"));
  for (const auto* d : {&bench.digest_small, &bench.digest_multi, &bench.digest_multi_amd64,
                        &bench.digest_multi_arm64, &bench.digest_arm64, &bench.digest_big}) {
    EXPECT_THAT(*d, ::testing::MatchesRegex("sha256:[0-9a-f]{64}"));
  }
}

// ------------------------------------------------------------------- registry

TEST_F(BenchRegistry, AnswersTheDistributionApi)
{
  auto r = http_request("GET", "http://" + bench.registry + "/v2/");
  ASSERT_EQ(r.status, 200) << r.error << r.body;
  EXPECT_EQ(r.header("docker-distribution-api-version").value_or(""), "registry/2.0");

  auto missing = registry_manifest("bench/small", "no-such-tag");
  EXPECT_EQ(missing.status, 404) << "an unknown tag must be a 404";
}

TEST_F(BenchRegistry, MultiIsAnIndexOfLinuxAmd64AndArm64)
{
  auto [repo, tag] = repo_and_tag(bench, bench.image_multi);
  auto m = registry_manifest(repo, tag);
  ASSERT_EQ(m.status, 200) << m.error;
  EXPECT_THAT(m.content_type, ::testing::AnyOf(k_oci_index, k_docker_list));
  EXPECT_EQ(m.digest, "sha256:" + sha256_hex(m.body))
    << "Docker-Content-Digest is not the digest of the body";
  EXPECT_EQ(m.digest, bench.digest_multi);

  json index = json::parse(m.body);
  ASSERT_TRUE(index.contains("manifests")) << m.body;
  std::set<std::string> platforms;
  for (const auto& entry : index.at("manifests")) {
    const auto& p = entry.at("platform");
    std::string os = p.at("os"), arch = p.at("architecture");
    platforms.insert(os + "/" + arch);
    std::string digest = entry.at("digest");
    EXPECT_EQ(digest, arch == "arm64" ? bench.digest_multi_arm64 : bench.digest_multi_amd64)
      << arch;

    // Each platform's manifest resolves, and its config says the same platform.
    auto child = registry_manifest(repo, digest);
    ASSERT_EQ(child.status, 200) << "manifest " << digest
                                 << " listed in the index: " << child.error;
    EXPECT_THAT(child.content_type, ::testing::AnyOf(k_oci_manifest, k_docker_manifest));
    EXPECT_EQ(child.digest, digest);
    json config = image_config(repo, json::parse(child.body));
    EXPECT_EQ(config.value("architecture", ""), arch);
    EXPECT_EQ(config.value("os", ""), os);
  }
  EXPECT_EQ(platforms, (std::set<std::string>{"linux/amd64", "linux/arm64"})) << m.body;
}

struct SingleImage {
  const char* name;
  std::string Bench::* ref;
  std::string Bench::* digest;
  const char* arch;
};

class BenchRegistrySingle : public crun::test::WithBench<::testing::TestWithParam<SingleImage>> {};

TEST_P(BenchRegistrySingle, IsOneManifestOfTheRightArchitecture)
{
  const SingleImage& image = GetParam();
  auto [repo, tag] = repo_and_tag(bench, bench.*image.ref);
  auto m = registry_manifest(repo, tag);
  ASSERT_EQ(m.status, 200) << bench.*image.ref << ": " << m.error;
  EXPECT_THAT(m.content_type, ::testing::AnyOf(k_oci_manifest, k_docker_manifest))
    << bench.*image.ref << " must be a single manifest, not an index";
  EXPECT_EQ(m.digest, "sha256:" + sha256_hex(m.body));
  EXPECT_EQ(m.digest, bench.*image.digest);
  json manifest = json::parse(m.body);
  ASSERT_FALSE(manifest.contains("manifests")) << m.body;
  ASSERT_FALSE(manifest.at("layers").empty());
  json config = image_config(repo, manifest);
  EXPECT_EQ(config.value("architecture", ""), image.arch);
  EXPECT_EQ(config.value("os", ""), "linux");
  EXPECT_EQ(config["config"]["Cmd"], json::array({"/bin/sh"}));
}

INSTANTIATE_TEST_SUITE_P(
  Images, BenchRegistrySingle,
  ::testing::Values(SingleImage{"small", &Bench::image_small, &Bench::digest_small, "amd64"},
                    SingleImage{"arm64only", &Bench::image_arm64, &Bench::digest_arm64, "arm64"},
                    SingleImage{"big", &Bench::image_big, &Bench::digest_big, "amd64"}),
  [](const auto& param_info) { return std::string(param_info.param.name); });

TEST_F(BenchRegistry, BigHasALayerOfAtLeast64MiB)
{
  auto [repo, tag] = repo_and_tag(bench, bench.image_big);
  auto m = registry_manifest(repo, tag);
  ASSERT_EQ(m.status, 200) << m.error;
  std::uint64_t largest = 0;
  const json manifest = json::parse(m.body);
  for (const auto& layer : manifest.at("layers")) {
    largest = std::max(largest, layer.at("size").get<std::uint64_t>());
  }
  EXPECT_GE(largest, 64 * k_mib) << "the largest layer of " << bench.image_big << " is " << largest
                                 << " bytes";
}

// -------------------------------------------------------------------- engines

TEST_F(BenchEngines, DockerdAnswersPing)
{
  auto r = http_request("GET", "http://d/_ping", {}, bench.docker_socket());
  ASSERT_EQ(r.status, 200) << r.error;
  EXPECT_EQ(r.body, "OK");
  EXPECT_TRUE(r.header("api-version").has_value()) << r.status_line;
  EXPECT_FALSE(r.header("libpod-api-version").has_value()) << "the docker socket answers as Podman";
}

TEST_F(BenchEngines, PodmanAnswersPingWithLibpodApiVersion)
{
  auto r = http_request("GET", "http://d/_ping", {}, bench.podman_socket());
  ASSERT_EQ(r.status, 200) << r.error;
  EXPECT_EQ(r.body, "OK");
  EXPECT_THAT(r.header("libpod-api-version").value_or(""),
              ::testing::MatchesRegex("[0-9]+\\.[0-9]+.*"));
  EXPECT_TRUE(r.header("api-version").has_value());
}

TEST_F(BenchEngines, DockerPullsAndRunsTheSmallImage)
{
  Defer cleanup([&] { run_docker({"rmi", "-f", bench.image_small}); });
  auto r = run_docker({"run", "--rm", "--pull", "always", bench.image_small, "sh", "-c",
                       "uname -m; cat /etc/bench-image; id -un nobody"});
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_EQ(r.out, "x86_64\nsmall\nnobody\n");

  // The image provokes the engine's "cannot invoke" and "not found" codes.
  auto not_exec = run_docker({"run", "--rm", bench.image_small, "/etc/not-exec"});
  EXPECT_EQ(not_exec.exit_code, 126) << not_exec.describe();
  auto not_found = run_docker({"run", "--rm", bench.image_small, "/no/such/command"});
  EXPECT_EQ(not_found.exit_code, 127) << not_found.describe();
}

TEST_F(BenchEngines, PodmanPullsAndRunsTheSmallImage)
{
  Defer cleanup([&] { run_podman({"rmi", "-f", bench.image_small}); });
  auto r = run_podman({"run", "--rm", "--pull", "always", bench.image_small, "sh", "-c",
                       "uname -m; cat /etc/bench-image; ulimit -n"});
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_EQ(r.out, "x86_64\nsmall\n1024\n")
    << "the service must run with the bench's containers.conf";
}

TEST_F(BenchEngines, BigPayloadArrivesIntactThroughDocker)
{
  Defer cleanup([&] { run_docker({"rmi", "-f", bench.image_big}); });
  auto r = run_docker({"run", "--rm", "--pull", "always", bench.image_big, "sh", "-c",
                       "sha256sum /payload | cut -d' ' -f1; wc -c < /payload"});
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_EQ(r.out,
            bench.big_payload_sha256 + "\n" + std::to_string(bench.big_payload_bytes) + "\n");
}

// ------------------------------------------------------------------ emulation

TEST_F(BenchEmulation, DockerRunsTheArm64VariantOfMulti)
{
  run_docker({"rmi", "-f", bench.image_multi}); // so that it is pulled from the registry
  Defer cleanup([&] { run_docker({"rmi", "-f", bench.image_multi}); });
  auto r =
    run_docker({"run", "--rm", "--platform", "linux/arm64", bench.image_multi, "uname", "-m"});
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_EQ(r.out, "aarch64\n");
  EXPECT_THAT(r.err, HasSubstr("Pulling from bench/multi"))
    << "the image was not pulled from the bench registry";

  auto inspect =
    run_docker({"image", "inspect", "--format", "{{.Os}}/{{.Architecture}}", bench.image_multi});
  ASSERT_EQ(inspect.exit_code, 0) << inspect.describe();
  EXPECT_EQ(inspect.out, "linux/arm64\n");
}

TEST_F(BenchEmulation, PodmanRunsTheArm64OnlyImage)
{
  Defer cleanup([&] { run_podman({"rmi", "-f", bench.image_arm64}); });
  auto r = run_podman({"run", "--rm", "--pull", "always", "--platform", "linux/arm64",
                       bench.image_arm64, "sh", "-c", "uname -m; cat /etc/bench-arch"});
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_EQ(r.out, "aarch64\narm64\n");
}

// ------------------------------------------------- the support library itself

// What an integration test says when there is no bench, and tests/bench/up's
// side of it: where it cannot run it exits 77 (ctest's skip) and leaves the
// reason; with CRUN_ANY_REQUIRE_BENCH=1 it fails.
const std::string k_not_root = "must run as root (it starts dockerd and a rootful Podman service)";

TEST(SupportBench, SaysWhyThereIsNoBench)
{
  crun::test::TempDir temp("crun-nobench");
  const std::string dir = temp.path() + "/bench";
  EXPECT_EQ(Bench::unavailable(dir), "the test bench is not up (" + dir +
                                       "/env is missing): start it with tests/bench/up, "
                                       "or set CRUN_BENCH_DIR to the directory of a running bench");
  std::ofstream(dir + ".unavailable") << k_not_root << "\n";
  EXPECT_EQ(Bench::unavailable(dir), "tests/bench/up cannot run here: " + k_not_root);
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/env") << "CRUN_BENCH_DIR=" << dir << "\n";
  EXPECT_EQ(Bench::unavailable(dir), std::nullopt)
    << "a bench is there: its own tests say what is wrong";
}

TEST(SupportBench, UpRefusesToRunWithoutRootAndSaysWhy)
{
  if (::geteuid() != 0) {
    GTEST_SKIP() << "needs root, to run tests/bench/up as the user nobody";
  }
  crun::test::TempDir temp("crun-up");
  ::chmod(temp.path().c_str(), 0777); // for nobody's $DIR.unavailable
  const std::string dir = temp.path() + "/bench";
  auto up_as_nobody = [&](const std::string& required) {
    const std::string up = CRUN_BENCH_SCRIPTS "/up";
    return run_process({"runuser", "-u", "nobody", "--", "env", "CRUN_BENCH_DIR=" + dir,
                        "CRUN_ANY_REQUIRE_BENCH=" + required, up});
  };
  auto r = up_as_nobody("");
  if (r.exit_code == 126 || r.exit_code == 127 ||
      r.err.find("Permission denied") != std::string::npos) {
    GTEST_SKIP() << "nobody cannot run " CRUN_BENCH_SCRIPTS "/up here: " << r.describe();
  }
  EXPECT_EQ(r.exit_code, 77) << r.describe();
  EXPECT_EQ(r.err, "bench/up: SKIP: cannot run here: " + k_not_root + "\n");
  EXPECT_EQ(Bench::unavailable(dir), "tests/bench/up cannot run here: " + k_not_root);
  EXPECT_FALSE(std::filesystem::exists(dir)) << "it must stop before making anything";

  auto required = up_as_nobody("1");
  EXPECT_EQ(required.exit_code, 1) << required.describe();
  EXPECT_EQ(required.err, "bench/up: ERROR: " + k_not_root +
                            " (CRUN_ANY_REQUIRE_BENCH=1: the bench is required)\n");
}

TEST(SupportBench, UpRefusesToRunOutsideLinux)
{
  crun::test::TempDir temp("crun-up");
  const std::string shim = temp.sub("shim");
  std::ofstream(shim + "/uname") << "#!/bin/sh\necho Darwin\n";
  ::chmod((shim + "/uname").c_str(), 0755);
  const char* path = std::getenv("PATH");
  ProcessOptions options;
  options.env_set = {"PATH=" + shim + ":" + (path ? path : "/usr/bin:/bin"),
                     "CRUN_BENCH_DIR=" + temp.path() + "/bench"};
  options.env_unset = {"CRUN_ANY_REQUIRE_BENCH"};
  auto r = run_process({CRUN_BENCH_SCRIPTS "/up"}, options);
  EXPECT_EQ(r.exit_code, 77) << r.describe();
  EXPECT_EQ(r.err, "bench/up: SKIP: cannot run here: the bench runs on Linux only, not Darwin\n");
  EXPECT_FALSE(std::filesystem::exists(temp.path() + "/bench"));
}

TEST(SupportProcess, CapturesOutputAndExitCode)
{
  auto r = run_process({"sh", "-c", "echo out; echo err >&2; exit 3"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.term_signal, 0);
  EXPECT_EQ(r.out, "out\n");
  EXPECT_EQ(r.err, "err\n");
  EXPECT_EQ(r.out_bytes, 4u);
  EXPECT_EQ(r.out_sha256, sha256_hex("out\n"));
  EXPECT_FALSE(r.timed_out);
  EXPECT_GT(r.max_rss_kib, 0);
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(SupportProcess, FeedsStdinSetsEnvAndCwd)
{
  ProcessOptions opts;
  opts.stdin_data = "hello\n";
  opts.env_set = {"CRUN_TEST_FOO=bar baz"};
  opts.env_unset = {"HOME"};
  opts.cwd = "/tmp";
  auto r = run_process({"sh", "-c", "cat; echo \"$CRUN_TEST_FOO\" \"${HOME-unset}\"; pwd"}, opts);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_EQ(r.out, "hello\nbar baz unset\n/tmp\n");

  auto no_stdin = run_process({"sh", "-c", "cat; echo end"}); // /dev/null: cat ends at once
  EXPECT_EQ(no_stdin.out, "end\n");
}

TEST(SupportProcess, BothPipesFullDoNotDeadlockAndStdoutCanBeHashed)
{
  const std::string script =
    "head -c 3000000 /dev/zero; head -c 2000000 /dev/zero >&2; head -c 1000 /dev/zero";
  auto r = run_process({"sh", "-c", script});
  ASSERT_EQ(r.exit_code, 0) << r.status();
  EXPECT_EQ(r.out.size(), 3001000u);
  EXPECT_EQ(r.err.size(), 2000000u);

  ProcessOptions opts;
  opts.hash_stdout = true;
  auto h = run_process({"sh", "-c", script}, opts);
  EXPECT_TRUE(h.out.empty());
  EXPECT_EQ(h.out_bytes, 3001000u);
  EXPECT_EQ(h.out_sha256, sha256_hex(std::string(3001000, '\0')));
}

TEST(SupportProcess, TimeoutKillsTheProcessGroup)
{
  ProcessOptions opts;
  opts.timeout = std::chrono::seconds(1);
  auto r = run_process({"sh", "-c", "sleep 60 & sleep 60; echo never"}, opts);
  EXPECT_TRUE(r.timed_out);
  EXPECT_EQ(r.exit_code, -1);
  EXPECT_EQ(r.term_signal, SIGKILL);
  EXPECT_LT(r.elapsed, std::chrono::seconds(15))
    << "a grandchild holding the pipes must not block the result";
}

TEST(SupportProcess, ReportsSignalsAndMissingPrograms)
{
  auto r = run_process({"sh", "-c", "kill -TERM $$"});
  EXPECT_EQ(r.exit_code, -1);
  EXPECT_EQ(r.term_signal, SIGTERM);

  auto missing = run_process({"crun-test-no-such-program"});
  EXPECT_EQ(missing.exit_code, 127);
  EXPECT_THAT(missing.err, HasSubstr("cannot execute"));
}

TEST(SupportProcess, MaxRssIsTheChilds)
{
  auto r = run_process({"sh", "-c", "x=$(head -c 30000000 /dev/zero | tr '\\0' a); echo ${#x}"});
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_EQ(r.out, "30000000\n");
  EXPECT_GT(r.max_rss_kib, 25000);
}

TEST(SupportProcess, ChildProcessStreamsOutputAndTakesSignals)
{
  ChildProcess child;
  child.start(
    {"sh", "-c", "trap 'echo got-term; exit 42' TERM; echo ready; while :; do sleep 0.1; done"});
  ASSERT_TRUE(child.wait_for_output("ready", std::chrono::seconds(10)))
    << child.out() << child.err();
  EXPECT_TRUE(child.running());
  EXPECT_TRUE(child.send(SIGTERM));
  auto r = child.wait();
  EXPECT_EQ(r.exit_code, 42) << r.describe();
  EXPECT_THAT(r.out, HasSubstr("got-term"));
  EXPECT_FALSE(child.running());
}

TEST(SupportProcess, ChildProcessStdinStaysOpenUntilClosed)
{
  ChildProcess child;
  ProcessOptions opts;
  opts.keep_stdin_open = true;
  opts.stdin_data = "first\n";
  child.start({"cat"}, opts);
  ASSERT_TRUE(child.wait_for_output("first\n", std::chrono::seconds(10)));
  ASSERT_TRUE(child.write_stdin("second\n"));
  ASSERT_TRUE(child.wait_for_output("second\n", std::chrono::seconds(10)));
  child.close_stdin();
  auto r = child.wait();
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_EQ(r.out, "first\nsecond\n");
}

TEST(SupportProcess, PtyIsATerminalAndTakesInput)
{
  auto r = run_in_pty(
    {"sh", "-c", "test -t 0 && test -t 1 && echo tty-yes; stty size; read x; echo got:$x"},
    "hello\n", std::chrono::seconds(30));
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_THAT(r.output, HasSubstr("tty-yes\r\n"));
  EXPECT_THAT(r.output, HasSubstr("24 80"));
  EXPECT_THAT(r.output, HasSubstr("got:hello"));

  ChildProcess child;
  ProcessOptions opts;
  opts.pty = true;
  child.start({"sh", "-c", "echo prompt; read x; echo got:$x; sleep 60"}, opts);
  ASSERT_TRUE(child.wait_for_output("prompt", std::chrono::seconds(10))) << child.out();
  child.write_stdin("typed\n");
  ASSERT_TRUE(child.wait_for_output("got:typed", std::chrono::seconds(10))) << child.out();
  // ^C on the terminal: SIGINT to its foreground group. Repeated: one that
  // lands while sh forks `sleep` is taken by sh's handler, not by sleep.
  for (int i = 0; i < 20 && child.running(); ++i) {
    child.write_stdin("\x03");
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  auto done = child.wait();
  EXPECT_EQ(done.term_signal, SIGINT) << done.describe();
}

} // namespace
