// The argument vectors and environment of Apple's `container` children.
// The walk over RunSpec proves that every field either reaches the argv or
// is refused by name: no option is ever dropped silently.
#include <crun/backends/apple/apple_args.hpp>

#include "support/error_of.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>

namespace crun::backends::apple {
namespace {

using crun::test::error_of;

const AppleVersion k_v122{1, 2, 2};

RunSpec basic_spec()
{
  RunSpec spec;
  spec.image = core::ImageRef::parse("127.0.0.1:5857/bench/small:1");
  spec.image_name = "127.0.0.1:5857/bench/small:1";
  spec.platform = core::Platform{"linux", "amd64", ""};
  return spec;
}

bool contains_seq(const Args& args, const Args& seq)
{
  return std::search(args.begin(), args.end(), seq.begin(), seq.end()) != args.end();
}

std::size_t index_of(const Args& args, const std::string& word)
{
  return static_cast<std::size_t>(std::find(args.begin(), args.end(), word) - args.begin());
}

TEST(AppleArgs, PullAlwaysNamesPlatformProgressAndScheme)
{
  auto local =
    core::ImageRef::parse("127.0.0.1:5857/bench/multi@sha256:"
                          "d5e9c682dd1ca59f067fece6b0053cb154f6251ac5d32960ca255f72afc369f9");
  EXPECT_EQ(pull_args(k_v122, local, core::Platform{"linux", "arm64", ""}),
            (Args{"image", "pull", "--progress", "none", "--platform", "linux/arm64", "--scheme",
                  "http", local.str()}));
  auto remote = core::ImageRef::parse("ghcr.io/o/x:1");
  Args args = pull_args(k_v122, remote, core::Platform{"linux", "amd64", ""});
  EXPECT_TRUE(contains_seq(args, {"--scheme", "https"}));
  EXPECT_EQ(std::count(args.begin(), args.end(), "auto"), 0);
  // 0.5/0.6 spelled progress off differently.
  EXPECT_TRUE(contains_seq(pull_args({0, 6, 0}, remote, core::Platform{"linux", "amd64", ""}),
                           {"image", "pull", "--disable-progress-updates", "--platform"}));
}

TEST(AppleArgs, StatusFormatByVersion)
{
  EXPECT_EQ(status_args(k_v122), (Args{"system", "status", "--format", "json"}));
  EXPECT_EQ(status_args({0, 9, 0}), (Args{"system", "status"}));
}

TEST(AppleArgs, SmallCommands)
{
  EXPECT_EQ(image_inspect_args("x:1"), (Args{"image", "inspect", "x:1"}));
  EXPECT_EQ(image_tag_args("a@sha256:1", core::ImageRef::parse("a:1")),
            (Args{"image", "tag", "a@sha256:1", "docker.io/library/a:1"}));
  EXPECT_EQ(inspect_args("c1"), (Args{"inspect", "c1"}));
  EXPECT_EQ(kill_args("c1"), (Args{"kill", "c1"}));
  EXPECT_EQ(kill_args("c1", "SIGHUP"), (Args{"kill", "--signal", "SIGHUP", "c1"}));
  EXPECT_EQ(delete_force_args("c1"), (Args{"delete", "--force", "c1"}));
}

TEST(AppleArgs, MinimalRun)
{
  RunSpec spec = basic_spec();
  spec.command = {"sh", "-c", "exit 3"};
  EXPECT_EQ(run_args(k_v122, spec, "/tmp/d/cid"),
            (Args{"run", "--progress", "none", "--platform", "linux/amd64", "--cidfile",
                  "/tmp/d/cid", "--", "127.0.0.1:5857/bench/small:1", "sh", "-c", "exit 3"}));
}

// Every RunSpec field set; each must show in the argv (or be the engine's
// to honour, as `pull` and `image`, which image_name carries).
TEST(AppleArgs, EveryRunSpecFieldReachesTheArgv)
{
  RunSpec spec = basic_spec();
  spec.image_name = "127.0.0.1:5857/bench/small@sha256:00";
  spec.platform_explicit = true;
  spec.command = {"--weird", "arg"};
  spec.entrypoint = "/bin/echo";
  spec.env = {"A=1", "B=two words"};
  spec.mounts = {MountSpec{"/host/dir", "/srv", {"ro"}}, MountSpec{"vol", "/data", {}}};
  spec.ports = {PortSpec{"", "8080", "80", "tcp"}, PortSpec{"127.0.0.1", "53", "53", "udp"},
                PortSpec{"::1", "9000-9001", "9000-9001", "tcp"}};
  spec.labels = {{"a", "b"}, {"empty", ""}};
  spec.name = "web.1";
  spec.workdir = "/work";
  spec.user = "1000:1000";
  spec.network = "none";
  spec.interactive = true;
  spec.tty = true;
  spec.detach = true;
  spec.remove = true;
  spec.pull = PullPolicy::never;
  // One name per field: a field added to RunSpec stops this from compiling
  // until it is mapped or refused here.
  auto& [image, image_name, platform, platform_explicit, command, entrypoint, env, mounts, ports,
         labels, name, workdir, user, network, interactive, tty, detach, remove, pull, init,
         read_only, tmpfs, mount_options, nano_cpus, memory, hostname, add_hosts, cap_add, cap_drop,
         security, privileged, devices, group_add, userns, ulimits, shm_size, stop_signal,
         stop_timeout, cidfile, publish_all, expose, attach, sig_proxy, log_none] = spec;
  // The options of run_options.hpp: mapped or refused, each proven by
  // RunOptionsAppleHasAreMapped / RunOptionsAppleLacksAreRefusedNamingThem;
  // a --cidfile of the user's is the one AppleEngine::run passes.
  (void)init, (void)read_only, (void)tmpfs, (void)mount_options, (void)nano_cpus, (void)memory;
  (void)hostname, (void)add_hosts, (void)cap_add, (void)cap_drop, (void)security, (void)privileged;
  (void)devices, (void)group_add, (void)userns, (void)ulimits, (void)shm_size, (void)stop_signal;
  (void)stop_timeout, (void)cidfile, (void)publish_all, (void)expose, (void)attach, (void)sig_proxy;
  (void)log_none;
  (void)image;             // carried by image_name
  (void)platform_explicit; // --platform is always given
  (void)pull;              // the engine's to honour: Apple has no --pull
  Args args = run_args(k_v122, spec, "/tmp/d/cid");

  EXPECT_TRUE(contains_seq(args, {"--platform", platform.str()}));
  EXPECT_TRUE(contains_seq(args, {"--progress", "none"}));
  EXPECT_EQ(remove, contains_seq(args, {"--rm"}));
  EXPECT_EQ(interactive, contains_seq(args, {"-i"}));
  EXPECT_EQ(tty, contains_seq(args, {"-t"}));
  EXPECT_EQ(detach, contains_seq(args, {"-d"}));
  EXPECT_TRUE(contains_seq(args, {"--cidfile", "/tmp/d/cid"}));
  EXPECT_TRUE(contains_seq(args, {"-e", env[0]}));
  EXPECT_TRUE(contains_seq(args, {"-e", "B=two words"}));
  EXPECT_EQ(mounts.size(), 2U);
  EXPECT_TRUE(contains_seq(args, {"-v", "/host/dir:/srv:ro"}));
  EXPECT_TRUE(contains_seq(args, {"-v", "vol:/data"}));
  EXPECT_EQ(ports.size(), 3U);
  EXPECT_TRUE(contains_seq(args, {"-p", "8080:80"}));
  EXPECT_TRUE(contains_seq(args, {"-p", "127.0.0.1:53:53/udp"}));
  EXPECT_TRUE(contains_seq(args, {"-p", "[::1]:9000-9001:9000-9001"}));
  EXPECT_EQ(labels.size(), 2U);
  EXPECT_TRUE(contains_seq(args, {"-l", "a=b"}));
  EXPECT_TRUE(contains_seq(args, {"-l", "empty="}));
  EXPECT_TRUE(contains_seq(args, {"--name", name}));
  EXPECT_TRUE(contains_seq(args, {"-w", workdir}));
  EXPECT_TRUE(contains_seq(args, {"-u", user}));
  EXPECT_TRUE(contains_seq(args, {"--entrypoint", *entrypoint}));
  EXPECT_TRUE(contains_seq(args, {"--network", network}));
  // image_name, then the command untouched, after the one `--`.
  EXPECT_EQ(Args(args.end() - 4, args.end()), (Args{"--", image_name, command[0], command[1]}));
  EXPECT_EQ(std::count(args.begin(), args.end(), "--"), 1);
  EXPECT_LT(index_of(args, "--name"), index_of(args, "--"));
}

TEST(AppleArgs, EmptyEntrypointWithACommandRunsTheCommand)
{
  RunSpec spec = basic_spec();
  spec.entrypoint = "";
  spec.command = {"echo", "hi"};
  Args args = run_args(k_v122, spec, "");
  EXPECT_TRUE(contains_seq(args, {"--entrypoint", "echo", "--", spec.image_name, "hi"}));
  EXPECT_EQ(index_of(args, "--cidfile"), args.size());
}

struct Refusal {
  std::string what;
  std::function<void(RunSpec&)> set;
  std::string named;
};

TEST(AppleArgs, WhatAppleCannotDoIsRefusedByName)
{
  std::vector<Refusal> refusals = {
    {"container port only", [](RunSpec& s) { s.ports = {PortSpec{"", "", "80", "tcp"}}; }, "-p 80"},
    {"anonymous volume", [](RunSpec& s) { s.mounts = {MountSpec{"", "/data", {}}}; }, "-v /data"},
    {"selinux label", [](RunSpec& s) { s.mounts = {MountSpec{"/h", "/c", {"z"}}}; }, "'z'"},
    {"bad name", [](RunSpec& s) { s.name = "-bad"; }, "--name -bad"},
    {"one letter name", [](RunSpec& s) { s.name = "a"; }, "--name a"},
    {"long name", [](RunSpec& s) { s.name = std::string(64, 'a'); }, "--name aaaa"},
    {"entrypoint reset", [](RunSpec& s) { s.entrypoint = ""; }, "--entrypoint \"\""},
    {"host network", [](RunSpec& s) { s.network = "host"; }, "--network host"},
    {"container network", [](RunSpec& s) { s.network = "container:x"; }, "--network container:x"},
  };
  for (const auto& refusal : refusals) {
    RunSpec spec = basic_spec();
    refusal.set(spec);
    Error error = error_of([&] { run_args(k_v122, spec, ""); });
    EXPECT_EQ(error.code(), Errc::usage) << refusal.what;
    EXPECT_NE(error.message().find(refusal.named), std::string::npos)
      << refusal.what << ": " << error.message();
    EXPECT_NE(error.message().find("apple backend"), std::string::npos) << refusal.what;
  }
  RunSpec ok = basic_spec();
  ok.name = std::string(63, 'a');
  EXPECT_NO_THROW(run_args(k_v122, ok, ""));
}

TEST(AppleArgs, ChildEnvDropsContainerVariablesAndCarriesCredentials)
{
  Env env{{"PATH", "/usr/bin"},
          {"HOME", "/Users/me"},
          {"CONTAINER_DEFAULT_PLATFORM", "linux/amd64"},
          {"CONTAINER_DEBUG", "1"},
          {"CONTAINER_APP_ROOT", "/x"},
          {"CONTAINER_INSTALL_ROOT", "/y"},
          {"CONTAINER_REGISTRY_TOKEN", "stale"}};
  Env plain = child_env(env);
  EXPECT_EQ(plain.vars().size(), 2U);
  EXPECT_EQ(plain.get("PATH"), "/usr/bin");

  registry::Credentials creds{"me", "s3cret", "", "/home/me/.docker/config.json"};
  Env with = child_env(env, creds, "127.0.0.1:5857");
  EXPECT_EQ(with.get("CONTAINER_REGISTRY_HOST"), "127.0.0.1:5857");
  EXPECT_EQ(with.get("CONTAINER_REGISTRY_USER"), "me");
  EXPECT_EQ(with.get("CONTAINER_REGISTRY_TOKEN"), "s3cret");
  EXPECT_FALSE(with.get("CONTAINER_DEFAULT_PLATFORM"));

  registry::Credentials token{"me", "", "refresh", "helper"};
  EXPECT_EQ(child_env(env, token, "h").get("CONTAINER_REGISTRY_TOKEN"), "refresh");
  EXPECT_FALSE(child_env(env, registry::Credentials{}, "h").get("CONTAINER_REGISTRY_HOST"));
}

TEST(AppleArgs, TheEnvironmentGoesInAFileNotInTheProcessTable)
{
  RunSpec spec = basic_spec();
  spec.env = {"TOKEN=s3cret", "SPACED= a b ", "EQ=x=y"};
  auto text = env_file_text(spec.env);
  ASSERT_TRUE(text);
  EXPECT_EQ(*text, "TOKEN=s3cret\nSPACED= a b \nEQ=x=y\n");
  Args args = run_args(k_v122, spec, "", "/tmp/d/env");
  EXPECT_TRUE(contains_seq(args, {"--env-file", "/tmp/d/env"}));
  for (const auto& arg : args) {
    EXPECT_EQ(arg.find("s3cret"), std::string::npos) << arg;
  }
  EXPECT_EQ(std::count(args.begin(), args.end(), "-e"), 0);
}

TEST(AppleArgs, AnEnvironmentNoFileCanCarryStaysInWords)
{
  RunSpec spec = basic_spec();
  spec.env = {"A=1", "MULTI=line1\nline2"};
  EXPECT_FALSE(env_file_text(spec.env));
  Args args = run_args(k_v122, spec, "", "/tmp/d/env");
  EXPECT_TRUE(contains_seq(args, {"-e", "A=1", "-e", "MULTI=line1\nline2"}));
  EXPECT_EQ(std::count(args.begin(), args.end(), "--env-file"), 0);
}

TEST(AppleArgs, ValidNames)
{
  EXPECT_TRUE(is_valid_container_name("web"));
  EXPECT_TRUE(is_valid_container_name("a_b.c-d"));
  EXPECT_FALSE(is_valid_container_name("w"));
  EXPECT_FALSE(is_valid_container_name("_web"));
  EXPECT_FALSE(is_valid_container_name("we b"));
}

} // namespace
} // namespace crun::backends::apple

