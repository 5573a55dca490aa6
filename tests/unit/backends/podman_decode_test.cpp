// The libpod decoders over answers captured from the real Podman 4.3.1
// service (fixtures/podman/README.md), and over the drift they must survive.
#include "backends_test_support.hpp"
#include "support/error_of.hpp"

#include <crun/backends/api_client.hpp>
#include <crun/backends/podman/podman_api.hpp>
#include <crun/core/error.hpp>

#include <gtest/gtest.h>

#include <sstream>

namespace crun::backends::podman {
namespace {

std::string fixture(const std::string& name)
{
  return test::fixture("podman/" + name);
}

nlohmann::json json_fixture(const std::string& name)
{
  return nlohmann::json::parse(fixture(name));
}

std::string message_of(const std::string& name)
{
  return json_fixture(name)["message"].get<std::string>();
}

const std::string k_small_digest =
  "sha256:0278ecd1b8d0d96ef56fd7af4ee4eb5d8456a57949a5ff889219fcbeaf55c316";
const std::string k_index_digest =
  "sha256:591d4508dd97885c9e00e0a0efec5450f9fe01f366c55782563b9a3170948eb1";
const std::string k_arm64_digest =
  "sha256:5caf259e7dfd9e32d46ac7f72f421e85e07fc5cfc3f551b283f49aaef2c31159";

TEST(PodmanDecode, ThePingAnnouncesALibpodVersionWeAccept)
{
  std::istringstream head(fixture("ping.txt"));
  std::string version;
  for (std::string line; std::getline(head, line);) {
    if (line.starts_with("Libpod-Api-Version: ")) {
      version = line.substr(20);
    }
  }
  EXPECT_EQ(check_libpod_version(version), "4.3.1");
}

TEST(PodmanDecode, ImageGainsTheSha256PrefixAndKeepsItsRawJson)
{
  auto doc = json_fixture("image-inspect-small.json");
  ImageInfo image = decode_image(doc, "127.0.0.1:5857/bench/small:1");
  EXPECT_EQ(image.backend, "podman");
  EXPECT_EQ(image.reference, "127.0.0.1:5857/bench/small:1");
  EXPECT_EQ(image.id, "sha256:" + doc["Id"].get<std::string>());
  EXPECT_EQ(image.platform, (core::Platform{"linux", "amd64", ""}));
  EXPECT_EQ(image.repo_tags, std::vector<std::string>{"127.0.0.1:5857/bench/small:1"});
  EXPECT_EQ(image.repo_digests,
            std::vector<std::string>{"127.0.0.1:5857/bench/small@" + k_small_digest});
  EXPECT_EQ(image.digest, k_small_digest);
  EXPECT_EQ(image.created, doc["Created"]);
  EXPECT_EQ(image.size, 2028800);
  EXPECT_EQ(image.config.cmd, std::optional(std::vector<std::string>{"/bin/sh"}));
  EXPECT_EQ(image.config.entrypoint, std::nullopt);
  EXPECT_EQ(image.raw, doc);
  EXPECT_EQ(to_json(image)["platform"]["variant"], "");
}

TEST(PodmanDecode, DigestIsTheOneTheImageWasPulledByAmongEveryNameTimesEveryDigest)
{
  // Pulled by the index digest for arm64: RepoDigests lists the index first,
  // then the arm64 manifest, which is the image's own `Digest`.
  auto doc = json_fixture("image-inspect-multi-arm64-by-index.json");
  ASSERT_EQ(doc["RepoDigests"].size(), 2u);
  ImageInfo by_name = decode_image(doc, "127.0.0.1:5857/bench/multi:1");
  EXPECT_EQ(by_name.digest, k_arm64_digest);
  EXPECT_EQ(by_name.platform.architecture, "arm64");
  EXPECT_TRUE(by_name.repo_tags.empty());

  ImageInfo by_index = decode_image(doc, "127.0.0.1:5857/bench/multi@" + k_index_digest);
  EXPECT_EQ(by_index.digest, k_index_digest); // the digest asked for is the one reported

  ImageInfo by_id = decode_image(doc, doc["Id"].get<std::string>());
  EXPECT_EQ(by_id.reference, doc["Id"]);
  EXPECT_EQ(by_id.digest, k_arm64_digest);

  EXPECT_EQ(decode_image(doc, "127.0.0.1:5857/other/name:1").digest, std::nullopt);
}

TEST(PodmanDecode, ImageDriftGivesDefaultsNotExceptions)
{
  auto doc = nlohmann::json::parse(R"({"Id": 5, "RepoTags": "x:1", "RepoDigests": [3, "<none>"],
    "Size": "big", "Config": [], "Architecture": null, "Variant": "v8"})");
  ImageInfo image = decode_image(doc, "x:1");
  EXPECT_EQ(image.id, "");
  EXPECT_EQ(image.repo_tags, std::vector<std::string>{"docker.io/library/x:1"});
  EXPECT_TRUE(image.repo_digests.empty());
  EXPECT_EQ(image.size, 0);
  EXPECT_EQ(image.platform.variant, "v8"); // should a later libpod send one
  EXPECT_THROW(decode_image(nlohmann::json::array(), "x"), Error);
}

TEST(PodmanDecode, ARealExitedContainer)
{
  auto doc = json_fixture("container-inspect-exited-42.json");
  ContainerInfo c = decode_container(doc);
  EXPECT_EQ(c.backend, "podman");
  EXPECT_EQ(c.id, doc["Id"]);
  EXPECT_EQ(c.name, "fx42");
  EXPECT_EQ(c.image_id, "sha256:" + doc["Image"].get<std::string>());
  // Created from the checked image's ID: libpod names it by its repo digest.
  EXPECT_EQ(c.reference, doc["ImageName"]);
  EXPECT_EQ(c.state.status, "exited");
  EXPECT_EQ(c.state.exit_code, 42);
  EXPECT_FALSE(c.state.running);
  EXPECT_EQ(c.config.labels.at("k"), "v");
  EXPECT_EQ(c.config.cmd, std::optional(std::vector<std::string>{"sh", "-c", "exit 42"}));
  EXPECT_EQ(c.config.entrypoint, std::nullopt); // 4.3.1 sends "" for none
  EXPECT_EQ(c.config.stop_signal, "SIGTERM");   // 4.3.1 sends 15
  EXPECT_NE(std::find(c.config.env.begin(), c.config.env.end(), "A=1"), c.config.env.end());
  EXPECT_FALSE(c.tty);
  EXPECT_EQ(c.raw, doc);
  auto json = to_json(c);
  EXPECT_EQ(json["exit_code"], 42);
  EXPECT_EQ(json["name"], "fx42");
}

TEST(PodmanDecode, TheStringEntrypointOf4xIsSplitIntoWords)
{
  ContainerInfo c = decode_container(json_fixture("container-inspect-entrypoint.json"));
  EXPECT_EQ(c.config.entrypoint, std::optional(std::vector<std::string>{"/bin/sh", "-c"}));
  EXPECT_EQ(c.config.cmd, std::optional(std::vector<std::string>{"exit 3"}));
  EXPECT_EQ(c.config.stop_signal, "SIGUSR1"); // 10 on Linux, whatever the client's OS
  EXPECT_EQ(c.state.exit_code, 3);
  EXPECT_EQ(c.reference, "127.0.0.1:5857/bench/small:1");
}

TEST(PodmanDecode, ContainerStatesMapToTheUnifiedOnesAndDriftIsTolerated)
{
  auto state = [](const char* status) {
    return decode_container({{"State", {{"Status", status}}}}).state.status;
  };
  EXPECT_EQ(state("configured"), "created");
  EXPECT_EQ(state("created"), "created");
  EXPECT_EQ(state("running"), "running");
  EXPECT_EQ(state("stopping"), "running");
  EXPECT_EQ(state("stopped"), "exited");
  EXPECT_EQ(state("exited"), "exited");
  EXPECT_EQ(state("paused"), "paused");

  auto drift = decode_container(nlohmann::json::parse(R"({"Name": "/x", "State": 5,
    "Config": {"Entrypoint": ["a", "b c"], "StopSignal": "SIGINT", "Cmd": null, "Tty": "yes"}})"));
  EXPECT_EQ(drift.name, "x");
  EXPECT_EQ(drift.config.entrypoint, std::optional(std::vector<std::string>{"a", "b c"}));
  EXPECT_EQ(drift.config.stop_signal, "SIGINT");
  EXPECT_EQ(drift.config.cmd, std::nullopt);
  EXPECT_FALSE(drift.tty);
  EXPECT_EQ(decode_container({{"Config", {{"StopSignal", 77}}}}).config.stop_signal, "77");
  EXPECT_THROW(decode_container(nlohmann::json("x")), Error);
}

TEST(PodmanDecode, WaitIsABareInteger)
{
  EXPECT_EQ(decode_wait(fixture("wait-42.txt")), 42);
  // A container that never started (failed start) is "exited" with 0 at once.
  EXPECT_EQ(decode_wait(fixture("wait-created-0.txt")), 0);
  EXPECT_EQ(decode_wait("137\n"), 137);
  EXPECT_EQ(decode_wait("-1"), -1);
  EXPECT_EQ(decode_wait(R"({"StatusCode":3,"Error":null})"), 3);
  for (const char* bad : {"", "x", "4.5", "\"3\"", "{}"}) {
    SCOPED_TRACE(bad);
    {
      const Error error = test::error_of([&] { decode_wait(bad); });
      EXPECT_EQ(error.code(), Errc::protocol);
    }
  }
}

TEST(PodmanDecode, RemoveReportsCarryTheirErrors)
{
  EXPECT_EQ(decode_remove_error(fixture("remove-report.json")), "");
  EXPECT_EQ(decode_remove_error(R"([{"Id":"a","Err":"device busy","RawInput":"a"}])"),
            "device busy");
  EXPECT_EQ(decode_remove_error("not json"), "");
  EXPECT_EQ(decode_remove_error(R"({"Err":"x"})"), "");
}

TEST(PodmanDecode, TheExitCodeOfARemovedContainerIsInItsDiedEvent)
{
  EXPECT_EQ(decode_died_exit_code(fixture("events-died-3.txt")), 3);
  // The last one counts; lines without a code, or not JSON, are skipped.
  EXPECT_EQ(decode_died_exit_code(R"({"Actor":{"Attributes":{"containerExitCode":"1"}}})"
                                  "\nnot json\n"
                                  R"({"Actor":{"Attributes":{"containerExitCode":"137"}}})"
                                  "\n"
                                  R"({"Actor":{"Attributes":{}}})"),
            137);
  EXPECT_EQ(decode_died_exit_code(""), std::nullopt);
  EXPECT_EQ(decode_died_exit_code(R"({"Actor":{"Attributes":{"containerExitCode":"x1"}}})"),
            std::nullopt);
}

TEST(PodmanDecode, AttachFailuresForAUserOrWorkdirReadLikeDockers)
{
  const std::string user_id = "f233e4524833ab37bf8cdd2330d2f4398f437c53c3c333df9cf19099de6c3b96";
  EXPECT_EQ(reword_attach_error("cannot attach to container " + user_id + ": " +
                                  message_of("attach-error-no-such-user.json"),
                                user_id),
            "cannot start the container: unable to find user nosuchuser: no matching entries in "
            "passwd file");
  const std::string dir_id = "24d077b607857fd018a89b4dcd40b7901957ce2b0e0fa13d4a5aa7a70109e612";
  EXPECT_EQ(reword_attach_error("cannot attach to container " + dir_id + ": " +
                                  message_of("attach-error-workdir-not-dir.json"),
                                dir_id),
            "cannot start the container: workdir \"/etc/passwd\" exists in the container, but "
            "is not a directory");
  // Anything else stays as it is.
  EXPECT_EQ(reword_attach_error("cannot attach to container c1: connection reset", "c1"),
            "cannot attach to container c1: connection reset");
}

TEST(PodmanDecode, StartErrorsMapByPodmansOwnVerdict)
{
  EXPECT_EQ(classify_start_error(message_of("start-error-not-found.json")),
            Errc::command_not_found);
  EXPECT_EQ(classify_start_error(message_of("start-error-permission-denied.json")),
            Errc::command_not_executable);
  // The same failure when it surfaces at attach (libpod prepares the
  // container there), as api_error words it.
  EXPECT_EQ(classify_start_error("cannot attach to container c1: preparing container c1 for "
                                 "attach: runc: runc create failed: unable to start container "
                                 "process: exec: \"/tmp\": permission denied: OCI permission "
                                 "denied"),
            Errc::command_not_executable);
  EXPECT_EQ(classify_start_error("exec: \"x\": is a directory"), Errc::command_not_executable);
  EXPECT_EQ(classify_start_error("stat /x: no such file or directory"), Errc::command_not_found);
  // Podman's CLI would exit 126 for these; crun-any keeps 125 (not the command's fault).
  EXPECT_EQ(classify_start_error("runc: cgroups: cannot allocate: OCI runtime error"),
            Errc::engine_error);
}

TEST(PodmanDecode, MissingThingsAreNotFoundExceptCreatesImageNotKnown)
{
  EXPECT_EQ(api_error(404, fixture("image-inspect-missing.json"), "inspect image x").code(),
            Errc::not_found);
  EXPECT_EQ(api_error(404, fixture("container-inspect-missing.json"), "inspect x").code(),
            Errc::not_found);
  EXPECT_EQ(api_error(404, fixture("remove-missing.json"), "remove x").code(), Errc::not_found);
  // create says HTTP 500 for a missing image: the adapter recognises it.
  Error create = api_error(500, fixture("create-error-no-such-image.json"), "create a container");
  EXPECT_EQ(create.code(), Errc::engine_error);
  EXPECT_TRUE(is_image_unknown(create.message()));
  EXPECT_FALSE(is_image_unknown(message_of("start-error-not-found.json")));
}

} // namespace
} // namespace crun::backends::podman

namespace crun::backends::podman {
namespace {

TEST(PodmanDecode, InfoGivesTheHostPlatform)
{
  std::ifstream in(std::string(CRUN_TEST_FIXTURES) + "/podman/info.json");
  std::ostringstream body;
  body << in.rdbuf();
  EXPECT_EQ(decode_info_platform(nlohmann::json::parse(body.str())),
            (core::Platform{"linux", "amd64", ""}));
  EXPECT_EQ(decode_info_platform(nlohmann::json::parse(R"({"host":{"arch":"aarch64"}})")),
            (core::Platform{"linux", "arm64", ""}));
  EXPECT_THROW(decode_info_platform(nlohmann::json::parse(R"({"host":{}})")), Error);
}

} // namespace
} // namespace crun::backends::podman
