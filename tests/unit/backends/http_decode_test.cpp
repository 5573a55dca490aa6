// The answers both engines shape alike, over captures from the real dockerd
// 20.10 and Podman 4.3.1 (fixtures/*/README.md).
#include <crun/backends/http_decode.hpp>

#include "backends_test_support.hpp"
#include "support/error_of.hpp"

#include <crun/core/error.hpp>

#include <gtest/gtest.h>

namespace crun::backends {
namespace {

using test::json_fixture;

TEST(HttpDecode, CreateGivesTheIdAndTheEnginesWarnings)
{
  CreatedContainer plain = decode_create(json_fixture("docker/create.json"));
  EXPECT_EQ(plain.id, "19835ac0baee20efa136b0485bb3e5969efa137245e810932c65015f9ee24fbf");
  EXPECT_TRUE(plain.warnings.empty());

  CreatedContainer warned =
    decode_create(json_fixture("docker/create-warnings-host-network-ports.json"));
  EXPECT_EQ(warned.warnings,
            std::vector<std::string>{"Published ports are discarded when using host network mode"});

  // libpod answers the same shape; null or odd-typed warnings are none.
  EXPECT_TRUE(decode_create({{"Id", "c1"}, {"Warnings", nullptr}}).warnings.empty());
  EXPECT_EQ(decode_create({{"Id", "c1"}, {"Warnings", {"w", 3}}}).warnings,
            std::vector<std::string>{"w"});
}

TEST(HttpDecode, ACreateWithoutAnIdIsAProtocolError)
{
  for (const char* bad : {R"({"Id": 5, "Warnings": []})", R"({"Warnings": []})", "[]"}) {
    SCOPED_TRACE(bad);
    auto doc = nlohmann::json::parse(bad);
    Error error = test::error_of([&] { decode_create(doc); });
    EXPECT_EQ(error.code(), Errc::protocol);
    EXPECT_EQ(error.message(), "the engine created a container but sent no ID: " + doc.dump());
  }
}

TEST(HttpDecode, TheImageConfigIsReadTolerantly)
{
  EXPECT_EQ(decode_image_config(nullptr).cmd, std::nullopt);
  EXPECT_EQ(decode_image_config(5).user, "");
  ImageConfig config = decode_image_config(nlohmann::json::parse(R"({
    "User": "nobody", "Env": ["A=1", 2], "Entrypoint": null, "Cmd": [], "WorkingDir": 3,
    "Labels": {"k": "v", "n": 1}, "ExposedPorts": {"80/tcp": {}}, "Volumes": null,
    "StopSignal": "SIGINT"})"));
  EXPECT_EQ(config.user, "nobody");
  EXPECT_EQ(config.env, std::vector<std::string>{"A=1"});
  EXPECT_EQ(config.entrypoint, std::nullopt);
  EXPECT_EQ(config.cmd, std::optional(std::vector<std::string>{})); // set, and empty
  EXPECT_EQ(config.working_dir, "");
  EXPECT_EQ(config.labels, (std::map<std::string, std::string>{{"k", "v"}}));
  EXPECT_EQ(config.exposed_ports, std::vector<std::string>{"80/tcp"});
  EXPECT_TRUE(config.volumes.empty());
  EXPECT_EQ(config.stop_signal, "SIGINT");
}

} // namespace
} // namespace crun::backends