namespace crun::backends::apple {
namespace {

TEST(AppleArgs, RunOptionsAppleHasAreMapped)
{
  RunSpec spec = basic_spec();
  spec.init = true;
  spec.read_only = true;
  spec.tmpfs = {parse_tmpfs("/scratch")};
  spec.mount_options = {parse_mount_option("type=bind,src=/h,dst=/c,ro"),
                        parse_mount_option("type=tmpfs,dst=/t"),
                        parse_mount_option("type=volume,src=data,dst=/data")};
  spec.nano_cpus = parse_cpus("2");
  spec.memory = parse_memory_size("-m", "512m");
  spec.cap_add = {"NET_ADMIN"};
  spec.cap_drop = {"MKNOD"};
  spec.ulimits = {parse_ulimit("nofile=512:1024"), parse_ulimit("core=-1")};
  spec.shm_size = parse_memory_size("--shm-size", "64m");
  Args args = run_args(k_v122, spec, "");
  EXPECT_EQ(
    Args(args.begin() + 5, args.begin() + static_cast<std::ptrdiff_t>(index_of(args, "--"))),
    (Args{"--init",     "--read-only",
          "--tmpfs",    "/scratch",
          "--mount",    "type=bind,source=/h,target=/c,readonly",
          "--mount",    "type=tmpfs,target=/t",
          "--mount",    "type=volume,source=data,target=/data",
          "--cpus",     "2",
          "--memory",   "512M",
          "--cap-add",  "NET_ADMIN",
          "--cap-drop", "MKNOD",
          "--ulimit",   "nofile=512:1024",
          "--ulimit",   "core=unlimited:unlimited",
          "--shm-size", "64M"}));
  spec.memory = 1000 * 1000 * 1000;
  EXPECT_TRUE(contains_seq(run_args(k_v122, spec, ""), {"--memory", "1000000000"}));
}

TEST(AppleArgs, RunOptionsAppleLacksAreRefusedNamingThem)
{
  const struct {
    const char* option;
    std::function<void(RunSpec&)> set;
  } rows[] = {
    {"--hostname", [](RunSpec& s) { s.hostname = "box"; }},
    {"--add-host", [](RunSpec& s) { s.add_hosts = {parse_add_host("db:10.0.0.2")}; }},
    {"--security-opt", [](RunSpec& s) { add_security_opt(s.security, "no-new-privileges"); }},
    {"--privileged", [](RunSpec& s) { s.privileged = true; }},
    {"--device", [](RunSpec& s) { s.devices = {parse_device("/dev/fuse")}; }},
    {"--group-add", [](RunSpec& s) { s.group_add = {"audio"}; }},
    {"--userns", [](RunSpec& s) { s.userns = "keep-id"; }},
    {"--stop-signal", [](RunSpec& s) { s.stop_signal = "SIGUSR1"; }},
    {"--stop-timeout", [](RunSpec& s) { s.stop_timeout = 3; }},
    {"-P/--publish-all", [](RunSpec& s) { s.publish_all = true; }},
    {"--expose", [](RunSpec& s) { s.expose = parse_expose("80"); }},
    {"-a/--attach", [](RunSpec& s) { s.attach = AttachStreams{false, true, false}; }},
    {"--sig-proxy=false", [](RunSpec& s) { s.sig_proxy = false; }},
    {"--log-driver none", [](RunSpec& s) { s.log_none = true; }},
    {"--cpus 1.5", [](RunSpec& s) { s.nano_cpus = parse_cpus("1.5"); }},
    {"--tmpfs /t:size=1m", [](RunSpec& s) { s.tmpfs = {parse_tmpfs("/t:size=1m")}; }},
    {"--mount /t",
     [](RunSpec& s) { s.mount_options = {parse_mount_option("type=tmpfs,dst=/t,tmpfs-size=1m")}; }},
    {"--mount /v",
     [](RunSpec& s) { s.mount_options = {parse_mount_option("type=volume,dst=/v")}; }},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.option);
    RunSpec spec = basic_spec();
    row.set(spec);
    auto error = error_of([&] { run_args(k_v122, spec, ""); });
    EXPECT_EQ(error.code(), Errc::usage);
    EXPECT_EQ(error.message().substr(0, std::string_view(row.option).size() + 36),
              std::string(row.option) + ": the apple backend cannot do this: ");
  }
  RunSpec shm = basic_spec();
  shm.shm_size = 64 * 1024 * 1024;
  EXPECT_EQ(error_of([&] { run_args(AppleVersion{0, 12, 3}, shm, ""); }).message(),
            "--shm-size: the apple backend cannot do this: Apple's container has --shm-size from "
            "1.0; upgrade it");
}

} // namespace
} // namespace crun::backends::apple
