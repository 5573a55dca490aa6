#include <crun/transport/docker_endpoint.hpp>

#include "support/error_of.hpp"
#include "support/fake_files.hpp"

#include <crun/core/error.hpp>

#include <gtest/gtest.h>

#include <map>

namespace crun::transport {
namespace {

constexpr std::string_view k_desktop_hash =
  "fe9c6bd7a66301f49ca9b6a70b217107cd1284598bfc254700c989b916da791e";
constexpr std::string_view k_remote_hash =
  "b71199ebd070b36beab7317920c2c2f1d777df8d05e5527d8458fda57cb17a7a";

using crun::test::FakeFiles;

class DockerEndpoint : public ::testing::Test {
protected:
  DockerEndpoint()
  {
    env.set("HOME", "/home/me");
    files.files["/home/me/.docker/contexts/meta/" + std::string(k_desktop_hash) + "/meta.json"] =
      R"({"Name":"desktop-linux","Metadata":{},"Endpoints":{"docker":{
              "Host":"unix:///home/me/.docker/run/docker.sock","SkipTLSVerify":false}}})";
  }

  ResolvedEndpoint resolve(const DockerEndpointFlags& flags = {})
  {
    return resolve_docker_endpoint(env, files, flags);
  }

  Error resolve_error(const DockerEndpointFlags& flags = {})
  {
    return crun::test::error_of([&] { resolve(flags); });
  }

  Env env;
  FakeFiles files;
};

TEST_F(DockerEndpoint, HashesContextNamesWithSha256)
{
  EXPECT_EQ(docker_context_dir_name("desktop-linux"), k_desktop_hash);
  EXPECT_EQ(docker_context_dir_name("remote"), k_remote_hash);
}

TEST_F(DockerEndpoint, DefaultsToTheDockerSocket)
{
  auto resolved = resolve();
  EXPECT_EQ(resolved.endpoint.str(), "unix:///var/run/docker.sock");
  EXPECT_EQ(resolved.source, "default");
  EXPECT_TRUE(resolved.warnings.empty());
}

TEST_F(DockerEndpoint, DefaultsWithoutHomeOrConfig)
{
  Env empty;
  auto resolved = resolve_docker_endpoint(empty, files);
  EXPECT_EQ(resolved.endpoint.str(), "unix:///var/run/docker.sock");
  EXPECT_EQ(resolved.source, "default");
}

TEST_F(DockerEndpoint, HostFlagBeatsDockerHostAndContexts)
{
  env.set("DOCKER_HOST", "unix:///from/env.sock");
  env.set("DOCKER_CONTEXT", "desktop-linux");
  auto resolved = resolve({.host = "unix:///from/flag.sock"});
  EXPECT_EQ(resolved.endpoint.str(), "unix:///from/flag.sock");
  EXPECT_EQ(resolved.source, "--host");
}

TEST_F(DockerEndpoint, DockerHostBeatsDockerContext)
{
  env.set("DOCKER_HOST", "tcp://10.0.0.5:2375");
  env.set("DOCKER_CONTEXT", "desktop-linux");
  auto resolved = resolve();
  EXPECT_EQ(resolved.endpoint.str(), "tcp://10.0.0.5:2375");
  EXPECT_FALSE(resolved.endpoint.tls);
  EXPECT_EQ(resolved.source, "DOCKER_HOST");
}

TEST_F(DockerEndpoint, EmptyDockerHostCountsAsUnset)
{
  env.set("DOCKER_HOST", "");
  EXPECT_EQ(resolve().source, "default");
}

TEST_F(DockerEndpoint, DockerContextBeatsCurrentContext)
{
  files.files["/home/me/.docker/config.json"] = R"({"currentContext":"remote"})";
  env.set("DOCKER_CONTEXT", "desktop-linux");
  auto resolved = resolve();
  EXPECT_EQ(resolved.endpoint.str(), "unix:///home/me/.docker/run/docker.sock");
  EXPECT_EQ(resolved.source, "context \"desktop-linux\"");
}

TEST_F(DockerEndpoint, UsesCurrentContextFromConfigJson)
{
  files.files["/home/me/.docker/config.json"] = R"({"auths":{},"currentContext":"desktop-linux"})";
  auto resolved = resolve();
  EXPECT_EQ(resolved.endpoint.path, "/home/me/.docker/run/docker.sock");
  EXPECT_EQ(resolved.source, "context \"desktop-linux\"");
}

