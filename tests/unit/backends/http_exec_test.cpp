#include <crun/backends/http_exec.hpp>

#include "backends_test_support.hpp"
#include "support/error_of.hpp"

#include <crun/backends/api_client.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace crun::backends {
namespace {

bool has_header(const transport::HttpRequest& req, const std::string& name,
                const std::string& value)
{
  for (const auto& [n, v] : req.headers) {
    if (n == name && v == value) {
      return true;
    }
  }
  return false;
}

TEST(HttpExec, CreateCarriesDockersFieldsOnEitherRoot)
{
  ExecSpec spec;
  spec.container = "web/1";
  spec.command = {"sh", "-c", "id -u"};
  spec.env = {"A=1", "B="};
  spec.user = "1234";
  spec.workdir = "/tmp";
  spec.interactive = true;
  auto req = make_exec_create_request("/v4.3.1/libpod", spec);
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.target, "/v4.3.1/libpod/containers/web/1/exec");
  EXPECT_EQ(nlohmann::json::parse(req.body),
            nlohmann::json::parse(R"({"AttachStdin":true,"AttachStdout":true,"AttachStderr":true,
              "Tty":false,"Cmd":["sh","-c","id -u"],"Env":["A=1","B="],"User":"1234",
              "WorkingDir":"/tmp"})"));

  ExecSpec bare;
  bare.container = "c";
  bare.command = {"true"};
  bare.detach = true;
  bare.interactive = true;
  EXPECT_EQ(nlohmann::json::parse(make_exec_create_request("/v1.41", bare).body),
            nlohmann::json::parse(R"({"AttachStdin":false,"AttachStdout":false,
              "AttachStderr":false,"Tty":false,"Cmd":["true"]})"));
}

TEST(HttpExec, StartIsHijackedUnlessDetached)
{
  ExecSpec spec;
  spec.tty = true;
  auto req = make_exec_start_request("/v1.41", "abc", spec);
  EXPECT_EQ(req.target, "/v1.41/exec/abc/start");
  EXPECT_EQ(nlohmann::json::parse(req.body),
            nlohmann::json::parse(R"({"Detach":false,"Tty":true})"));
  EXPECT_TRUE(has_header(req, "Upgrade", "tcp"));
  spec.detach = true;
  EXPECT_FALSE(has_header(make_exec_start_request("/v1.41", "abc", spec), "Upgrade", "tcp"));
  EXPECT_EQ(make_exec_resize_request("/v1.41", "abc", 24, 80).target,
            "/v1.41/exec/abc/resize?h=24&w=80");
  EXPECT_EQ(make_exec_inspect_request("/v1.41", "abc").target, "/v1.41/exec/abc/json");
}

TEST(HttpExec, ExitCodesOfBothEnginesCaptures)
{
  EXPECT_EQ(decode_exec_exit_code(test::json_fixture("docker/exec-inspect-exited-42.json")), 42);
  EXPECT_EQ(decode_exec_exit_code(test::json_fixture("docker/exec-inspect-not-found.json")), 126);
  EXPECT_EQ(decode_exec_exit_code(test::json_fixture("podman/exec-inspect-exited-42.json")), 42);
  EXPECT_EQ(decode_exec_exit_code(test::json_fixture("podman/exec-inspect-not-found.json")), 127);
  // Running: Docker says null, Podman 0.
  EXPECT_EQ(decode_exec_exit_code(nlohmann::json::parse(R"({"Running":true,"ExitCode":null})")),
            std::nullopt);
  EXPECT_EQ(decode_exec_exit_code(nlohmann::json::parse(R"({"Running":true,"ExitCode":0})")),
            std::nullopt);
  EXPECT_EQ(test::error_of([] { decode_exec_exit_code(nlohmann::json::array()); }).code(),
            Errc::protocol);
  EXPECT_EQ(decode_exec_create(nlohmann::json::parse(R"({"Id":"e1"})")), "e1");
  EXPECT_EQ(test::error_of([] { decode_exec_create(nlohmann::json::object()); }).code(),
            Errc::protocol);
}

TEST(HttpExec, CreateErrorsNameTheContainerAndTheFix)
{
  Error missing =
    exec_create_error(api_error(404, test::fixture("docker/exec-create-no-such-container.json"),
                                "exec in container nosuch"),
                      "nosuch", "docker");
  EXPECT_EQ(missing.code(), Errc::not_found);
  EXPECT_EQ(missing.message(), "no such container: nosuch (`crun-any ps -a` lists them)");
  EXPECT_EQ(exec_create_error(
              api_error(404, test::fixture("podman/exec-create-no-such-container.json"), "x"),
              "nosuch", "podman")
              .code(),
            Errc::not_found);

  for (const auto& [engine, status] :
       {std::pair<std::string, int>{"docker", 409}, std::pair<std::string, int>{"podman", 500}}) {
    Error stopped =
      exec_create_error(api_error(status, test::fixture(engine + "/exec-create-not-running.json"),
                                  "exec in container web"),
                        "web", engine);
    EXPECT_EQ(stopped.code(), Errc::engine_error) << engine;
    EXPECT_EQ(stopped.message(),
              "container web is not running: start it first (`" + engine + " start web`)")
      << engine;
  }
  Error other(Errc::engine_error, "cannot exec in container web: boom");
  EXPECT_EQ(exec_create_error(other, "web", "docker").message(), other.message());
}

} // namespace
} // namespace crun::backends
