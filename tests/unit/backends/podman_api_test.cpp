// The libpod request builders: method, versioned path, query and body
// exactly, as the real Podman 4.3.1 service accepted them (fixtures/podman).
#include <crun/backends/podman/podman_api.hpp>

#include "support/error_of.hpp"

#include <crun/backends/http_api.hpp>
#include <crun/core/error.hpp>

#include <gtest/gtest.h>

#include <algorithm>

namespace crun::backends::podman {
namespace {

RunSpec spec_for(const std::string& image, const std::string& platform = "linux/arm64")
{
  RunSpec spec;
  spec.image = core::ImageRef::parse(image);
  spec.image_name = spec.image.str();
  spec.platform = core::Platform::parse(platform);
  return spec;
}

const std::string k_root = api_root("4.3.1");
const std::string k_digest =
  "sha256:3156a53d98c08fae0e8563145b03a72126452b841b0d0ab702db47f9de713960";

TEST(PodmanApi, UsesTheServersOwnLibpodVersionFrom4On)
{
  EXPECT_EQ(check_libpod_version("4.3.1"), "4.3.1");
  EXPECT_EQ(check_libpod_version("4.0.0"), "4.0.0");
  EXPECT_EQ(check_libpod_version("5.8.0-dev"), "5.8.0-dev");
  {
    const Error error = test::error_of([&] { check_libpod_version("3.4.4"); });
    EXPECT_EQ(error.code(), Errc::engine_error);
    EXPECT_EQ(error.message(), "the engine speaks libpod API 3.4.4, older than the 4.0.0 crun-any "
                               "needs: upgrade Podman (4.0 or later)");
  }
  for (const char* bad : {"", "four", "4", "1.41 ", "4.3.1;x"}) {
    SCOPED_TRACE(bad);
    {
      const Error error = test::error_of([&] { check_libpod_version(bad); });
      EXPECT_EQ(error.code(), Errc::protocol);
    }
  }
}

TEST(PodmanApi, EveryPathIsUnderTheVersionedLibpodPrefix)
{
  EXPECT_EQ(make_version_request(k_root).method, "GET");
  EXPECT_EQ(make_version_request(k_root).target, "/v4.3.1/libpod/version");
  EXPECT_EQ(make_info_request(k_root).target, "/v4.3.1/libpod/info");
  EXPECT_EQ(make_image_inspect_request(k_root, "127.0.0.1:5857/bench/multi@" + k_digest).target,
            "/v4.3.1/libpod/images/127.0.0.1:5857/bench/multi@" + k_digest + "/json");
  EXPECT_EQ(make_container_inspect_request(k_root, "fx42").target,
            "/v4.3.1/libpod/containers/fx42/json");
  auto tag = make_tag_request(k_root, "127.0.0.1:5857/bench/multi@" + k_digest,
                              core::ImageRef::parse("127.0.0.1:5857/bench/multi:1"));
  EXPECT_EQ(tag.method, "POST");
  EXPECT_EQ(tag.target, "/v4.3.1/libpod/images/127.0.0.1:5857/bench/multi@" + k_digest +
                          "/tag?repo=127.0.0.1%3A5857%2Fbench%2Fmulti&tag=1");
}

TEST(PodmanApi, PullIsByReferenceWithPlatformAndTlsOffOnlyForLoopback)
{
  auto local =
    make_pull_request(k_root, core::ImageRef::parse("127.0.0.1:5857/bench/multi@" + k_digest),
                      core::Platform::parse("linux/arm64"));
  EXPECT_EQ(local.method, "POST");
  EXPECT_EQ(local.target,
            "/v4.3.1/libpod/images/pull?reference=127.0.0.1%3A5857%2Fbench%2Fmulti%40"
            "sha256%3A3156a53d98c08fae0e8563145b03a72126452b841b0d0ab702db47f9de713960"
            "&policy=always&arch=arm64&os=linux&variant=&tlsVerify=false&quiet=false");
  auto remote = make_pull_request(k_root, core::ImageRef::parse("ghcr.io/org/app@" + k_digest),
                                  core::Platform::parse("linux/arm/v7"));
  EXPECT_EQ(remote.target,
            "/v4.3.1/libpod/images/pull?reference=ghcr.io%2Forg%2Fapp%40"
            "sha256%3A3156a53d98c08fae0e8563145b03a72126452b841b0d0ab702db47f9de713960"
            "&policy=always&arch=arm&os=linux&variant=v7&quiet=false");
  auto hub = make_pull_request(k_root, core::ImageRef::parse("localhost:5000/x:1"),
                               core::Platform::parse("linux/amd64"));
  EXPECT_NE(hub.target.find("&tlsVerify=false&"), std::string::npos);
}

TEST(PodmanApi, AttachSendsEmptyDetachKeysSoBinaryStdinCannotDetach)
{
  auto req = make_attach_request(k_root, "abc", true);
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.target, "/v4.3.1/libpod/containers/abc/attach?stream=true&stdin=true&stdout=true"
                        "&stderr=true&detachKeys=");
  EXPECT_NE(std::find(req.headers.begin(), req.headers.end(),
                      std::make_pair(std::string("Upgrade"), std::string("tcp"))),
            req.headers.end());
  EXPECT_EQ(make_attach_request(k_root, "abc", false).target,
            "/v4.3.1/libpod/containers/abc/attach?stream=true&stdin=false&stdout=true"
            "&stderr=true&detachKeys=");
}

TEST(PodmanApi, ContainerCallsAsPodmanRemoteSendsThem)
{
  auto wait = make_wait_request(k_root, "abc");
  EXPECT_EQ(wait.method, "POST");
  EXPECT_EQ(wait.target, "/v4.3.1/libpod/containers/abc/wait");
  EXPECT_EQ(make_start_request(k_root, "abc").target, "/v4.3.1/libpod/containers/abc/start");
  EXPECT_EQ(make_kill_request(k_root, "abc", "SIGINT").target,
            "/v4.3.1/libpod/containers/abc/kill?signal=SIGINT");
  EXPECT_EQ(make_resize_request(k_root, "abc", 24, 80).target,
            "/v4.3.1/libpod/containers/abc/resize?h=24&w=80");
  auto remove = make_remove_request(k_root, "abc");
  EXPECT_EQ(remove.method, "DELETE");
  EXPECT_EQ(remove.target, "/v4.3.1/libpod/containers/abc?force=true&v=true&volumes=true");
}

TEST(PodmanApi, CreateIsASpecGeneratorFromTheCheckedImage)
{
  RunSpec spec = spec_for("127.0.0.1:5857/bench/multi:1");
  spec.name = "job1";
  spec.command = {"sh", "-c", "cat; exit 3"};
  spec.env = {"FOO=bar", "EMPTY=", "EQ=a=b"};
  spec.workdir = "/work";
  spec.user = "1000:1000";
  spec.labels = {{"tool", "x"}};
  spec.interactive = true;
  spec.remove = true;
  spec.mounts = {parse_mount_spec("/home/me/proj:/work:ro,z", "/"),
                 parse_mount_spec("/data:/data", "/"), parse_mount_spec("cache:/cache", "/"),
                 parse_mount_spec("/anon", "/")};
  spec.ports = {parse_port_spec("127.0.0.1:18080:8080"), parse_port_spec("9000-9002/udp"),
                parse_port_spec("7000-7001:8000-8001")};
  spec.network = "none";
  spec.entrypoint = "";

  auto req = make_create_request(k_root, spec, "5bff859aa00b");
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.target, "/v4.3.1/libpod/containers/create");
  EXPECT_EQ(req.content_type, "application/json");
  EXPECT_EQ(nlohmann::json::parse(req.body), nlohmann::json::parse(R"({
    "image": "5bff859aa00b", "raw_image_name": "127.0.0.1:5857/bench/multi:1",
    "image_os": "linux", "image_arch": "arm64",
    "name": "job1", "command": ["sh", "-c", "cat; exit 3"], "entrypoint": [""],
    "env": {"FOO": "bar", "EMPTY": "", "EQ": "a=b"},
    "work_dir": "/work", "user": "1000:1000", "labels": {"tool": "x"},
    "terminal": false, "stdin": true, "remove": true,
    "mounts": [
      {"destination": "/work", "type": "bind", "source": "/home/me/proj", "options": ["rbind", "ro", "z"]},
      {"destination": "/data", "type": "bind", "source": "/data", "options": ["rbind", "rw"]}],
    "volumes": [{"Name": "cache", "Dest": "/cache", "Options": []},
                {"Name": "", "Dest": "/anon", "Options": []}],
    "portmappings": [
      {"host_ip": "127.0.0.1", "host_port": 18080, "container_port": 8080, "protocol": "tcp", "range": 1},
      {"container_port": 9000, "protocol": "udp", "range": 3},
      {"host_port": 7000, "container_port": 8000, "protocol": "tcp", "range": 2}],
    "netns": {"nsmode": "none"}
  })"));
}

