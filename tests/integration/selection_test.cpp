// Backend selection against the real bench: auto-detection over two live
// engines, a Podman service behind DOCKER_HOST, nothing reachable at all,
// and the on-demand Podman service that crun-any starts itself, reuses, and
// that leaves no process behind after its idle timeout.
#include "support/bench.hpp"
#include "support/bench_fixtures.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

namespace {

using crun::test::Defer;
using crun::test::ProcessOptions;
using crun::test::ProcessResult;
using crun::test::run_crun_any;
using json = nlohmann::json;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

bool exists(const std::string& path)
{
  struct stat st{};
  return ::stat(path.c_str(), &st) == 0;
}

void write_file(const std::string& path, const std::string& text)
{
  std::ofstream out(path);
  out << text;
}

std::string read_file(const std::string& path)
{
  std::ifstream in(path);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

// PIDs of live processes whose command line mentions `needle` (zombies have
// an empty cmdline, so they do not count). Linux /proc.
std::set<pid_t> processes_mentioning(const std::string& needle)
{
  std::set<pid_t> pids;
  DIR* proc = ::opendir("/proc");
  if (!proc) {
    return pids;
  }
  while (dirent* entry = ::readdir(proc)) {
    char* end = nullptr;
    long pid = std::strtol(entry->d_name, &end, 10);
    if (*end != '\0' || pid <= 0 || pid == ::getpid()) {
      continue;
    }
    std::string cmdline = read_file(std::string("/proc/") + entry->d_name + "/cmdline");
    if (cmdline.find(needle) != std::string::npos) {
      pids.insert(static_cast<pid_t>(pid));
    }
  }
  ::closedir(proc);
  return pids;
}

const json* candidate_with_origin(const json& doc, const std::string& origin)
{
  for (const auto& c : doc.at("candidates")) {
    if (c.at("origin") == origin) {
      return &c;
    }
  }
  return nullptr;
}

class Selection : public crun::test::BenchTest {
protected:
  // Short (socket paths must fit in 108 bytes, and Podman refuses a runroot
  // longer than 50).
  crun::test::TempDir temp{"csel"};

  // crun-any with a private HOME, runtime and docker config directory and
  // no engine variables, plus `extra`.
  ProcessResult crun(const std::vector<std::string>& args, std::vector<std::string> extra = {},
                     std::chrono::seconds timeout = 180s)
  {
    ProcessOptions options;
    options.env_unset = crun::test::k_engine_variables;
    options.env_set = {"HOME=" + temp.sub("home"), "XDG_RUNTIME_DIR=" + temp.sub("rt"),
                       "DOCKER_CONFIG=" + temp.sub("docker"), "NO_COLOR=1"};
    options.env_set.insert(options.env_set.end(), extra.begin(), extra.end());
    options.timeout = timeout;
    return run_crun_any(args, options);
  }

  json doctor_json(std::vector<std::string> extra, int expected_exit = 0)
  {
    auto r = crun({"doctor", "--json"}, std::move(extra));
    EXPECT_EQ(r.exit_code, expected_exit) << r.describe();
    json doc = json::parse(r.out, nullptr, false);
    EXPECT_FALSE(doc.is_discarded()) << r.describe();
    return doc.is_discarded() ? json::object() : doc;
  }

  // The system-wide sockets cannot be redirected; where one exists, the
  // machine is not the empty one a test needs.
  bool system_engine_present() const
  {
    return exists("/var/run/docker.sock") || exists("/run/podman/podman.sock");
  }
};

TEST_F(Selection, AutoDetectionPicksDockerHostAndDoctorListsBothEngines)
{
  std::vector<std::string> both = {"DOCKER_HOST=" + bench.docker_host,
                                   "CONTAINER_HOST=" + bench.podman_host};
  json doc = doctor_json(both);
  ASSERT_TRUE(doc.contains("chosen") && doc.at("chosen").is_object()) << doc.dump(2);
  EXPECT_EQ(doc.at("chosen").at("origin"), "DOCKER_HOST");
  EXPECT_EQ(doc.at("chosen").at("kind"), "docker");
  EXPECT_EQ(doc.at("chosen").at("endpoint"), bench.docker_host);
  EXPECT_EQ(doc.at("preference").at("backend"), "auto");

  const json* docker = candidate_with_origin(doc, "DOCKER_HOST");
  const json* podman = candidate_with_origin(doc, "CONTAINER_HOST");
  ASSERT_TRUE(docker && podman) << doc.dump(2);
  EXPECT_EQ(docker->at("health"), "healthy");
  EXPECT_EQ(docker->at("version").at("api"), "1.41");
  EXPECT_THAT(docker->at("version").at("engine").get<std::string>(), HasSubstr("20.10"));
  EXPECT_EQ(podman->at("health"), "healthy");
  EXPECT_EQ(podman->at("kind"), "podman");
  EXPECT_EQ(podman->at("version").at("libpod_api"), "4.3.1");
  EXPECT_EQ(podman->at("chosen"), false);
  EXPECT_THAT(podman->at("verdict").get<std::string>(), HasSubstr("DOCKER_HOST ranks higher"));
  EXPECT_LT(docker->at("rank").get<int>(), podman->at("rank").get<int>());

  // The human form says the same.
  auto text = crun({"doctor"}, both);
  EXPECT_EQ(text.exit_code, 0) << text.describe();
  EXPECT_THAT(text.out, HasSubstr("Chosen:   docker"));
  EXPECT_THAT(text.out, HasSubstr("CONTAINER_HOST  [healthy]"));

  // And the commands use it.
  auto pull = crun({"pull", "-q", bench.image_small}, both);
  ASSERT_EQ(pull.exit_code, 0) << pull.describe();
  auto inspect = crun({"inspect", "--format", "{{.backend}}", bench.image_small}, both);
  EXPECT_EQ(inspect.exit_code, 0) << inspect.describe();
  EXPECT_EQ(inspect.out, "docker\n");

  // A preference picks the other one among the same two.
  both.emplace_back("CRUN_ANY_BACKEND=podman");
  json podman_doc = doctor_json(both);
  EXPECT_EQ(podman_doc.at("chosen").at("origin"), "CONTAINER_HOST");
  EXPECT_EQ(podman_doc.at("preference").at("source"), "CRUN_ANY_BACKEND");
}

TEST_F(Selection, APodmanServiceBehindDockerHostIsUsedAsPodman)
{
  std::vector<std::string> env = {"DOCKER_HOST=" + bench.podman_host};
  json doc = doctor_json(env);
  ASSERT_TRUE(doc.at("chosen").is_object()) << doc.dump(2);
  EXPECT_EQ(doc.at("chosen").at("origin"), "DOCKER_HOST");
  EXPECT_EQ(doc.at("chosen").at("expected"), "docker");
  EXPECT_EQ(doc.at("chosen").at("kind"), "podman");

  auto pull = crun({"pull", "-q", bench.image_small}, env);
  ASSERT_EQ(pull.exit_code, 0) << pull.describe();
  auto inspect = crun({"-v", "inspect", bench.image_small}, env);
  ASSERT_EQ(inspect.exit_code, 0) << inspect.describe();
  json images = json::parse(inspect.out);
  EXPECT_EQ(images.at(0).at("backend"), "podman");
  EXPECT_THAT(inspect.err, HasSubstr("using the podman adapter"));

  // --backend docker naming the same socket: what answers decides, and -v says so.
  auto named = crun({"-v", "--backend", "docker", "--host", bench.podman_host, "inspect",
                     "--format", "{{.backend}}", bench.image_small});
  EXPECT_EQ(named.exit_code, 0) << named.describe();
  EXPECT_EQ(named.out, "podman\n");
  EXPECT_THAT(named.err, HasSubstr("answers as podman although --backend asks for docker"));
}

TEST_F(Selection, NothingReachableFailsFastWithTheExplanation)
{
  if (system_engine_present()) {
    GTEST_SKIP() << "a system-wide engine socket exists on this machine";
  }
  std::vector<std::string> bare = {"PATH=" + temp.sub("bin")}; // no podman on PATH

  auto pull = crun({"pull", "x"}, bare);
  EXPECT_EQ(pull.exit_code, 4) << pull.describe();
  EXPECT_LT(pull.elapsed, 2000ms) << pull.describe();
  EXPECT_THAT(pull.err, HasSubstr("no usable container engine"));
  EXPECT_THAT(pull.err, HasSubstr("no socket at: " + temp.path() + "/rt/podman/podman.sock"));
  EXPECT_THAT(pull.err, HasSubstr("/var/run/docker.sock"));
  EXPECT_THAT(pull.err, HasSubstr("podman is not installed"));
  EXPECT_THAT(pull.err, HasSubstr("run `crun-any doctor` for details"));

  auto run = crun({"run", "--rm", "x", "true"}, bare);
  EXPECT_EQ(run.exit_code, 125) << run.describe();
  EXPECT_LT(run.elapsed, 2000ms) << run.describe();
  EXPECT_THAT(run.err, HasSubstr("no usable container engine"));

  // An explicit setting that is broken is named with its fix.
  auto broken =
    crun({"inspect", "x"}, {"PATH=" + temp.sub("bin"), "CONTAINER_HOST=unix:///nope.sock"});
  EXPECT_EQ(broken.exit_code, 4) << broken.describe();
  EXPECT_THAT(broken.err, HasSubstr("check CONTAINER_HOST=unix:///nope.sock"));

  auto doctor = crun({"doctor"}, bare);
  EXPECT_EQ(doctor.exit_code, 4) << doctor.describe();
  EXPECT_LT(doctor.elapsed, 2000ms);
  EXPECT_THAT(doctor.out, HasSubstr("Chosen:   none"));
  json doc = doctor_json(bare, 4);
  EXPECT_TRUE(doc.at("chosen").is_null());
  EXPECT_FALSE(doc.at("candidates").empty());
}

TEST_F(Selection, AMalformedUserConfigIsAnErrorNamingTheFile)
{
  std::string dir = temp.sub("cfg") + "/crun-any";
  std::filesystem::create_directories(dir);
  write_file(dir + "/config.json", "{\n  \"backend\": podman\n}\n");
  // The user config also holds the user's policy: one that cannot be read
  // stops every command as a policy that cannot be read (fails closed).
  auto r = crun({"pull", "x"}, {"XDG_CONFIG_HOME=" + temp.path() + "/cfg"});
  EXPECT_EQ(r.exit_code, 3) << r.describe();
  EXPECT_THAT(r.err, HasSubstr(dir + "/config.json:2:"));
}

TEST_F(Selection, OnDemandPodmanServiceStartsIsReusedAndGoesAway)
{
  if (system_engine_present()) {
    GTEST_SKIP() << "a system-wide engine socket exists on this machine";
  }
  auto podman = crun::test::run_process({"sh", "-c", "command -v podman"});
  if (podman.exit_code != 0) {
    GTEST_SKIP() << "podman is not installed";
  }
  std::string podman_dir =
    std::filesystem::path(podman.out.substr(0, podman.out.find('\n'))).parent_path().string();

  // Private storage and state; the bench's quirks (rlimits, runc) kept.
  std::string state = temp.sub("p");
  temp.sub("p/tmp");
  temp.sub("p/networks");
  std::string conf = read_file(bench.containers_conf);
  for (std::size_t at; (at = conf.find(bench.dir + "/podman")) != std::string::npos;) {
    conf.replace(at, bench.dir.size() + 7, state);
  }
  write_file(temp.path() + "/containers.conf", conf);
  write_file(temp.path() + "/storage.conf", "[storage]\ndriver = \"vfs\"\ngraphroot = \"" +
                                              temp.path() + "/g\"\nrunroot = \"" + temp.path() +
                                              "/r\"\n");
  constexpr int k_idle = 4;
  std::vector<std::string> env = {"PATH=" + podman_dir +
                                    ":/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                                  "CONTAINERS_CONF=" + temp.path() + "/containers.conf",
                                  "CONTAINERS_STORAGE_CONF=" + temp.path() + "/storage.conf",
                                  "CONTAINERS_REGISTRIES_CONF=" + bench.registries_conf,
                                  "CRUN_ANY_PODMAN_IDLE_TIMEOUT=" + std::to_string(k_idle)};
  std::string socket = temp.path() + "/rt/crun-any/podman.sock";
  Defer kill_leftovers([&] {
    for (pid_t pid : processes_mentioning(socket)) {
      ::kill(pid, SIGKILL);
    }
  });

  auto first = crun({"-v", "run", "--rm", bench.image_small, "true"}, env);
  ASSERT_EQ(first.exit_code, 0) << first.describe() << "\nservice log:\n"
                                << read_file(temp.path() + "/rt/crun-any/podman-service.log");
  EXPECT_THAT(first.err, HasSubstr("on-demand Podman service"));
  auto services = processes_mentioning(socket);
  ASSERT_EQ(services.size(), 1u) << "expected one podman service for " << socket;
  struct stat st{};
  ASSERT_EQ(::stat((temp.path() + "/rt/crun-any").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);

  auto second = crun({"-v", "run", "--rm", bench.image_small, "true"}, env);
  EXPECT_EQ(second.exit_code, 0) << second.describe();
  EXPECT_EQ(processes_mentioning(socket), services) << "the second call started another service";
  json doc = doctor_json(env);
  ASSERT_TRUE(doc.at("chosen").is_object()) << doc.dump(2);
  EXPECT_EQ(doc.at("chosen").at("origin"), "on-demand-podman");
  EXPECT_THAT(doc.at("chosen").at("verdict").get<std::string>(), HasSubstr("reused"));
  EXPECT_EQ(processes_mentioning(socket), services);

  // Idle, it exits by itself and takes its socket with it.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(k_idle + 10);
  while (!processes_mentioning(socket).empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(200ms);
  }
  EXPECT_TRUE(processes_mentioning(socket).empty())
    << "the podman service is still running " << k_idle + 10 << " s after its last use";
}

} // namespace
