// The docker run options of issue 13 (docs/run.md), each proven by what
// reaches the container (or the engine's own inspect), once per backend:
// docker, podman, and apple through the stand-in of Apple's `container`
// (tests/apple/README.md), where every option Apple's run lacks must be
// refused with 125, naming the option and "apple", before anything runs.
// One container shows several options at once to keep the suite fast.
#include "support/bench.hpp"
#include "support/bench_fixtures.hpp"
#include "support/policy_files.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace {

using crun::test::ChildProcess;
using crun::test::Defer;
using crun::test::ProcessOptions;
using json = nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

std::string slurp(const std::string& path)
{
  std::ifstream in(path);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

class RunOptions : public crun::test::EngineTest {
protected:
  void pull_small() const
  {
    auto r = crun({"pull", "-q", bench.image_small});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
  }

  // `run --rm <options> IMAGE true` on apple: refused before anything runs,
  // 125, naming the option and the backend.
  void expect_apple_refuses(const std::vector<std::string>& options, const std::string& named) const
  {
    std::vector<std::string> args = {"run", "--rm"};
    args.insert(args.end(), options.begin(), options.end());
    args.insert(args.end(), {bench.image_small, "true"});
    auto r = crun(args);
    EXPECT_EQ(r.exit_code, 125) << r.describe();
    EXPECT_THAT(r.err, HasSubstr(named + ": the apple backend cannot do this")) << r.describe();
    EXPECT_EQ(r.out, "");
  }

  // The engine's own JSON of container `name` (`crun-any inspect --raw`).
  json raw_inspect(const std::string& name) const
  {
    auto r = crun({"inspect", "--raw", "--type", "container", name});
    EXPECT_EQ(r.exit_code, 0) << r.describe();
    return r.exit_code == 0 ? json::parse(r.out).at(0) : json::object();
  }
};

// --read-only, --init, --tmpfs, --mount type=tmpfs and type=bind (readonly),
// --ulimit, --cap-drop/--cap-add, --cpus, -m: everything Apple has too.
TEST_P(RunOptions, ConfinementReachesTheContainer)
{
  pull_small();
  crun::test::TempDir host;
  crun::test::write_file(host.path() + "/hello", "from the host\n");
  auto r = crun({"run", "--rm", "--read-only", "--init", "--tmpfs", "/scratch", "--mount",
                 "type=tmpfs,target=/t2", "--mount",
                 "type=bind,source=" + host.path() + ",target=/host,readonly", "--ulimit",
                 "nofile=512:512",
                 // Podman (its own CLI too) cannot raise nproc on this bench
                 // once any ulimit is given: give it explicitly.
                 "--ulimit", "nproc=1024:1024", "--cap-drop", "ALL", "--cap-add", "NET_RAW",
                 "--cpus", "1", "-m", "256m", bench.image_small, "sh", "-c",
                 "touch /x 2>/dev/null && echo rootfs-rw || echo rootfs-ro; "
                 "echo init=$(cat /proc/1/comm); "
                 "grep -E ' /scratch | /t2 ' /proc/mounts | cut -d' ' -f2,3; "
                 "cat /host/hello; "
                 "touch /host/y 2>/dev/null && echo bind-rw || echo bind-ro; "
                 "echo nofile=$(ulimit -n); grep CapEff /proc/self/status"});
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_THAT(r.out, HasSubstr("rootfs-ro\n"));
  EXPECT_THAT(r.out, Not(HasSubstr("init=sh\n")));
  EXPECT_THAT(r.out, ::testing::ContainsRegex("init=(docker-init|podman-init|catatonit)\n"));
  EXPECT_THAT(r.out, HasSubstr("/scratch tmpfs\n"));
  EXPECT_THAT(r.out, HasSubstr("/t2 tmpfs\n"));
  EXPECT_THAT(r.out, HasSubstr("from the host\nbind-ro\n"));
  EXPECT_THAT(r.out, HasSubstr("nofile=512\n"));
  EXPECT_THAT(r.out, HasSubstr("CapEff:\t0000000000002000\n")); // NET_RAW only
  EXPECT_FALSE(std::filesystem::exists(host.path() + "/y"));
}

// -m and --cpus in the cgroup (docker, podman) or, where the stand-in only
// records them, in Apple's configuration (`inspect --raw`).
TEST_P(RunOptions, MemoryAndCpusAreTheLimits)
{
  pull_small();
  if (is_apple()) {
    std::string name = crun::test::unique_name("ro-res");
    Defer cleanup([&] { remove_container(name); });
    auto r = crun({"run", "--name", name, "--cpus", "2", "-m", "256m", bench.image_small, "true"});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    json config = raw_inspect(name).at("configuration");
    EXPECT_EQ(config.at("resources").at("memoryInBytes"), 268435456);
    EXPECT_EQ(config.at("resources").at("cpus"), 2);
    expect_apple_refuses({"--cpus", "1.5"}, "--cpus 1.5");
    return;
  }
  const std::string script = "cat /sys/fs/cgroup/memory.max 2>/dev/null || "
                             "cat /sys/fs/cgroup/memory/memory.limit_in_bytes; "
                             "cat /sys/fs/cgroup/cpu.max 2>/dev/null || "
                             "cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us";
  auto r =
    crun({"run", "--rm", "--cpus", "1.5", "-m", "64m", bench.image_small, "sh", "-c", script});
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_THAT(r.out, ::testing::StartsWith("67108864\n150000"));
}

// --hostname, --add-host, --group-add, --security-opt no-new-privileges,
// --shm-size; Apple has only --shm-size of them.
TEST_P(RunOptions, IdentityAndSecurityReachTheContainer)
{
  pull_small();
  if (is_apple()) {
    expect_apple_refuses({"--hostname", "box"}, "--hostname");
    expect_apple_refuses({"--add-host", "db.example:10.1.2.3"}, "--add-host");
    expect_apple_refuses({"--group-add", "1234"}, "--group-add");
    expect_apple_refuses({"--security-opt", "no-new-privileges"}, "--security-opt");
    auto r = crun({"run", "--rm", "--shm-size", "32m", bench.image_small, "sh", "-c",
                   "df -k /dev/shm | tail -1"});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_THAT(r.out, ::testing::ContainsRegex(" 32768 .*/dev/shm"));
    return;
  }
  const std::string script =
    "hostname; grep db.example /etc/hosts; id -G; grep NoNewPrivs /proc/self/status; "
    "df -k /dev/shm | tail -1";
  auto r = crun({"run", "--rm", "--hostname", "box", "--add-host", "db.example:10.1.2.3",
                 "--group-add", "1234", "--security-opt", "no-new-privileges", "--shm-size", "32m",
                 bench.image_small, "sh", "-c", script});
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_THAT(r.out, ::testing::StartsWith("box\n10.1.2.3\tdb.example\n0 1234\nNoNewPrivs:\t1\n"));
  EXPECT_THAT(r.out, ::testing::ContainsRegex(" 32768 .*/dev/shm"));
}

// The capability bounding set of this process (CapBnd): what a privileged
// container of a rootful engine on this machine gets at most.
std::string own_capability_bound()
{
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.starts_with("CapBnd:\t")) {
      return line.substr(8);
    }
  }
  return {};
}