TEST(PodmanApi, EveryRmRunAsksTheEngineToRemoveTheContainer)
{
  // Attached too: the container goes even when crun-any is killed.
  RunSpec spec = spec_for("busybox");
  spec.remove = true;
  EXPECT_EQ(make_create_body(spec, "id")["remove"], true);
  spec.detach = true;
  EXPECT_EQ(make_create_body(spec, "id")["remove"], true);
  spec.remove = false;
  EXPECT_FALSE(make_create_body(spec, "id").contains("remove"));
}

TEST(PodmanApi, DiedEventsOfOneContainerAsPodmanRemoteAsksForThem)
{
  auto req = make_died_events_request(k_root, "abc");
  EXPECT_EQ(req.method, "GET");
  auto query = req.target.substr(req.target.find('?') + 1);
  EXPECT_TRUE(req.target.starts_with("/v4.3.1/libpod/events?stream=false&filters=")) << req.target;
  std::string filters = query.substr(query.find("filters=") + 8);
  // The filters are one JSON object, percent-encoded.
  std::string decoded;
  for (std::size_t i = 0; i < filters.size(); ++i) {
    if (filters[i] == '%' && i + 2 < filters.size()) {
      decoded += static_cast<char>(std::stoi(filters.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      decoded += filters[i];
    }
  }
  EXPECT_EQ(
    nlohmann::json::parse(decoded),
    nlohmann::json::parse(R"({"type":["container"],"container":["abc"],"event":["died"]})"));
}

TEST(PodmanApi, CreateWithoutOptionsKeepsTheImageDefaults)
{
  auto body = make_create_body(spec_for("busybox", "linux/arm/v7"), "id");
  EXPECT_FALSE(body.contains("command"));
  EXPECT_FALSE(body.contains("entrypoint"));
  EXPECT_FALSE(body.contains("name"));
  EXPECT_FALSE(body.contains("netns"));
  EXPECT_FALSE(body.contains("mounts"));
  EXPECT_EQ(body["stdin"], false);
  EXPECT_EQ(body["terminal"], false);
  EXPECT_EQ(body["image_arch"], "arm");
  EXPECT_EQ(body["image_variant"], "v7");
  EXPECT_EQ(body["env"], nlohmann::json::object());
}

TEST(PodmanApi, NetworkNamesAndModesMapAsThePodmanCliReadsThem)
{
  auto netns = [](const std::string& network) {
    RunSpec spec = spec_for("busybox");
    spec.network = network;
    return make_create_body(spec, "id");
  };
  EXPECT_EQ(netns("host")["netns"], nlohmann::json::parse(R"({"nsmode": "host"})"));
  EXPECT_EQ(netns("bridge")["netns"], nlohmann::json::parse(R"({"nsmode": "bridge"})"));
  EXPECT_FALSE(netns("bridge").contains("Networks"));
  EXPECT_EQ(netns("container:db")["netns"],
            nlohmann::json::parse(R"({"nsmode": "container", "value": "db"})"));
  EXPECT_EQ(netns("ns:/run/netns/x")["netns"],
            nlohmann::json::parse(R"({"nsmode": "path", "value": "/run/netns/x"})"));
  auto named = netns("backend");
  EXPECT_EQ(named["netns"], nlohmann::json::parse(R"({"nsmode": "bridge"})"));
  EXPECT_EQ(named["Networks"], nlohmann::json::parse(R"({"backend": {}})"));
}

} // namespace
} // namespace crun::backends::podman

