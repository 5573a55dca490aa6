#include <crun/backends/docker/docker_api.hpp>

#include "backends_test_support.hpp"
#include "support/error_of.hpp"

#include <crun/backends/api_client.hpp>
#include <crun/backends/http_api.hpp>
#include <crun/backends/http_decode.hpp>
#include <crun/core/error.hpp>

#include <gtest/gtest.h>

namespace crun::backends::docker {
namespace {

std::string fixture(const std::string& name)
{
  return test::fixture("docker/" + name);
}

const std::string k_root = api_root("1.41");

RunSpec spec_for(const std::string& image)
{
  RunSpec spec;
  spec.image = core::ImageRef::parse(image);
  spec.image_name = spec.image.str();
  spec.platform = core::Platform::parse("linux/arm64");
  return spec;
}

TEST(DockerApi, NegotiatesTheLowerOfServerAndClientVersions)
{
  EXPECT_EQ(negotiate_api_version("1.41"), "1.41");
  EXPECT_EQ(negotiate_api_version("1.45"), "1.45");
  EXPECT_EQ(negotiate_api_version("1.52"), "1.51");
  EXPECT_EQ(negotiate_api_version("2.0"), "1.51");
  {
    const Error error = test::error_of([&] { negotiate_api_version("1.40"); });
    EXPECT_EQ(error.code(), Errc::engine_error);
    EXPECT_EQ(error.message(), "the engine speaks Docker API 1.40, older than the 1.41 crun-any "
                               "needs: upgrade the engine (Docker 20.10 or later)");
  }
  EXPECT_THROW(negotiate_api_version("garbage"), Error);
}

TEST(DockerApi, PullAlwaysSendsATagOrDigestAndThePlatform)
{
  auto req = make_pull_request(k_root, core::ImageRef::parse("busybox"),
                               core::Platform::parse("linux/arm64"), std::nullopt);
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.target,
            "/v1.41/images/"
            "create?fromImage=docker.io%2Flibrary%2Fbusybox&tag=latest&platform=linux%2Farm64");
  auto pinned = make_pull_request(
    k_root,
    core::ImageRef::parse("127.0.0.1:5857/bench/multi@sha256:"
                          "3156a53d98c08fae0e8563145b03a72126452b841b0d0ab702db47f9de713960"),
    core::Platform::parse("linux/amd64"), std::nullopt);
  EXPECT_EQ(
    pinned.target,
    "/v1.41/images/create?fromImage=127.0.0.1%3A5857%2Fbench%2Fmulti&tag=sha256%3A"
    "3156a53d98c08fae0e8563145b03a72126452b841b0d0ab702db47f9de713960&platform=linux%2Famd64");
  EXPECT_TRUE(pinned.headers.empty()); // anonymous: registry_auth_test has the header
}

TEST(DockerApi, PathsKeepReferenceSlashesAndColons)
{
  EXPECT_EQ(make_image_inspect_request(k_root, "127.0.0.1:5857/bench/multi:1").target,
            "/v1.41/images/127.0.0.1:5857/bench/multi:1/json");
  EXPECT_EQ(make_tag_request(k_root, "x@sha256:ab", core::ImageRef::parse("reg.io/a/b:2")).target,
            "/v1.41/images/x@sha256:ab/tag?repo=reg.io%2Fa%2Fb&tag=2");
  EXPECT_EQ(make_wait_request(k_root, "abc", true).target,
            "/v1.41/containers/abc/wait?condition=removed");
  EXPECT_EQ(make_wait_request(k_root, "abc", false).target,
            "/v1.41/containers/abc/wait?condition=next-exit");
  EXPECT_EQ(make_kill_request(k_root, "abc", "SIGINT").target,
            "/v1.41/containers/abc/kill?signal=SIGINT");
  EXPECT_EQ(make_remove_request(k_root, "abc").method, "DELETE");
  EXPECT_EQ(make_remove_request(k_root, "abc").target, "/v1.41/containers/abc?force=1&v=1");
  EXPECT_EQ(make_resize_request(k_root, "abc", 24, 80).target,
            "/v1.41/containers/abc/resize?h=24&w=80");
}

TEST(DockerApi, AttachAsksForAnUpgrade)
{
  auto req = make_attach_request(k_root, "abc", true);
  EXPECT_EQ(req.target, "/v1.41/containers/abc/attach?stream=1&stdin=1&stdout=1&stderr=1");
  EXPECT_NE(std::find(req.headers.begin(), req.headers.end(),
                      std::make_pair(std::string("Upgrade"), std::string("tcp"))),
            req.headers.end());
}

TEST(DockerApi, CreateMapsTheRunFlagsAsTheDockerCliDoes)
{
  RunSpec spec = spec_for("127.0.0.1:5857/bench/multi:1");
  spec.name = "job1";
  spec.command = {"sh", "-c", "cat; exit 3"};
  spec.env = {"FOO=bar"};
  spec.workdir = "/work";
  spec.user = "1000:1000";
  spec.labels = {{"tool", "x"}};
  spec.interactive = true;
  spec.remove = true;
  spec.mounts = {parse_mount_spec("/home/me/proj:/work:ro", "/"), parse_mount_spec("/cache", "/")};
  spec.ports = {parse_port_spec("127.0.0.1:18080:8080")};
  spec.network = "none";
  spec.entrypoint = "";

  auto req = make_create_request(k_root, spec);
  EXPECT_EQ(req.target, "/v1.41/containers/create?name=job1&platform=linux%2Farm64");
  EXPECT_EQ(req.content_type, "application/json");
  auto body = nlohmann::json::parse(req.body);
  EXPECT_EQ(body, nlohmann::json::parse(R"({
    "Image": "127.0.0.1:5857/bench/multi:1",
    "Cmd": ["sh", "-c", "cat; exit 3"], "Entrypoint": [""],
    "Env": ["FOO=bar"], "WorkingDir": "/work", "User": "1000:1000", "Labels": {"tool": "x"},
    "Tty": false, "OpenStdin": true, "StdinOnce": true,
    "AttachStdin": true, "AttachStdout": true, "AttachStderr": true,
    "Volumes": {"/cache": {}},
    "ExposedPorts": {"8080/tcp": {}},
    "HostConfig": {"AutoRemove": true, "Binds": ["/home/me/proj:/work:ro"],
                   "PortBindings": {"8080/tcp": [{"HostIp": "127.0.0.1", "HostPort": "18080"}]},
                   "NetworkMode": "none"}
  })"));
}

TEST(DockerApi, CreateWithoutCommandKeepsTheImageDefaults)
{
  auto body = make_create_body(spec_for("busybox"));
  EXPECT_FALSE(body.contains("Cmd"));
  EXPECT_FALSE(body.contains("Entrypoint"));
  EXPECT_EQ(body["OpenStdin"], false);
  EXPECT_EQ(body["AttachStdin"], false);
}

TEST(DockerApi, DecodesARealImageInspect)
{
  auto doc = nlohmann::json::parse(fixture("image-inspect-multi-arm64.json"));
  ImageInfo image = decode_image(doc, "127.0.0.1:5857/bench/multi:1");
  EXPECT_EQ(image.backend, "docker");
  EXPECT_EQ(image.reference, "127.0.0.1:5857/bench/multi:1");
  EXPECT_EQ(image.id, doc["Id"]);
  EXPECT_EQ(image.platform.os, "linux");
  EXPECT_EQ(image.platform.architecture, "arm64");
  EXPECT_EQ(image.repo_tags, std::vector<std::string>{"127.0.0.1:5857/bench/multi:1"});
  ASSERT_EQ(image.repo_digests.size(), 1u);
  EXPECT_EQ(image.digest, image.repo_digests[0].substr(image.repo_digests[0].find('@') + 1));
  EXPECT_EQ(image.created, doc["Created"]);
  EXPECT_EQ(image.size, doc["Size"].get<std::int64_t>());
  EXPECT_EQ(image.config.cmd, std::optional(std::vector<std::string>{"/bin/sh"}));
  EXPECT_EQ(image.raw, doc);
  auto json = to_json(image);
  EXPECT_EQ(json["kind"], "image");
  EXPECT_EQ(json["schema_version"], "1.0.0");
  EXPECT_EQ(json["platform"]["architecture"], "arm64");
}

TEST(DockerApi, DigestBelongsToTheRepositoryAsked)
{
  auto doc = nlohmann::json::parse(fixture("image-inspect-multi-arm64.json"));
  ImageInfo other = decode_image(doc, "127.0.0.1:5857/other/name:1");
  EXPECT_EQ(other.digest, std::nullopt);
  EXPECT_TRUE(to_json(other)["digest"].is_null());
}

TEST(DockerApi, DecodesARealExitedContainer)
{
  auto doc = nlohmann::json::parse(fixture("container-inspect-exited-42.json"));
  ContainerInfo c = decode_container(doc);
  EXPECT_EQ(c.name, "fx42");
  EXPECT_EQ(c.id, doc["Id"]);
  EXPECT_EQ(c.reference, "127.0.0.1:5857/bench/multi:1");
  EXPECT_EQ(c.state.status, "exited");
  EXPECT_EQ(c.state.exit_code, 42);
  EXPECT_FALSE(c.state.running);
  EXPECT_EQ(c.config.labels.at("k"), "v");
  EXPECT_EQ(c.config.cmd, std::optional(std::vector<std::string>{"sh", "-c", "exit 42"}));
  auto json = to_json(c);
  EXPECT_EQ(json["exit_code"], 42);
  EXPECT_EQ(json["kind"], "container");
  EXPECT_EQ(json["schema_version"], "1.0.0");
}

TEST(DockerApi, WaitBodyCarriesStatusAndError)
{
  WaitResult result = decode_wait(fixture("wait-127.json"));
  EXPECT_EQ(result.status_code, 127);
  EXPECT_NE(result.error.find("executable file not found"), std::string::npos);
  EXPECT_EQ(decode_wait(R"({"StatusCode":0,"Error":null})").status_code, 0);
  EXPECT_THROW(decode_wait("137\n"), Error);
}

TEST(DockerApi, StartErrorsMapToTheDockerCliExitCodes)
{
  auto message = nlohmann::json::parse(fixture("start-error-not-found.json"))["message"];
  EXPECT_EQ(classify_start_error(message.get<std::string>()), Errc::command_not_found);
  EXPECT_EQ(classify_start_error("exec: \"/etc/not-exec\": permission denied: unknown"),
            Errc::command_not_executable);
  EXPECT_EQ(classify_start_error("exec: \"/tmp\": is a directory"), Errc::command_not_executable);
  EXPECT_EQ(classify_start_error("no such file or directory"), Errc::command_not_found);
  EXPECT_EQ(classify_start_error("The system cannot find the file specified."),
            Errc::command_not_found);
  EXPECT_EQ(classify_start_error("cgroups: cannot allocate"), Errc::engine_error);
}

TEST(DockerApi, ContainerDriftGivesDefaultsNotExceptions)
{
  // Fields of other types than Docker sends: each reads as absent.
  auto drift = decode_container(nlohmann::json::parse(
    R"({"Id": "c1", "Name": 7, "State": 5, "Config": null, "Image": ["x"], "Platform": false})"));
  EXPECT_EQ(drift.id, "c1");
  EXPECT_EQ(drift.name, "");
  EXPECT_EQ(drift.state.status, "");
  EXPECT_EQ(drift.state.exit_code, 0);
  EXPECT_FALSE(drift.state.running);
  EXPECT_EQ(drift.config.cmd, std::nullopt);
  EXPECT_TRUE(drift.config.env.empty());
  EXPECT_EQ(drift.reference, "");
  EXPECT_EQ(drift.image_id, "");
  EXPECT_EQ(drift.platform.os, "");

  auto odd = decode_container(nlohmann::json::parse(R"({
    "State": {"Status": 3, "Running": "yes", "ExitCode": "42", "OOMKilled": 1, "Error": null},
    "Config": {"Env": "A=1", "Cmd": null, "Labels": {"k": 1, "j": "v"}, "Tty": "true",
               "ExposedPorts": [], "Image": 5}})"));
  EXPECT_EQ(odd.state.status, "");
  EXPECT_FALSE(odd.state.running);
  EXPECT_EQ(odd.state.exit_code, 0);
  EXPECT_FALSE(odd.state.oom_killed);
  EXPECT_EQ(odd.config.env, std::vector<std::string>{"A=1"});
  EXPECT_EQ(odd.config.cmd, std::nullopt);
  EXPECT_EQ(odd.config.labels, (std::map<std::string, std::string>{{"j", "v"}}));
  EXPECT_FALSE(odd.tty);
  EXPECT_TRUE(odd.config.exposed_ports.empty());
}

TEST(DockerApi, ImageDriftGivesDefaultsNotExceptions)
{
  auto doc = nlohmann::json::parse(R"({"Id": 5, "RepoTags": "x:1", "RepoDigests": [3, "<none>"],
    "Size": "big", "Config": [], "Architecture": null, "Os": {}, "Created": 1})");
  ImageInfo image = decode_image(doc, "x:1");
  EXPECT_EQ(image.id, "");
  EXPECT_EQ(image.repo_tags, std::vector<std::string>{"docker.io/library/x:1"});
  EXPECT_TRUE(image.repo_digests.empty());
  EXPECT_EQ(image.digest, std::nullopt);
  EXPECT_EQ(image.size, 0);
  EXPECT_EQ(image.platform, (core::Platform{"", "", ""}));
  EXPECT_EQ(image.created, "");
  EXPECT_EQ(image.config.cmd, std::nullopt);
  EXPECT_EQ(image.raw, doc);
}