// --privileged reaches the engine and gives every capability the machine
// has, unless the policy says "privileged": false (125, naming the rule
// and the file that set it).
TEST_P(RunOptions, PrivilegedUnlessThePolicySaysNo)
{
  pull_small();
  crun::test::PolicyWorld world;
  std::string policy = world.write_override("no-privileged.json", R"({"privileged": false})");
  ProcessOptions options;
  options.env_unset = crun::test::k_policy_variables;
  auto refused = crun(
    {"--policy", policy, "run", "--rm", "--privileged", bench.image_small, "echo", "ran"}, options);
  EXPECT_TRUE(crun::test::refused_by(refused, 125, "privileged", policy));
  EXPECT_EQ(refused.out, "");
  auto allowed = crun({"--policy", policy, "run", "--rm", bench.image_small, "true"}, options);
  EXPECT_EQ(allowed.exit_code, 0) << allowed.describe();
  if (is_apple()) {
    expect_apple_refuses({"--privileged"}, "--privileged");
    return;
  }
  std::string name = crun::test::unique_name("ro-priv");
  Defer cleanup([&] { remove_container(name); });
  auto r = crun({"run", "--name", name, "--privileged", bench.image_small, "grep", "CapEff",
                 "/proc/self/status"});
  EXPECT_EQ(raw_inspect(name).at("HostConfig").at("Privileged"), true);
  if (r.exit_code != 0) {
    // dockerd asks for every capability it knows, and this machine lacks
    // one (CAP_SYS_RESOURCE): runc cannot apply them. The engine's refusal
    // is passed on as such.
    EXPECT_EQ(r.exit_code, 125) << r.describe();
    EXPECT_THAT(r.err, HasSubstr("unable to apply caps")) << r.describe();
    return;
  }
  EXPECT_EQ(r.out, "CapEff:\t" + own_capability_bound() + "\n");
}