TEST_F(DockerEndpoint, DockerConfigReplacesHomeDotDocker)
{
  env.set("DOCKER_CONFIG", "/etc/dc/");
  files.files["/etc/dc/config.json"] = R"({"currentContext":"remote"})";
  files.files["/etc/dc/contexts/meta/" + std::string(k_remote_hash) + "/meta.json"] =
    R"({"Name":"remote","Endpoints":{"docker":{"Host":"tcp://build.example:2375"}}})";
  auto resolved = resolve();
  EXPECT_EQ(resolved.endpoint.str(), "tcp://build.example:2375");
  EXPECT_FALSE(resolved.endpoint.tls);
  EXPECT_EQ(resolved.source, "context \"remote\"");
}

TEST_F(DockerEndpoint, ContextFlagSelectsContext)
{
  auto resolved = resolve({.context = "desktop-linux"});
  EXPECT_EQ(resolved.source, "context \"desktop-linux\"");
}

TEST_F(DockerEndpoint, ContextNamedDefaultIsTheDefault)
{
  env.set("DOCKER_CONTEXT", "default");
  EXPECT_EQ(resolve().endpoint.str(), "unix:///var/run/docker.sock");
  files.files["/home/me/.docker/config.json"] = R"({"currentContext":""})";
  env = Env();
  env.set("HOME", "/home/me");
  EXPECT_EQ(resolve().source, "default");
}

TEST_F(DockerEndpoint, MissingContextNamesItAndTheFix)
{
  env.set("DOCKER_CONTEXT", "remote");
  auto error = resolve_error();
  EXPECT_EQ(error.code(), Errc::invalid_input);
  EXPECT_EQ(error.message(), "docker context \"remote\" (from DOCKER_CONTEXT) does not exist (no "
                             "/home/me/.docker/contexts/meta/" +
                               std::string(k_remote_hash) +
                               "/meta.json): list the contexts with `docker context ls`");
}

TEST_F(DockerEndpoint, MissingCurrentContextNamesConfigJson)
{
  files.files["/home/me/.docker/config.json"] = R"({"currentContext":"gone"})";
  auto error = resolve_error();
  EXPECT_EQ(error.code(), Errc::invalid_input);
  EXPECT_NE(error.message().find(
              "docker context \"gone\" (from currentContext in /home/me/.docker/config.json)"),
            std::string::npos)
    << error.message();
}

TEST_F(DockerEndpoint, ContextWithoutDockerEndpointIsAnError)
{
  files.files["/home/me/.docker/contexts/meta/" + std::string(k_remote_hash) + "/meta.json"] =
    R"({"Name":"remote","Endpoints":{}})";
  auto error = resolve_error({.context = "remote"});
  EXPECT_EQ(error.code(), Errc::invalid_input);
  EXPECT_EQ(error.message(), "docker context \"remote\" has no docker endpoint in "
                             "/home/me/.docker/contexts/meta/" +
                               std::string(k_remote_hash) +
                               "/meta.json: check it with `docker context inspect remote`");
}

TEST_F(DockerEndpoint, HostAndContextFlagsConflict)
{
  auto error = resolve_error({.host = "unix:///a.sock", .context = "desktop-linux"});
  EXPECT_EQ(error.code(), Errc::usage);
  EXPECT_EQ(error.message(), "conflicting options: use either --host or --context, not both");
}

TEST_F(DockerEndpoint, MalformedConfigJsonIsAWarningAsInTheCli)
{
  files.files["/home/me/.docker/config.json"] = "{not json";
  auto resolved = resolve();
  EXPECT_EQ(resolved.source, "default");
  ASSERT_EQ(resolved.warnings.size(), 1u);
  EXPECT_EQ(resolved.warnings[0], "ignoring /home/me/.docker/config.json: not a valid json object");
}

TEST_F(DockerEndpoint, TlsVerifyAnyNonEmptyValueTurnsTlsOnWithExistingCertFiles)
{
  env.set("DOCKER_HOST", "tcp://secure.example");
  env.set("DOCKER_TLS_VERIFY", "0"); // the CLI tests != "": "0" is on
  env.set("DOCKER_CERT_PATH", "/certs");
  files.files["/certs/ca.pem"] = "CA";
  files.files["/certs/cert.pem"] = "CERT";
  auto resolved = resolve();
  const auto& endpoint = resolved.endpoint;
  EXPECT_TRUE(endpoint.tls);
  EXPECT_TRUE(endpoint.tls_verify);
  EXPECT_EQ(endpoint.port, 2376);
  EXPECT_EQ(endpoint.ca_file, "/certs/ca.pem");
  EXPECT_EQ(endpoint.cert_file, "/certs/cert.pem");
  EXPECT_EQ(endpoint.key_file, ""); // missing defaults are dropped
}