TEST(DockerApi, AnInspectAnswerThatIsNoObjectIsAProtocolError)
{
  for (const auto& doc :
       {nlohmann::json::array(), nlohmann::json(5), nlohmann::json(nullptr), nlohmann::json("x")}) {
    SCOPED_TRACE(doc.dump());
    Error image = test::error_of([&] { decode_image(doc, "x:1"); });
    EXPECT_EQ(image.code(), Errc::protocol);
    EXPECT_EQ(image.message(), "the engine's image inspect answer is not a JSON object");
    Error container = test::error_of([&] { decode_container(doc); });
    EXPECT_EQ(container.code(), Errc::protocol);
    EXPECT_EQ(container.message(), "the engine's container inspect answer is not a JSON object");
  }
}

TEST(DockerApi, TheVersionGivesTheNativePlatform)
{
  EXPECT_EQ(decode_version_platform(nlohmann::json::parse(fixture("version.json"))),
            (core::Platform{"linux", "amd64", ""}));
  EXPECT_EQ(decode_version_platform({{"Os", "linux"}, {"Arch", "aarch64"}}),
            (core::Platform{"linux", "arm64", ""}));
  EXPECT_EQ(decode_version_platform({{"Arch", "arm64"}}), (core::Platform{"linux", "arm64", ""}));
  for (const char* bad : {R"({"Os": "linux"})", R"({"Os": 5, "Arch": 7})", "[]"}) {
    SCOPED_TRACE(bad);
    Error error = test::error_of([&] { decode_version_platform(nlohmann::json::parse(bad)); });
    EXPECT_EQ(error.code(), Errc::protocol);
    EXPECT_EQ(error.message(), "the Docker engine's /version names no Arch");
  }
}

} // namespace
} // namespace crun::backends::docker