// --stop-signal, --stop-timeout, -P with --expose, --log-driver none,
// --restart no and --cidfile, read from the engine's own inspect.
TEST_P(RunOptions, LifecycleOptionsReachTheEngine)
{
  pull_small();
  crun::test::TempDir dir;
  std::string cidfile = dir.path() + "/cid";
  if (is_apple()) {
    for (const auto& [option, value] :
         std::vector<std::pair<std::string, std::string>>{{"--stop-signal", "SIGUSR1"},
                                                          {"--stop-timeout", "3"},
                                                          {"--expose", "7000"},
                                                          {"--log-driver", "none"}}) {
      expect_apple_refuses({option, value},
                           option == "--log-driver" ? "--log-driver none" : option);
    }
    expect_apple_refuses({"-P"}, "-P/--publish-all");
  }
  std::string name = crun::test::unique_name("ro-life");
  Defer cleanup([&] { remove_container(name); });
  std::vector<std::string> args = {"run", "--name", name, "--restart", "no", "--cidfile", cidfile};
  if (!is_apple()) {
    args.insert(args.end(), {"--stop-signal", "SIGUSR1", "--stop-timeout", "3", "-P", "--expose",
                             "7000", "--log-driver", "none"});
  }
  args.insert(args.end(), {bench.image_small, "echo", "visible"});
  auto r = crun(args);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_EQ(r.out, "visible\n"); // attached output does not need a log
  json raw = raw_inspect(name);
  std::string id = is_apple() ? raw.at("id").get<std::string>() : raw.at("Id").get<std::string>();
  EXPECT_EQ(slurp(cidfile), id);

  // An existing file is never overwritten: nothing runs.
  auto again = crun({"run", "--rm", "--cidfile", cidfile, bench.image_small, "echo", "ran"});
  EXPECT_EQ(again.exit_code, 125) << again.describe();
  EXPECT_THAT(again.err, HasSubstr("--cidfile " + cidfile + ": the container ID file exists"));
  EXPECT_EQ(again.out, "");
  EXPECT_EQ(slurp(cidfile), id);
  if (is_apple()) {
    return;
  }
  const json& config = raw.at("Config");
  const json& host = raw.at("HostConfig");
  EXPECT_EQ(host.at("LogConfig").at("Type"), "none");
  EXPECT_EQ(host.at("RestartPolicy").at("Name"), "");
  EXPECT_EQ(config.at("StopTimeout"), 3);
  if (backend() == "docker") {
    EXPECT_EQ(config.at("StopSignal"), "SIGUSR1");
    EXPECT_EQ(config.at("ExposedPorts"), json::parse(R"({"7000/tcp": {}})"));
    EXPECT_EQ(host.at("PublishAllPorts"), true);
  } else {
    // Podman 4 reports the signal's number and, for -P, the exposed port
    // with the host port it was published on.
    EXPECT_TRUE(config.at("StopSignal") == 10 || config.at("StopSignal") == "SIGUSR1")
      << config.at("StopSignal");
    const json& ports = raw.at("NetworkSettings").at("Ports");
    ASSERT_TRUE(ports.contains("7000/tcp")) << ports;
    EXPECT_NE(ports.at("7000/tcp").at(0).at("HostPort"), "");
  }
}