namespace crun::backends::podman {
namespace {

TEST(PodmanApi, CreateMapsEveryRunOptionAsThePodmanCli)
{
  RunSpec spec = spec_for("busybox");
  spec.init = true;
  spec.read_only = true;
  spec.tmpfs = {parse_tmpfs("/run:size=64m,mode=1777")};
  spec.mount_options = {parse_mount_option("type=bind,src=/h,dst=/c,ro"),
                        parse_mount_option("type=volume,src=data,dst=/data"),
                        parse_mount_option("type=tmpfs,dst=/t,tmpfs-size=1m,tmpfs-mode=700")};
  spec.nano_cpus = parse_cpus("1.5");
  spec.memory = parse_memory_size("-m", "64m");
  spec.hostname = "box";
  spec.add_hosts = {parse_add_host("db:10.0.0.2")};
  spec.cap_add = {"NET_ADMIN"};
  spec.cap_drop = {"ALL"};
  add_security_opt(spec.security, "no-new-privileges");
  add_security_opt(spec.security, "seccomp=unconfined");
  add_security_opt(spec.security, "apparmor=unconfined");
  add_security_opt(spec.security, "label=disable");
  spec.privileged = true;
  spec.devices = {parse_device("/dev/fuse:/dev/f:r")};
  spec.group_add = {"audio"};
  spec.userns = "keep-id";
  spec.ulimits = {parse_ulimit("nofile=512:1024"), parse_ulimit("core=-1")};
  spec.shm_size = parse_memory_size("--shm-size", "128m");
  spec.stop_signal = "SIGUSR1";
  spec.stop_timeout = 3;
  spec.publish_all = true;
  spec.expose = parse_expose("7000/udp");
  spec.log_none = true;
  auto body = make_create_body(spec, "id");
  auto expected = nlohmann::json::parse(R"({
    "hostname": "box", "init": true, "read_only_filesystem": true,
    "mounts": [
      {"destination": "/run", "type": "tmpfs", "source": "tmpfs",
       "options": ["size=64m", "mode=1777"]},
      {"destination": "/c", "type": "bind", "source": "/h", "options": ["rbind", "ro"]},
      {"destination": "/t", "type": "tmpfs", "source": "tmpfs",
       "options": ["size=1048576", "mode=700"]}
    ],
    "volumes": [{"Name": "data", "Dest": "/data", "Options": []}],
    "resource_limits": {"cpu": {"period": 100000, "quota": 150000},
                        "memory": {"limit": 67108864}},
    "hostadd": ["db:10.0.0.2"],
    "cap_add": ["NET_ADMIN"], "cap_drop": ["ALL"],
    "no_new_privileges": true, "seccomp_profile_path": "unconfined",
    "apparmor_profile": "unconfined", "selinux_opts": ["disable"],
    "privileged": true,
    "devices": [{"path": "/dev/fuse:/dev/f:r"}],
    "groups": ["audio"],
    "userns": {"nsmode": "keep-id"},
    "r_limits": [{"type": "nofile", "soft": 512, "hard": 1024},
                 {"type": "core", "soft": 18446744073709551615,
                  "hard": 18446744073709551615}],
    "shm_size": 134217728,
    "stop_signal": 10, "stop_timeout": 3,
    "publish_image_ports": true,
    "expose": {"7000": "udp"},
    "log_configuration": {"driver": "none"}
  })");
  for (const auto& [key, value] : expected.items()) {
    SCOPED_TRACE(key);
    EXPECT_EQ(body[key], value);
  }
}

TEST(PodmanApi, UsernsModes)
{
  RunSpec spec = spec_for("busybox");
  spec.userns = "keep-id:uid=1000,gid=1000";
  EXPECT_EQ(make_create_body(spec, "id")["userns"],
            nlohmann::json::parse(R"({"nsmode": "keep-id", "value": "uid=1000,gid=1000"})"));
  spec.userns = "host";
  EXPECT_EQ(make_create_body(spec, "id")["userns"], nlohmann::json::parse(R"({"nsmode": "host"})"));
  spec.userns = "ns:/proc/1/ns/user";
  EXPECT_EQ(make_create_body(spec, "id")["userns"],
            nlohmann::json::parse(R"({"nsmode": "path", "value": "/proc/1/ns/user"})"));
  spec.userns = "remap";
  auto error = test::error_of([&] { make_create_body(spec, "id"); });
  EXPECT_EQ(error.code(), Errc::usage);
  EXPECT_EQ(error.message().substr(0, 50), "--userns remap: the podman backend cannot do this:");
}

TEST(PodmanApi, AttachOnlyTheStreamsAsked)
{
  EXPECT_EQ(make_attach_request(k_root, "abc", false, false, true).target,
            "/v4.3.1/libpod/containers/abc/attach?stream=true&stdin=false&stdout=false&stderr=true"
            "&detachKeys=");
}

} // namespace
} // namespace crun::backends::podman