namespace crun::backends::docker {
namespace {

// Every option of run_options.hpp set, as `crun-any run` parses them.
RunSpec spec_with_run_options()
{
  RunSpec spec = spec_for("busybox");
  spec.init = true;
  spec.read_only = true;
  spec.tmpfs = {parse_tmpfs("/run:size=64m"), parse_tmpfs("/tmp")};
  spec.mount_options = {parse_mount_option("type=bind,src=/h,dst=/c,ro,bind-propagation=rslave"),
                        parse_mount_option("type=volume,src=data,dst=/data,volume-nocopy"),
                        parse_mount_option("type=tmpfs,dst=/t,tmpfs-size=1m,tmpfs-mode=700")};
  spec.nano_cpus = parse_cpus("1.5");
  spec.memory = parse_memory_size("-m", "64m");
  spec.hostname = "box";
  spec.add_hosts = {parse_add_host("db:10.0.0.2")};
  spec.cap_add = {"NET_ADMIN"};
  spec.cap_drop = {"ALL"};
  add_security_opt(spec.security, "no-new-privileges");
  add_security_opt(spec.security, "apparmor=unconfined");
  add_security_opt(spec.security, "label=disable");
  spec.privileged = true;
  spec.devices = {parse_device("/dev/fuse")};
  spec.group_add = {"audio", "1234"};
  spec.userns = "host";
  spec.ulimits = {parse_ulimit("nofile=512:1024")};
  spec.shm_size = parse_memory_size("--shm-size", "128m");
  spec.stop_signal = "SIGUSR1";
  spec.stop_timeout = 3;
  spec.publish_all = true;
  spec.expose = parse_expose("7000-7001/udp");
  spec.log_none = true;
  return spec;
}

TEST(DockerApi, CreateMapsEveryRunOptionAsTheDockerCli)
{
  auto body = make_create_body(spec_with_run_options());
  EXPECT_EQ(body["Hostname"], "box");
  EXPECT_EQ(body["StopSignal"], "SIGUSR1");
  EXPECT_EQ(body["StopTimeout"], 3);
  EXPECT_EQ(body["ExposedPorts"], nlohmann::json::parse(R"({"7000/udp": {}, "7001/udp": {}})"));
  EXPECT_EQ(body["HostConfig"], nlohmann::json::parse(R"({
    "AutoRemove": false,
    "Init": true, "ReadonlyRootfs": true,
    "Tmpfs": {"/run": "size=64m", "/tmp": ""},
    "Mounts": [
      {"Type": "bind", "Source": "/h", "Target": "/c", "ReadOnly": true,
       "BindOptions": {"Propagation": "rslave"}},
      {"Type": "volume", "Source": "data", "Target": "/data", "VolumeOptions": {"NoCopy": true}},
      {"Type": "tmpfs", "Target": "/t", "TmpfsOptions": {"SizeBytes": 1048576, "Mode": 448}}
    ],
    "NanoCpus": 1500000000, "Memory": 67108864,
    "ExtraHosts": ["db:10.0.0.2"],
    "CapAdd": ["NET_ADMIN"], "CapDrop": ["ALL"],
    "SecurityOpt": ["no-new-privileges", "apparmor=unconfined", "label=disable"],
    "Privileged": true,
    "Devices": [{"PathOnHost": "/dev/fuse", "PathInContainer": "/dev/fuse",
                 "CgroupPermissions": "rwm"}],
    "GroupAdd": ["audio", "1234"],
    "UsernsMode": "host",
    "Ulimits": [{"Name": "nofile", "Soft": 512, "Hard": 1024}],
    "ShmSize": 134217728,
    "PublishAllPorts": true,
    "LogConfig": {"Type": "none", "Config": {}}
  })"));
}

TEST(DockerApi, SeccompProfileFileIsSentAsItsContent)
{
  RunSpec spec = spec_for("busybox");
  add_security_opt(spec.security, "seccomp=/etc/profile.json");
  spec.security.seccomp_profile = R"({"defaultAction":"SCMP_ACT_ALLOW"})";
  EXPECT_EQ(make_create_body(spec)["HostConfig"]["SecurityOpt"],
            nlohmann::json::array({R"(seccomp={"defaultAction":"SCMP_ACT_ALLOW"})"}));
  add_security_opt(spec.security, "seccomp=unconfined");
  EXPECT_EQ(make_create_body(spec)["HostConfig"]["SecurityOpt"],
            nlohmann::json::array({"seccomp=unconfined"}));
}

TEST(DockerApi, UsernsOtherThanHostIsRefusedNamingDocker)
{
  RunSpec spec = spec_for("busybox");
  spec.userns = "keep-id";
  auto error = test::error_of([&] { make_create_body(spec); });
  EXPECT_EQ(error.code(), Errc::usage);
  EXPECT_EQ(error.message().substr(0, 60),
            "--userns keep-id: the docker backend cannot do this: Docker ");
}

TEST(DockerApi, AttachOnlyTheStreamsAsked)
{
  RunSpec spec = spec_for("busybox");
  spec.interactive = true;
  spec.attach = AttachStreams{false, true, false};
  auto body = make_create_body(spec);
  EXPECT_EQ(body["AttachStdin"], false);
  EXPECT_EQ(body["AttachStdout"], true);
  EXPECT_EQ(body["AttachStderr"], false);
  EXPECT_EQ(body["OpenStdin"], true);
  EXPECT_EQ(make_attach_request(k_root, "abc", false, true, false).target,
            "/v1.41/containers/abc/attach?stream=1&stdin=0&stdout=1&stderr=0");
}

} // namespace
} // namespace crun::backends::docker