TEST_F(DockerEndpoint, CertPathDefaultsToTheConfigDir)
{
  env.set("DOCKER_HOST", "tcp://secure.example:9999");
  env.set("DOCKER_TLS_VERIFY", "1");
  files.files["/home/me/.docker/key.pem"] = "KEY";
  auto endpoint = resolve().endpoint;
  EXPECT_EQ(endpoint.port, 9999);
  EXPECT_EQ(endpoint.key_file, "/home/me/.docker/key.pem");
}

TEST_F(DockerEndpoint, DockerTlsWithoutVerify)
{
  env.set("DOCKER_HOST", "tcp://secure.example");
  env.set("DOCKER_TLS", "1");
  auto endpoint = resolve().endpoint;
  EXPECT_TRUE(endpoint.tls);
  EXPECT_FALSE(endpoint.tls_verify);
}

TEST_F(DockerEndpoint, TlsEnvIsIgnoredForUnixSockets)
{
  env.set("DOCKER_TLS_VERIFY", "1");
  auto endpoint = resolve().endpoint;
  EXPECT_FALSE(endpoint.tls);
  EXPECT_TRUE(endpoint.ca_file.empty());
}

TEST_F(DockerEndpoint, ContextTlsFilesAndSkipVerify)
{
  std::string hash(k_remote_hash);
  files.files["/home/me/.docker/contexts/meta/" + hash + "/meta.json"] =
    R"({"Name":"remote","Endpoints":{"docker":{"Host":"tcp://build.example","SkipTLSVerify":true}}})";
  files.files["/home/me/.docker/contexts/tls/" + hash + "/docker/ca.pem"] = "CA";
  files.files["/home/me/.docker/contexts/tls/" + hash + "/docker/cert.pem"] = "CERT";
  files.files["/home/me/.docker/contexts/tls/" + hash + "/docker/key.pem"] = "KEY";
  auto endpoint = resolve({.context = "remote"}).endpoint;
  EXPECT_TRUE(endpoint.tls);
  EXPECT_FALSE(endpoint.tls_verify);
  EXPECT_EQ(endpoint.port, 2376);
  EXPECT_EQ(endpoint.ca_file, "/home/me/.docker/contexts/tls/" + hash + "/docker/ca.pem");
  EXPECT_EQ(endpoint.cert_file, "/home/me/.docker/contexts/tls/" + hash + "/docker/cert.pem");
  EXPECT_EQ(endpoint.key_file, "/home/me/.docker/contexts/tls/" + hash + "/docker/key.pem");
}

TEST_F(DockerEndpoint, ContextTcpWithoutTlsDataIsPlain)
{
  files.files["/home/me/.docker/contexts/meta/" + std::string(k_remote_hash) + "/meta.json"] =
    R"({"Name":"remote","Endpoints":{"docker":{"Host":"tcp://build.example:2375"}}})";
  env.set("DOCKER_TLS_VERIFY", "1"); // only for DOCKER_HOST, not contexts
  auto endpoint = resolve({.context = "remote"}).endpoint;
  EXPECT_FALSE(endpoint.tls);
}

TEST_F(DockerEndpoint, SshHostIsRejectedClearly)
{
  env.set("DOCKER_HOST", "ssh://me@build.example");
  auto error = resolve_error();
  EXPECT_EQ(error.code(), Errc::invalid_input);
  EXPECT_TRUE(error.message().starts_with("ssh endpoints are not supported yet"))
    << error.message();
}

TEST_F(DockerEndpoint, DockerHostIsTheHostAsWrittenBeforeItIsParsed)
{
  files.files["/home/me/.docker/contexts/meta/" + std::string(k_remote_hash) + "/meta.json"] =
    R"({"Name":"remote","Endpoints":{"docker":{"Host":"ssh://me@build.example"}}})";
  env.set("DOCKER_CONTEXT", "remote");
  auto named = docker_host(env, files);
  EXPECT_EQ(named.uri, "ssh://me@build.example");
  EXPECT_EQ(named.source, "context \"remote\"");

  env.set("DOCKER_HOST", "ssh://me@other");
  named = docker_host(env, files);
  EXPECT_EQ(named.uri, "ssh://me@other");
  EXPECT_EQ(named.source, "DOCKER_HOST");

  named = docker_host(Env({{"HOME", "/home/me"}}), files);
  EXPECT_EQ(named.uri, "unix:///var/run/docker.sock");
  EXPECT_EQ(named.source, "default");

  env = Env({{"HOME", "/home/me"}, {"DOCKER_CONTEXT", "gone"}});
  {
    const Error error = test::error_of([&] { docker_host(env, files); });
    EXPECT_EQ(error.code(), Errc::invalid_input);
    EXPECT_TRUE(error.message().starts_with("docker context \"gone\" (from DOCKER_CONTEXT) does "
                                            "not exist"))
      << error.message();
  }
}

} // namespace
} // namespace crun::transport