// --restart other than no, and --log-driver other than none, are refused
// everywhere, naming the value; so is bad --mount input.
TEST_P(RunOptions, RefusedValuesNameTheValue)
{
  auto restart = crun({"run", "--rm", "--restart", "always", bench.image_small, "true"});
  EXPECT_EQ(restart.exit_code, 125);
  EXPECT_THAT(restart.err, HasSubstr("--restart always: crun-any accepts only --restart no"));
  auto log = crun({"run", "--rm", "--log-driver", "json-file", bench.image_small, "true"});
  EXPECT_EQ(log.exit_code, 125);
  EXPECT_THAT(log.err, HasSubstr("--log-driver json-file: crun-any accepts only"));
  auto mount = crun({"run", "--rm", "--mount", "type=nfs,target=/x", bench.image_small, "true"});
  EXPECT_EQ(mount.exit_code, 125);
  EXPECT_THAT(mount.err,
              HasSubstr("invalid --mount \"type=nfs,target=/x\": type \"nfs\" is not bind"));
  if (backend() == "docker") {
    auto userns = crun({"run", "--rm", "--userns", "keep-id", bench.image_small, "true"});
    EXPECT_EQ(userns.exit_code, 125);
    EXPECT_THAT(userns.err, HasSubstr("--userns keep-id: the docker backend cannot do this"));
  }
  if (is_apple()) {
    expect_apple_refuses({"--userns", "keep-id"}, "--userns");
    expect_apple_refuses({"--device", "/dev/fuse"}, "--device");
  }
}

// -a stdout: only stdout is attached; -e NAME takes crun-any's value and
// is left out when unset there.
TEST_P(RunOptions, AttachOnlyStdoutAndEnvFromHere)
{
  pull_small();
  if (is_apple()) {
    expect_apple_refuses({"-a", "stdout"}, "-a/--attach");
  } else {
    auto r = crun({"run", "--rm", "-a", "stdout", bench.image_small, "sh", "-c",
                   "echo out; echo hidden-err >&2; echo out2"});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_EQ(r.out, "out\nout2\n");
    EXPECT_THAT(r.err, Not(HasSubstr("hidden-err")));
  }
  ProcessOptions options;
  options.env_set = {"CRUN_RUNOPT_SET=from here"};
  options.env_unset = {"CRUN_RUNOPT_UNSET"};
  auto env = crun(
    {"run", "--rm", "-e", "CRUN_RUNOPT_SET", "-e", "CRUN_RUNOPT_UNSET", bench.image_small, "env"},
    options);
  ASSERT_EQ(env.exit_code, 0) << env.describe();
  EXPECT_THAT(env.out, HasSubstr("CRUN_RUNOPT_SET=from here\n"));
  EXPECT_THAT(env.out, Not(HasSubstr("CRUN_RUNOPT_UNSET")));
}

// --sig-proxy=false: a SIGINT ends crun-any (130) without reaching the
// container, which runs on.
TEST_P(RunOptions, SigProxyFalseLeavesTheContainerAlone)
{
  pull_small();
  if (is_apple()) {
    expect_apple_refuses({"--sig-proxy=false"}, "--sig-proxy=false");
    return;
  }
  std::string name = crun::test::unique_name("ro-sig");
  Defer cleanup([&] { remove_container(name); });
  ChildProcess child;
  child.start(crun_argv({"run", "--sig-proxy=false", "--name", name, bench.image_small, "sh", "-c",
                         "trap 'echo trapped; exit 9' INT TERM; echo started; sleep 30 & wait"}));
  ASSERT_TRUE(child.wait_for_output("started", std::chrono::seconds(60))) << child.err();
  child.send(SIGINT);
  auto r = child.wait();
  EXPECT_EQ(r.exit_code, 128 + SIGINT) << r.describe();
  EXPECT_THAT(r.out, Not(HasSubstr("trapped")));
  EXPECT_THAT(r.err, Not(HasSubstr("stopping container")));
  auto state = engine_container(name);
  ASSERT_TRUE(state);
  EXPECT_EQ(state->status, "running");
}

