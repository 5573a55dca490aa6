#include <crun/core/pull_events.hpp>

#include "support/error_of.hpp"

#include <crun/core/error.hpp>
#include <crun/core/json_lines.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace crun::core {
namespace {

using Kind = PullEvent::Kind;
using nlohmann::json;

PullEvent event(Kind kind, std::string id, std::string status, std::int64_t current,
                std::int64_t total, std::string message)
{
  PullEvent result;
  result.kind = kind;
  result.id = std::move(id);
  result.status = std::move(status);
  result.current = current;
  result.total = total;
  result.message = std::move(message);
  return result;
}

PullEvent layer(std::string id, std::string status, std::int64_t current = 0,
                std::int64_t total = 0)
{
  return event(Kind::layer, std::move(id), std::move(status), current, total, "");
}

PullEvent status(std::string message)
{
  return event(Kind::status, "", "", 0, 0, std::move(message));
}

PullEvent error(std::string message)
{
  return event(Kind::error, "", "", 0, 0, std::move(message));
}

std::string read_fixture(const std::string& name)
{
  std::ifstream file(std::string(CRUN_TEST_FIXTURES) + "/" + name, std::ios::binary);
  EXPECT_TRUE(file) << "missing fixture " << name;
  return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

// Runs a captured body through the same path the engines' adapters use: the
// line decoder, fed in awkward chunks, then the engine's pull decoder.
using Decode = std::vector<PullEvent> (*)(const json&);
std::vector<PullEvent> decode_fixture(const std::string& name, Decode decode, std::size_t chunk = 7)
{
  const std::string body = read_fixture(name);
  JsonLineDecoder lines;
  std::vector<PullEvent> events;
  for (std::size_t at = 0; at < body.size(); at += chunk) {
    lines.feed(std::string_view(body).substr(at, chunk));
    while (auto value = lines.next()) {
      for (auto& decoded : decode(*value)) {
        events.push_back(std::move(decoded));
      }
    }
  }
  lines.finish();
  return events;
}

PullProgress fold(const std::vector<PullEvent>& events)
{
  PullProgress progress;
  for (const auto& e : events) {
    progress.apply(e);
  }
  return progress;
}

// --- Docker /images/create, line by line ----------------------------------

TEST(DecodeDockerPull, PullingFromIsAStatusNamedByItsTag)
{
  EXPECT_EQ(decode_docker_pull(json::parse(R"({"status":"Pulling from bench/multi","id":"1"})")),
            std::vector<PullEvent>{status("1: Pulling from bench/multi")});
}

TEST(DecodeDockerPull, ProgressLineIsALayerEvent)
{
  const auto line = json::parse(R"({"status":"Downloading","progressDetail":{"current":1048576,)"
                                R"("total":3623807},"progress":"[==>  ]","id":"c6a83fedfae6"})");
  EXPECT_EQ(decode_docker_pull(line),
            std::vector<PullEvent>{layer("c6a83fedfae6", "Downloading", 1048576, 3623807)});
}

TEST(DecodeDockerPull, EmptyProgressDetailIsALayerWithoutCounts)
{
  EXPECT_EQ(decode_docker_pull(json::parse(
              R"({"status":"Pulling fs layer","progressDetail":{},"id":"c6a83fedfae6"})")),
            std::vector<PullEvent>{layer("c6a83fedfae6", "Pulling fs layer")});
}

TEST(DecodeDockerPull, DigestLineIsADigestEvent)
{
  const auto events = decode_docker_pull(json::parse(R"({"status":"Digest: sha256:abc"})"));
  EXPECT_EQ(events, std::vector<PullEvent>{
                      event(Kind::digest, "sha256:abc", "", 0, 0, "Digest: sha256:abc")});
}

TEST(DecodeDockerPull, StatusLineIsAStatusEvent)
{
  EXPECT_EQ(
    decode_docker_pull(
      json::parse(R"({"status":"Status: Image is up to date for 127.0.0.1:5857/bench/small:1"})")),
    std::vector<PullEvent>{status("Status: Image is up to date for 127.0.0.1:5857/bench/small:1")});
}

TEST(DecodeDockerPull, ErrorDetailWinsAndIsTheOnlyEvent)
{
  const auto line = json::parse(
    R"({"errorDetail":{"message":"no matching manifest"},"error":"deprecated text","status":"x","id":"y"})");
  EXPECT_EQ(decode_docker_pull(line), std::vector<PullEvent>{error("no matching manifest")});
}

TEST(DecodeDockerPull, DeprecatedErrorAloneIsStillAnError)
{
  EXPECT_EQ(decode_docker_pull(json::parse(R"({"error":"manifest unknown"})")),
            std::vector<PullEvent>{error("manifest unknown")});
  EXPECT_EQ(decode_docker_pull(json::parse(R"({"errorDetail":{}})")),
            std::vector<PullEvent>{error("the engine reported a pull error without a message")});
}

TEST(DecodeDockerPull, LongLayerIdsAreShortened)
{
  const std::string hex(64, 'a');
  EXPECT_EQ(decode_docker_pull(json{{"status", "Extracting"},
                                    {"id", "sha256:" + hex},
                                    {"progressDetail", json::object()}})[0]
              .id,
            std::string(12, 'a'));
}

// Drift: unknown or wrongly typed fields give fewer events, never a throw.
TEST(DecodeDockerPull, DriftIsIgnored)
{
  EXPECT_TRUE(decode_docker_pull(json::parse(R"({"aux":{"ID":"sha256:x"}})")).empty());
  EXPECT_TRUE(decode_docker_pull(json::parse(R"({"status":42,"id":"x"})")).empty());
  EXPECT_EQ(decode_docker_pull(json::parse(
              R"({"status":"Downloading","id":"x","progressDetail":{"current":"1","total":-1}})")),
            std::vector<PullEvent>{layer("x", "Downloading")});
  EXPECT_EQ(
    decode_docker_pull(json::parse(R"({"status":"Downloading","id":"x","progressDetail":[1,2]})")),
    std::vector<PullEvent>{layer("x", "Downloading")});
}

TEST(DecodeDockerPull, NonObjectIsProtocolError)
{
  auto error = test::error_of([] { decode_docker_pull(json::parse(R"(["status"])")); });
  EXPECT_EQ(error.code(), Errc::protocol);
  EXPECT_EQ(error.message(), "docker pull stream sent a JSON array where an object belongs: "
                             "\"[\\\"status\\\"]\"");
}

// --- libpod /libpod/images/pull, line by line ------------------------------

TEST(DecodeLibpodPull, StreamTextIsAStatusEvent)
{
  EXPECT_EQ(decode_libpod_pull(json::parse(R"({"stream":"Getting image source signatures\n"})")),
            std::vector<PullEvent>{status("Getting image source signatures")});
}

TEST(DecodeLibpodPull, CopyingBlobIsALayerEvent)
{
  const std::string hex = "7264a8db6415" + std::string(52, '0');
  EXPECT_EQ(decode_libpod_pull(json{{"stream", "Copying blob sha256:" + hex + "\n"}}),
            std::vector<PullEvent>{layer("7264a8db6415", "Copying")});
  EXPECT_EQ(decode_libpod_pull(json{{"stream", "Copying blob sha256:" + hex + " done\n"}}),
            std::vector<PullEvent>{layer("7264a8db6415", "Copy complete")});
  EXPECT_EQ(
    decode_libpod_pull(json{{"stream", "Copying blob 7264a8db6415 skipped: already exists\n"}}),
    std::vector<PullEvent>{layer("7264a8db6415", "Already exists")});
}

TEST(DecodeLibpodPull, SeveralLinesInOneStreamGiveSeveralEvents)
{
  EXPECT_EQ(decode_libpod_pull(json{{"stream", "Writing manifest to image destination\r\n"
                                               "Storing signatures\n\n"}}),
            (std::vector<PullEvent>{status("Writing manifest to image destination"),
                                    status("Storing signatures")}));
}

TEST(DecodeLibpodPull, ErrorLineIsAnError)
{
  EXPECT_EQ(decode_libpod_pull(json::parse(R"({"error":"initializing source: manifest unknown"})")),
            std::vector<PullEvent>{error("initializing source: manifest unknown")});
}

TEST(DecodeLibpodPull, FinalLineGivesTheImageId)
{
  const auto events = decode_libpod_pull(json::parse(R"({"images":["abc"],"id":"abc"})"));
  EXPECT_EQ(events, std::vector<PullEvent>{event(Kind::image_id, "abc", "", 0, 0, "")});
  EXPECT_EQ(decode_libpod_pull(json::parse(R"({"images":["def"]})"))[0].id, "def");
}

// Podman 6.x: every line has a status, and pullProgress carries byte counts.
TEST(DecodeLibpodPull, SixXStatusAndPullProgress)
{
  EXPECT_EQ(decode_libpod_pull(json::parse(R"({"status":"error"})")),
            std::vector<PullEvent>{error("podman reported a pull error without a message")});
  EXPECT_EQ(decode_libpod_pull(json::parse(R"({"status":"error","error":"denied"})")),
            std::vector<PullEvent>{error("denied")});
  EXPECT_EQ(
    decode_libpod_pull(json::parse(
      R"({"status":"pulling","pullProgress":{"status":"pulling","current":10,"total":-1,)"
      R"("progressComponentID":"sha256:0123456789ab0000000000000000000000000000000000000000000000000000"}})")),
    std::vector<PullEvent>{layer("0123456789ab", "Downloading", 10, 0)});
  EXPECT_EQ(
    decode_libpod_pull(json::parse(
      R"({"status":"pulling","pullProgress":{"status":"skipped","progressComponentID":"x"}})")),
    std::vector<PullEvent>{layer("x", "Already exists")});
  EXPECT_EQ(decode_libpod_pull(json::parse(R"({"status":"success","images":["i"],"id":"i"})")),
            std::vector<PullEvent>{event(Kind::image_id, "i", "", 0, 0, "")});
}

TEST(DecodeLibpodPull, DriftIsIgnoredAndNonObjectIsProtocolError)
{
  EXPECT_TRUE(
    decode_libpod_pull(json::parse(R"({"stream":7,"images":"x","pullProgress":1})")).empty());
  EXPECT_THROW(decode_libpod_pull(json("text")), Error);
}

// --- Real captures (tests/fixtures/*/README.md) ------------------------------

const std::string k_multi_index =
  "sha256:853ed836939f5b202204ec1196312c6327ab4dffc3f81fab7f8da6c6349abe71";
const std::string k_multi_ref = "127.0.0.1:5857/bench/multi@" + k_multi_index;

TEST(PullFixtures, DockerFreshPull)
{
  for (const std::size_t chunk :
       {std::size_t{1}, std::size_t{2}, std::size_t{7}, std::size_t{4096}}) {
    SCOPED_TRACE(chunk);
    const auto events = decode_fixture("docker/pull-multi-arm64.jsonl", decode_docker_pull, chunk);
    ASSERT_EQ(events.size(), 11U);
    EXPECT_EQ(events[0], status(k_multi_ref + ": Pulling from bench/multi"));
    EXPECT_EQ(events[1], layer("41850a5c8cc0", "Pulling fs layer"));
    EXPECT_EQ(events[2], layer("41850a5c8cc0", "Downloading", 36445, 1037507));
    EXPECT_EQ(events[9], event(Kind::digest, k_multi_index, "", 0, 0, "Digest: " + k_multi_index));
    const auto progress = fold(events);
    ASSERT_EQ(progress.layers().size(), 1U);
    EXPECT_EQ(progress.layers()[0], (LayerState{"41850a5c8cc0", "Pull complete", 0, 0, true}));
    EXPECT_EQ(progress.digest(), k_multi_index);
    EXPECT_EQ(progress.last_status(), "Status: Downloaded newer image for " + k_multi_ref);
    EXPECT_TRUE(progress.image_id().empty());
    EXPECT_FALSE(progress.failed());
  }
}

TEST(PullFixtures, DockerUpToDate)
{
  const auto progress =
    fold(decode_fixture("docker/pull-multi-arm64-up-to-date.jsonl", decode_docker_pull));
  EXPECT_TRUE(progress.layers().empty());
  EXPECT_EQ(progress.digest(), k_multi_index);
  EXPECT_EQ(progress.last_status(), "Status: Image is up to date for " + k_multi_ref);
}

TEST(PullFixtures, DockerBigLayer)
{
  const auto events = decode_fixture("docker/pull-big.jsonl", decode_docker_pull);
  EXPECT_EQ(events.size(), 29U);
  const auto progress = fold(events);
  ASSERT_EQ(progress.layers().size(), 1U);
  EXPECT_TRUE(progress.layers()[0].done);
  EXPECT_EQ(progress.digest(),
            "sha256:f9324425d978f12a644fbce414504669b38a2f870a34e570952a459389d49385");
}

// HTTP 200, and still a failed pull.
TEST(PullFixtures, DockerInBandErrorFailsThePull)
{
  const auto events = decode_fixture("docker/pull-error-platform.jsonl", decode_docker_pull);
  ASSERT_EQ(events.size(), 2U);
  EXPECT_EQ(events[1], error("no matching manifest for linux/s390x in the manifest list entries"));
  const auto progress = fold(events);
  EXPECT_TRUE(progress.failed());
  EXPECT_EQ(progress.error(), "no matching manifest for linux/s390x in the manifest list entries");
}

// A 404 body is not a stream line: it yields no event, so the caller must
// check the HTTP status before decoding the body as a stream.
TEST(PullFixtures, DockerHttpErrorBodyIsNotAStreamEvent)
{
  EXPECT_TRUE(decode_fixture("docker/pull-error-missing-tag.json", decode_docker_pull).empty());
}

TEST(PullFixtures, LibpodPull)
{
  const std::string id = "1033fcda16b3915ccafc8d04226b8a84ba8e565b5e1e5545e4a92a66557dd050";
  const auto events = decode_fixture("podman/libpod-pull-multi-arm64.jsonl", decode_libpod_pull);
  EXPECT_EQ(events, (std::vector<PullEvent>{
                      status("Trying to pull " + k_multi_ref + "..."),
                      status("Getting image source signatures"),
                      layer("41850a5c8cc0", "Copying"),
                      status("Copying config sha256:" + id),
                      status("Writing manifest to image destination"),
                      status("Storing signatures"),
                      event(Kind::image_id, id, "", 0, 0, ""),
                    }));
  const auto progress = fold(events);
  EXPECT_EQ(progress.image_id(), id);
  EXPECT_TRUE(progress.digest().empty());
  EXPECT_FALSE(progress.failed());
}

TEST(PullFixtures, LibpodInBandErrors)
{
  const auto missing =
    fold(decode_fixture("podman/libpod-pull-error-missing-tag.jsonl", decode_libpod_pull));
  EXPECT_TRUE(missing.failed());
  EXPECT_EQ(missing.error(),
            "initializing source docker://127.0.0.1:5857/bench/multi:crun-decoder-missing: "
            "reading manifest crun-decoder-missing in 127.0.0.1:5857/bench/multi: manifest "
            "unknown: manifest unknown");
  const auto platform =
    fold(decode_fixture("podman/libpod-pull-error-platform.jsonl", decode_libpod_pull));
  EXPECT_TRUE(platform.failed());
  EXPECT_EQ(platform.error(), "choosing an image from manifest list docker://" + k_multi_ref +
                                ": no image found in image index for architecture s390x, "
                                "variant \"\", OS linux");
}

// Podman's compat endpoint speaks Docker's stream minus Digest/Status; its
// last line names the image id, which shows up as one more "layer".
TEST(PullFixtures, PodmanCompatPullDecodesAsDocker)
{
  const auto progress = fold(decode_fixture("podman/compat-pull-small.jsonl", decode_docker_pull));
  ASSERT_EQ(progress.layers().size(), 2U);
  EXPECT_EQ(progress.layers()[0].id, "5db431cc3da9");
  EXPECT_EQ(progress.layers()[1].id, "f94f89854e83");
  EXPECT_EQ(progress.done_count(), 2U);
  EXPECT_TRUE(progress.digest().empty());
  EXPECT_FALSE(progress.failed());
}

// --- PullProgress -----------------------------------------------------------

TEST(PullProgress, LayersKeepFirstAppearanceOrderAndLatestState)
{
  const auto progress = fold({status("1: Pulling from x"), layer("b", "Pulling fs layer"),
                              layer("a", "Pulling fs layer"), layer("b", "Downloading", 5, 10),
                              layer("a", "Already exists"), layer("b", "Verifying Checksum")});
  ASSERT_EQ(progress.layers().size(), 2U);
  EXPECT_EQ(progress.layers()[0].id, "b");
  EXPECT_EQ(progress.layers()[0].status, "Verifying Checksum");
  EXPECT_EQ(progress.layers()[0].total, 0);
  EXPECT_FALSE(progress.layers()[0].done);
  EXPECT_TRUE(progress.layers()[1].done);
  EXPECT_EQ(progress.done_count(), 1U);
  EXPECT_EQ(progress.last_status(), "1: Pulling from x");
  EXPECT_EQ(progress.find("a"), &progress.layers()[1]);
  EXPECT_EQ(progress.find("zzz"), nullptr);
  EXPECT_FALSE(progress.failed());
}

TEST(PullProgress, DoneFollowsTheLatestStatus)
{
  PullProgress progress;
  progress.apply(layer("a", "Download complete"));
  EXPECT_TRUE(progress.layers()[0].done);
  progress.apply(layer("a", "Extracting", 1, 2));
  EXPECT_FALSE(progress.layers()[0].done);
  progress.apply(layer("a", "Pull complete"));
  EXPECT_TRUE(progress.layers()[0].done);
}

TEST(PullProgress, KeepsTheFirstErrorAndTheFacts)
{
  const auto progress =
    fold({event(Kind::digest, "sha256:d", "", 0, 0, "Digest: sha256:d"),
          event(Kind::image_id, "i", "", 0, 0, ""), error("first"), error("second")});
  EXPECT_EQ(progress.digest(), "sha256:d");
  EXPECT_EQ(progress.image_id(), "i");
  EXPECT_TRUE(progress.failed());
  EXPECT_EQ(progress.error(), "first");
}

} // namespace
} // namespace crun::core
