// The lifecycle requests and decoders (ps, stop, rm, logs, wait, images,
// rmi) of the HTTP engines over answers captured from the bench's dockerd
// 20.10 and Podman 4.3.1 (tests/fixtures/*/README.md), and of Apple's CLI
// over both JSON generations (tests/fixtures/apple).

#include <crun/backends/lifecycle.hpp>

#include "backends_test_support.hpp"
#include "support/error_of.hpp"

#include <crun/backends/apple/apple_lifecycle.hpp>
#include <crun/backends/http_lifecycle.hpp>

#include <gtest/gtest.h>

namespace {

using namespace crun::backends;
using crun::Errc;
using crun::test::error_of;
using crun::test::fixture;
using crun::test::json_fixture;

TEST(LifecycleTime, Rfc3339BothWays)
{
  EXPECT_EQ(rfc3339_from_unix(1796072624), "2026-11-30T21:03:44Z");
  EXPECT_EQ(rfc3339_from_unix(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(unix_from_rfc3339("2026-11-30T21:03:54.647976258Z"), 1796072634);
  EXPECT_EQ(unix_from_rfc3339("2026-11-30T22:03:54+01:00"), 1796072634);
  EXPECT_EQ(unix_from_rfc3339("2026-11-30"), std::nullopt);
  EXPECT_EQ(unix_from_rfc3339("2026-13-30T21:03:54Z"), std::nullopt);
  EXPECT_EQ(unix_from_rfc3339(""), std::nullopt);
}

TEST(LifecycleLabels, EveryFilterMustHold)
{
  std::map<std::string, std::string> labels{{"a", "1"}, {"b", ""}};
  EXPECT_TRUE(labels_match(labels, {}));
  EXPECT_TRUE(labels_match(labels, {"a"}));
  EXPECT_TRUE(labels_match(labels, {"a=1", "b"}));
  EXPECT_TRUE(labels_match(labels, {"b="}));
  EXPECT_FALSE(labels_match(labels, {"a=2"}));
  EXPECT_FALSE(labels_match(labels, {"a", "c"}));
}

TEST(HttpLifecycleRequests, DockerSpelling)
{
  LifecycleSpelling docker;
  EXPECT_EQ(make_container_list_request("/v1.41", {.all = true, .label_filters = {"k=v"}}).target,
            "/v1.41/containers/json?all=true&filters=%7B%22label%22%3A%5B%22k%3Dv%22%5D%7D");
  EXPECT_EQ(make_container_list_request("/v1.41", {}).target, "/v1.41/containers/json?all=false");
  auto stop = make_stop_request("/v1.41", docker, "web", 1);
  EXPECT_EQ(stop.method, "POST");
  EXPECT_EQ(stop.target, "/v1.41/containers/web/stop?t=1");
  EXPECT_EQ(make_stop_request("/v1.41", docker, "web", std::nullopt).target,
            "/v1.41/containers/web/stop");
  auto rm = make_container_remove_request("/v1.41", "web", {.force = true, .volumes = false});
  EXPECT_EQ(rm.method, "DELETE");
  EXPECT_EQ(rm.target, "/v1.41/containers/web?force=true&v=false&volumes=false");
  EXPECT_EQ(
    make_logs_request("/v1.41", "web", {.follow = true, .tail = 1}).target,
    "/v1.41/containers/web/logs?stdout=true&stderr=true&follow=true&timestamps=false&tail=1");
  EXPECT_EQ(
    make_logs_request("/v1.41", "web", {}).target,
    "/v1.41/containers/web/logs?stdout=true&stderr=true&follow=false&timestamps=false&tail=all");
  EXPECT_EQ(make_wait_exit_request("/v1.41", docker, "web").target,
            "/v1.41/containers/web/wait?condition=not-running");
  EXPECT_EQ(make_image_list_request("/v1.41", docker).target, "/v1.41/images/json?digests=true");
  auto rmi = make_image_remove_request("/v1.41", "127.0.0.1:5857/x:1", false);
  EXPECT_EQ(rmi.method, "DELETE");
  EXPECT_EQ(rmi.target, "/v1.41/images/127.0.0.1:5857/x:1?force=false");
}

TEST(HttpLifecycleRequests, LibpodSpelling)
{
  LifecycleSpelling libpod{
    .stop_timeout = "timeout", .wait_condition = "", .image_list_digests = false};
  EXPECT_EQ(make_stop_request("/v4.3.1/libpod", libpod, "web", 1).target,
            "/v4.3.1/libpod/containers/web/stop?timeout=1");
  EXPECT_EQ(make_wait_exit_request("/v4.3.1/libpod", libpod, "web").target,
            "/v4.3.1/libpod/containers/web/wait");
  EXPECT_EQ(make_image_list_request("/v4.3.1/libpod", libpod).target, "/v4.3.1/libpod/images/json");
}

TEST(HttpLifecycleDecode, DockerContainerList)
{
  auto rows = decode_container_list(json_fixture("docker/container-list-exited-42.json"), "docker");
  ASSERT_EQ(rows.size(), 1U);
  const auto& row = rows[0];
  EXPECT_EQ(row.backend, "docker");
  EXPECT_EQ(row.id, "04d52c8a422924b518ed5fe02f5f99d13cbab04d2b73975738c6f0d7340a5687");
  EXPECT_EQ(row.name, "crun-lc-fixture");
  EXPECT_EQ(row.reference, "127.0.0.1:5857/bench/small:1");
  EXPECT_EQ(row.image_id,
            "sha256:124a4afd2808dc4b2230e7ac296980c41a645ea9a270ae900eed46f091a34434");
  EXPECT_EQ(row.command, "sh -c 'exit 42'");
  EXPECT_EQ(row.created, "2026-11-30T21:03:44Z");
  EXPECT_EQ(row.created_unix, 1796072624);
  EXPECT_EQ(row.status, "exited");
  EXPECT_FALSE(row.running);
  EXPECT_EQ(row.exit_code, 42);
  EXPECT_EQ(row.status_text, "Exited (42) 9 seconds ago");
  EXPECT_EQ(row.labels.at("io.crun-any.platform"), "linux/amd64");

  auto doc = to_json(row);
  EXPECT_EQ(doc.at("state").at("exit_code"), 42);
  EXPECT_EQ(doc.at("name"), "crun-lc-fixture");
  EXPECT_EQ(doc.at("kind"), "container");
}

TEST(HttpLifecycleDecode, LibpodContainerList)
{
  auto rows = decode_container_list(json_fixture("podman/container-list-exited-42.json"), "podman");
  ASSERT_EQ(rows.size(), 1U);
  const auto& row = rows[0];
  EXPECT_EQ(row.name, "crun-lc-fixture");
  EXPECT_EQ(row.image_id,
            "sha256:124a4afd2808dc4b2230e7ac296980c41a645ea9a270ae900eed46f091a34434");
  EXPECT_EQ(row.command, "sh -c echo out; echo err >&2; exit 42");
  EXPECT_EQ(row.created, "2026-11-30T21:03:54Z");
  EXPECT_EQ(row.status, "exited");
  EXPECT_EQ(row.exit_code, 42);
  EXPECT_EQ(row.status_text, "");
  EXPECT_EQ(row.labels.at("io.crun-any.platform"), "linux/amd64");
}

TEST(HttpLifecycleDecode, NotAnArrayIsAProtocolError)
{
  EXPECT_EQ(error_of([] { decode_container_list(nlohmann::json::object(), "docker"); }).code(),
            Errc::protocol);
  EXPECT_EQ(error_of([] { decode_image_list(nlohmann::json("x"), "docker"); }).code(),
            Errc::protocol);
}

TEST(HttpLifecycleDecode, DockerImageList)
{
  auto rows = decode_image_list(json_fixture("docker/image-list-digests.json"), "docker");
  ASSERT_GE(rows.size(), 3U);
  auto small = std::find_if(rows.begin(), rows.end(), [](const ImageSummary& r) {
    return !r.repo_tags.empty() && r.repo_tags[0] == "127.0.0.1:5857/bench/small:1";
  });
  ASSERT_NE(small, rows.end());
  EXPECT_EQ(small->id, "sha256:124a4afd2808dc4b2230e7ac296980c41a645ea9a270ae900eed46f091a34434");
  ASSERT_EQ(small->repo_digests.size(), 1U);
  EXPECT_EQ(small->repo_digests[0],
            "127.0.0.1:5857/bench/small@sha256:"
            "d22fae1aa8113ff12195ad5dcc56ada315d4510e2e8451c152edfddc4a549666");
  EXPECT_GT(small->size, 0);
  EXPECT_FALSE(small->created.empty());
  // An image known by digest only has no tags (RepoTags null).
  EXPECT_TRUE(std::any_of(rows.begin(), rows.end(),
                          [](const ImageSummary& r) { return r.repo_tags.empty(); }));
}

TEST(HttpLifecycleDecode, LibpodImageListLeavesDigestNamesOutOfTags)
{
  auto rows = decode_image_list(json_fixture("podman/image-list.json"), "podman");
  ASSERT_FALSE(rows.empty());
  for (const auto& row : rows) {
    EXPECT_TRUE(row.id.starts_with("sha256:")) << row.id;
    for (const auto& tag : row.repo_tags) {
      EXPECT_EQ(tag.find('@'), std::string::npos) << tag;
    }
  }
  auto multi = std::find_if(rows.begin(), rows.end(), [](const ImageSummary& r) {
    return std::find(r.repo_tags.begin(), r.repo_tags.end(), "127.0.0.1:5857/bench/multi:1") !=
           r.repo_tags.end();
  });
  ASSERT_NE(multi, rows.end());
  EXPECT_EQ(multi->created_unix, 1796013372);
}

TEST(HttpLifecycleDecode, WaitOfBothEngines)
{
  EXPECT_EQ(decode_wait_exit(fixture("docker/wait-42.json")), 42);
  EXPECT_EQ(decode_wait_exit(fixture("podman/wait-42.txt")), 42);
  EXPECT_EQ(decode_wait_exit(R"({"StatusCode":0,"Error":null})"), 0);
  EXPECT_EQ(
    error_of([] { decode_wait_exit(R"({"StatusCode":1,"Error":{"Message":"boom"}})"); }).code(),
    Errc::engine_error);
  EXPECT_EQ(error_of([] { decode_wait_exit("nope"); }).code(), Errc::protocol);
}

TEST(HttpLifecycleDecode, RemoveReports)
{
  EXPECT_EQ(decode_remove_report_error(""), "");
  EXPECT_EQ(decode_remove_report_error(fixture("podman/remove-report.json")), "");
  EXPECT_EQ(decode_remove_report_error(R"([{"Id":"x","Err":"it is running"}])"), "it is running");
  EXPECT_EQ(decode_remove_report_error(R"({"Errors":["in use"]})"), "in use");
  EXPECT_EQ(decode_image_remove_lines(R"([{"Untagged":"x:1"},{"Deleted":"sha256:ab"}])"),
            (std::vector<std::string>{"Untagged: x:1", "Deleted: sha256:ab"}));
  EXPECT_EQ(decode_image_remove_lines(R"({"Untagged":["x:1"],"Deleted":["ab"],"ExitCode":0})"),
            (std::vector<std::string>{"Untagged: x:1", "Deleted: sha256:ab"}));
}

TEST(HttpLifecycleDecode, LibpodLogsDemultiplexApart)
{
  // The logs body of a Tty=false container is the attach framing: the same
  // decoder as run's console keeps stdout and stderr apart.
  std::string out, err;
  crun::core::FrameDecoder decoder;
  decoder.feed(fixture("podman/logs-multiplexed.bin"),
               [&](crun::core::Stream stream, std::string_view piece) {
                 (stream == crun::core::Stream::out ? out : err).append(piece);
               });
  decoder.finish();
  EXPECT_EQ(out, "out\n");
  EXPECT_EQ(err, "err\n");
  EXPECT_EQ(fixture("docker/logs-multiplexed.bin"), "");
}

TEST(HttpLifecycleDecode, ExitCodeFromDockerStatus)
{
  EXPECT_EQ(exit_code_from_status("Exited (42) 3 seconds ago"), 42);
  EXPECT_EQ(exit_code_from_status("Exited (0) Less than a second ago"), 0);
  EXPECT_EQ(exit_code_from_status("Up 3 seconds"), std::nullopt);
  EXPECT_EQ(exit_code_from_status("Exited (x)"), std::nullopt);
}

TEST(AppleLifecycle, ArgsAndRefusals)
{
  EXPECT_EQ(apple::list_args(true), (apple::Args{"list", "--all", "--format", "json"}));
  EXPECT_EQ(apple::list_args(false), (apple::Args{"list", "--format", "json"}));
  EXPECT_EQ(apple::stop_args("web", 1), (apple::Args{"stop", "--time", "1", "web"}));
  EXPECT_EQ(apple::delete_args("web", {.force = true}), (apple::Args{"delete", "--force", "web"}));
  EXPECT_EQ(error_of([] { apple::delete_args("web", {.volumes = true}); }).code(), Errc::usage);
  EXPECT_EQ(apple::logs_args("web", {.follow = true, .tail = 2}),
            (apple::Args{"logs", "--follow", "-n", "2", "web"}));
  EXPECT_EQ(error_of([] {
              apple::logs_args("web", {.follow = false, .tail = std::nullopt, .timestamps = true});
            }).code(),
            Errc::usage);
  EXPECT_EQ(apple::image_list_args(), (apple::Args{"image", "list", "--format", "json"}));
  EXPECT_EQ(apple::image_delete_args("x:1", false), (apple::Args{"image", "delete", "x:1"}));
  EXPECT_EQ(error_of([] { apple::image_delete_args("x:1", true); }).code(), Errc::usage);
}

TEST(AppleLifecycle, ContainerListOfBothGenerations)
{
  for (const char* path :
       {"apple/0.12/container-list-all.json", "apple/1.2/container-list-all.json"}) {
    SCOPED_TRACE(path);
    auto rows = apple::decode_container_list(json_fixture(path));
    ASSERT_EQ(rows.size(), 2U);
    EXPECT_EQ(rows[0].id, "web");
    EXPECT_EQ(rows[0].name, "web");
    EXPECT_EQ(rows[0].reference, "127.0.0.1:5857/bench/small:1");
    EXPECT_EQ(rows[0].command, "sleep 300");
    EXPECT_TRUE(rows[0].running);
    EXPECT_EQ(rows[0].status, "running");
    EXPECT_EQ(rows[1].id, "job");
    EXPECT_FALSE(rows[1].running);
    EXPECT_EQ(rows[1].status, "exited");
    EXPECT_EQ(rows[1].exit_code, std::nullopt); // apple/container#1501
  }
  EXPECT_TRUE(
    apple::decode_container_list(json_fixture("apple/1.2/container-list-empty.json")).empty());
}

TEST(AppleLifecycle, ImageListOfBothGenerations)
{
  crun::core::Platform arm64{"linux", "arm64", ""};
  auto old_rows = apple::decode_image_list(json_fixture("apple/0.12/image-list.json"), arm64);
  ASSERT_EQ(old_rows.size(), 2U);
  EXPECT_EQ(old_rows[1].repo_tags, (std::vector<std::string>{"127.0.0.1:5857/bench/small:1"}));
  EXPECT_EQ(old_rows[1].id,
            "sha256:e25a0940e39caf5b6cc8c4362b204061727af602c133ea415134dfc7b53c0737");

  auto new_rows = apple::decode_image_list(json_fixture("apple/1.2/image-list.json"), arm64);
  ASSERT_EQ(new_rows.size(), 2U);
  EXPECT_EQ(new_rows[0].repo_tags, (std::vector<std::string>{"127.0.0.1:5857/bench/multi:1"}));
  EXPECT_FALSE(new_rows[0].created.empty());
  EXPECT_EQ(to_json(new_rows[0]).at("kind"), "image");
}

} // namespace