// --device, --security-opt seccomp=unconfined and seccomp=FILE (Docker gets
// the file's content, Podman its path), --userns: Apple refuses them all.
TEST_P(RunOptions, DevicesSeccompAndUsernsReachTheEngine)
{
  pull_small();
  if (is_apple()) {
    expect_apple_refuses({"--device", "/dev/null:/dev/xnull"}, "--device");
    expect_apple_refuses({"--security-opt", "seccomp=unconfined"}, "--security-opt");
    expect_apple_refuses({"--userns", "host"}, "--userns");
    return;
  }
  auto r = crun({"run", "--rm", "--device", "/dev/null:/dev/xnull:rw", "--security-opt",
                 "seccomp=unconfined", "--userns", "host", bench.image_small, "sh", "-c",
                 "ls -l /dev/xnull | cut -c1; grep Seccomp: /proc/self/status"});
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_EQ(r.out, "c\nSeccomp:\t0\n");

  crun::test::TempDir dir;
  std::string profile = dir.path() + "/allow.json";
  crun::test::write_file(profile, R"({"defaultAction": "SCMP_ACT_ALLOW"})");
  auto filtered = crun({"run", "--rm", "--security-opt", "seccomp=" + profile, bench.image_small,
                        "grep", "Seccomp:", "/proc/self/status"});
  ASSERT_EQ(filtered.exit_code, 0) << filtered.describe();
  EXPECT_EQ(filtered.out, "Seccomp:\t2\n"); // a filter: the profile's
  auto missing = crun({"run", "--rm", "--security-opt", "seccomp=" + dir.path() + "/none.json",
                       bench.image_small, "true"});
  EXPECT_EQ(missing.exit_code, 125);
  EXPECT_THAT(missing.err, HasSubstr("seccomp=" + dir.path() + "/none.json: no such file"));

  if (backend() == "podman") {
    // keep-id reaches Podman, whose rootful service on the bench refuses it
    // in its own words (rootless Podman maps the user's ID through).
    auto keep = crun({"run", "--rm", "--userns", "keep-id", bench.image_small, "id", "-u"});
    EXPECT_EQ(keep.exit_code, 125) << keep.describe();
    EXPECT_THAT(keep.err, HasSubstr("keep-id is only supported in rootless mode"));
  }
}

// --mount type=volume keeps data between runs, and --mount type=bind takes
// a host path with ':' (docker, podman: the stand-in does not model Apple's
// volumes, and passes a bind to Podman as -v, which cannot hold a ':').
TEST_P(RunOptions, VolumeMountKeepsDataBetweenRuns)
{
  if (is_apple()) {
    GTEST_SKIP() << "apple: the stand-in does not model named volumes (tests/apple/README.md); "
                    "the argv is unit-tested (AppleArgs.RunOptionsAppleHasAreMapped)";
  }
  pull_small();
  std::string volume = crun::test::unique_name("ro-vol");
  Defer cleanup([&] { engine_cli({"volume", "rm", "-f", volume}); });
  auto write = crun({"run", "--rm", "--mount", "type=volume,source=" + volume + ",target=/data",
                     bench.image_small, "sh", "-c", "echo kept > /data/f"});
  ASSERT_EQ(write.exit_code, 0) << write.describe();
  auto read = crun({"run", "--rm", "--mount",
                    "type=volume,source=" + volume + ",target=/data,readonly", bench.image_small,
                    "sh", "-c", "cat /data/f; touch /data/g 2>/dev/null || echo read-only"});
  ASSERT_EQ(read.exit_code, 0) << read.describe();
  EXPECT_EQ(read.out, "kept\nread-only\n");

  // A host path with ':' in it, which -v cannot express, binds with --mount.
  crun::test::TempDir dir;
  std::string odd = dir.path() + "/a:b";
  crun::test::write_file(odd + "/f", "colon\n");
  auto refused = crun({"run", "--rm", "-v", odd + ":/odd", bench.image_small, "true"});
  EXPECT_EQ(refused.exit_code, 125);
  EXPECT_THAT(refused.err, HasSubstr("use --mount type=bind,source=" + odd + ","));
  auto bound = crun({"run", "--rm", "--mount", "type=bind,source=" + odd + ",target=/odd",
                     bench.image_small, "cat", "/odd/f"});
  ASSERT_EQ(bound.exit_code, 0) << bound.describe();
  EXPECT_EQ(bound.out, "colon\n");
}

INSTANTIATE_TEST_SUITE_P(Engines, RunOptions, crun::test::bench_engines_and_apple(),
                         crun::test::backend_name);

} // namespace
