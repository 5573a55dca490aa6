// `crun-any lock`, `lock --check`, pull and run under a lock, and `verify`,
// against the bench registry and each bench engine. Each test locks a tag
// of its own in bench/multi (pushed with the registry's HTTP API from the
// repository's own manifests, so its blobs are there), so moving it affects
// no other test. The working directory is a fresh directory: the lock is
// its crun-any.lock, found as a user's would be.
#include "support/bench_fixtures.hpp"
#include "support/temp_dir.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

namespace crun::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const char* const k_index_type = "application/vnd.oci.image.index.v1+json";
const char* const k_manifest_type = "application/vnd.oci.image.manifest.v1+json";

std::string slurp(const std::string& path)
{
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// PUT /v2/<repo>/manifests/<tag> of the bench registry; the HTTP status.
std::string put_manifest(const std::string& repo, const std::string& tag, const std::string& body,
                         const std::string& media_type)
{
  const Bench& bench = Bench::get();
  ProcessOptions options;
  options.stdin_data = body;
  options.timeout = std::chrono::seconds(60);
  auto result =
    run_process({"curl", "-sS", "--noproxy", "*", "--max-time", "30", "-X", "PUT", "-H",
                 "Content-Type: " + media_type, "--data-binary", "@-", "-o", "/dev/null", "-w",
                 "%{http_code}", "http://" + bench.registry + "/v2/" + repo + "/manifests/" + tag},
                options);
  return result.out + (result.exit_code == 0 ? "" : " " + result.err);
}

class LockTest : public EngineTest {
protected:
  void SetUp() override
  {
    EngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) {
      return;
    }
    tag = unique_name("lock");
    ref = bench.ref("bench/multi", tag);
    // The tag starts as bench/multi:1's index, byte for byte.
    index = registry_manifest("bench/multi", "1");
    ASSERT_EQ(index.status, 200) << index.error;
    ASSERT_EQ(put_manifest("bench/multi", tag, index.body, k_index_type), "201");
  }

  void TearDown() override
  {
    if (!ref.empty()) {
      engine_cli({"rmi", "-f", ref});
    }
  }

  // The tag now names the arm64 image alone: what the registry serves for
  // it has no linux/amd64 at all.
  void move_tag_to_arm64() const
  {
    auto arm64 = registry_manifest("bench/multi", bench.digest_multi_arm64);
    ASSERT_EQ(arm64.status, 200) << arm64.error;
    ASSERT_EQ(put_manifest("bench/multi", tag, arm64.body, k_manifest_type), "201");
  }

  ProcessResult in_dir(std::vector<std::string> args) const
  {
    ProcessOptions options;
    options.cwd = dir.path();
    return crun(std::move(args), options);
  }

  std::string lock_path() const { return dir.path() + "/crun-any.lock"; }

  TempDir dir{"crun-lock"};
  std::string tag, ref;
  RegistryManifest index;
};

TEST_P(LockTest, LockRecordsTheDigestsTheRegistryServesAndAgainChangesNoByte)
{
  auto locked = in_dir({"lock", ref});
  ASSERT_EQ(locked.exit_code, 0) << locked.describe();
  EXPECT_EQ(locked.out, ref + " " + index.digest + "\n");

  // What the registry serves, read with raw HTTP.
  auto served = nlohmann::json::parse(index.body);
  std::map<std::string, std::string> platforms;
  for (const auto& entry : served["manifests"]) {
    platforms[entry["platform"]["os"].get<std::string>() + "/" +
              entry["platform"]["architecture"].get<std::string>()] = entry["digest"];
  }
  ASSERT_EQ(platforms.size(), 2u);
  const std::string text = slurp(lock_path());
  auto lock = nlohmann::json::parse(text);
  EXPECT_EQ(lock["version"], 1);
  const auto& entry = lock["images"][ref];
  EXPECT_EQ(entry["tag"], tag);
  EXPECT_EQ(entry["kind"], "index");
  EXPECT_EQ(entry["digest"], index.digest);
  EXPECT_EQ(entry["platforms"], nlohmann::json(platforms));
  EXPECT_EQ(platforms["linux/amd64"], bench.digest_multi_amd64);
  EXPECT_EQ(text, lock.dump(2) + "\n"); // sorted keys, two spaces, trailing newline

  // Again, by name and with no name (every entry re-resolved): same bytes.
  ASSERT_EQ(in_dir({"lock", ref}).exit_code, 0);
  EXPECT_EQ(slurp(lock_path()), text);
  auto all = in_dir({"lock"});
  ASSERT_EQ(all.exit_code, 0) << all.describe();
  EXPECT_EQ(all.out, ref + " " + index.digest + "\n");
  EXPECT_EQ(slurp(lock_path()), text);

  // A platform the image lacks: exit 1, listing those it has; nothing written.
  auto s390x = in_dir({"lock", "--platform", "linux/s390x", ref});
  EXPECT_EQ(s390x.exit_code, 1) << s390x.describe();
  EXPECT_THAT(s390x.err, HasSubstr(ref + " has no linux/s390x image; it has linux/amd64, "
                                         "linux/arm64"));
  EXPECT_EQ(slurp(lock_path()), text);
}

TEST_P(LockTest, CheckFailsOnceTheTagMovesAndPullAndRunKeepTheLockedContent)
{
  ASSERT_EQ(in_dir({"lock", ref}).exit_code, 0);
  auto check = in_dir({"lock", "--check"});
  EXPECT_EQ(check.exit_code, 0) << check.describe();
  EXPECT_EQ(check.out, ref + " " + index.digest + "\n");

  move_tag_to_arm64();
  check = in_dir({"lock", "--check"});
  EXPECT_EQ(check.exit_code, 1) << check.describe();
  EXPECT_EQ(check.out, ref + " digest locked " + index.digest + " served " +
                         bench.digest_multi_arm64 + "\n" + ref + " linux/amd64 locked " +
                         bench.digest_multi_amd64 + " served none\n");
  EXPECT_THAT(check.err, HasSubstr("1 of 1 images no longer match the lock " + lock_path()));

  // The registry alone has no amd64 image for the tag any more...
  ProcessOptions elsewhere;
  TempDir other{"crun-nolock"};
  elsewhere.cwd = other.path();
  auto unlocked = crun({"pull", "--platform", "linux/amd64", ref}, elsewhere);
  EXPECT_EQ(unlocked.exit_code, 1) << unlocked.describe();
  EXPECT_THAT(unlocked.err, HasSubstr("has no linux/amd64 image"));

  // ... but the lock pulls and runs the amd64 content it locked.
  const std::string used = "crun-any: using the lock " + lock_path() + ": " + ref + " -> " +
                           bench.digest_multi_amd64 + " for linux/amd64\n";
  auto pulled = in_dir({"pull", "--progress", "none", "--platform", "linux/amd64", ref});
  ASSERT_EQ(pulled.exit_code, 0) << pulled.describe();
  EXPECT_EQ(pulled.out, ref + "@" + bench.digest_multi_amd64 + "\n");
  EXPECT_THAT(pulled.err, HasSubstr(used));
  auto quiet = in_dir({"pull", "-q", "--platform", "linux/amd64", ref});
  ASSERT_EQ(quiet.exit_code, 0) << quiet.describe();
  EXPECT_THAT(quiet.err, Not(HasSubstr("using the lock")));

  auto ran = in_dir({"run", "--rm", "--platform", "linux/amd64", ref, "cat", "/etc/bench-arch"});
  EXPECT_EQ(ran.exit_code, 0) << ran.describe();
  EXPECT_EQ(ran.out, "amd64\n");
  EXPECT_THAT(ran.err, HasSubstr(used));
}

TEST_P(LockTest, APlatformTheLockLacksOrADigestItContradictsIsRefused)
{
  ASSERT_EQ(in_dir({"lock", "--platform", "linux/amd64", ref}).exit_code, 0);
  const std::string holds =
    "the lock " + lock_path() + " holds " + ref + " for linux/amd64, not linux/arm64";
  auto pulled = in_dir({"pull", "--platform", "linux/arm64", ref});
  EXPECT_EQ(pulled.exit_code, 1) << pulled.describe();
  EXPECT_THAT(pulled.err, HasSubstr(holds));
  auto ran = in_dir({"run", "--rm", "--platform", "linux/arm64", ref, "true"});
  EXPECT_EQ(ran.exit_code, 125) << ran.describe();
  EXPECT_THAT(ran.err, HasSubstr(holds));

  auto contradicting = in_dir({"pull", ref + "@" + bench.digest_multi_arm64});
  EXPECT_EQ(contradicting.exit_code, 1) << contradicting.describe();
  EXPECT_THAT(contradicting.err, HasSubstr("contradicts the lock " + lock_path()));
}

TEST_P(LockTest, VerifyComparesTheLocalContentNotItsName)
{
  ASSERT_EQ(in_dir({"lock", ref}).exit_code, 0);
  auto absent = in_dir({"verify", "--platform", "linux/amd64", ref});
  EXPECT_EQ(absent.exit_code, 1) << absent.describe();
  EXPECT_THAT(absent.out, HasSubstr(ref + " linux/amd64 absent expected sha256:"));

  ASSERT_EQ(in_dir({"pull", "-q", "--platform", "linux/amd64", ref}).exit_code, 0);
  auto config =
    nlohmann::json::parse(
      registry_manifest("bench/multi", bench.digest_multi_amd64).body)["config"]["digest"]
      .get<std::string>();
  auto verified = in_dir({"verify", "--platform", "linux/amd64", ref});
  EXPECT_EQ(verified.exit_code, 0) << verified.describe();
  EXPECT_EQ(verified.out, ref + " linux/amd64 match " + config + "\n");
  auto json = in_dir({"verify", "--json", "--platform", "linux/amd64", ref});
  ASSERT_EQ(json.exit_code, 0) << json.describe();
  auto doc = nlohmann::json::parse(json.out);
  ASSERT_EQ(doc.size(), 1u);
  EXPECT_EQ(doc[0]["verdict"], "match");
  EXPECT_EQ(doc[0]["source"], "lock");
  EXPECT_EQ(doc[0]["expected"], config);
  EXPECT_EQ(doc[0]["expected_digests"]["manifest"], bench.digest_multi_amd64);

  // Another image tagged locally under the locked name.
  ASSERT_EQ(crun({"pull", "-q", bench.image_small}).exit_code, 0);
  auto retag = engine_cli({"tag", bench.image_small, ref});
  ASSERT_EQ(retag.exit_code, 0) << retag.describe();
  auto small_id = engine_cli({"image", "inspect", "--format", "{{.Id}}", bench.image_small});
  std::string id = small_id.out.substr(0, small_id.out.find('\n'));
  if (!id.starts_with("sha256:")) {
    id = "sha256:" + id; // podman prints the bare hex
  }
  auto retagged = in_dir({"verify", "--platform", "linux/amd64", ref});
  EXPECT_EQ(retagged.exit_code, 1) << retagged.describe();
  EXPECT_EQ(retagged.out, ref + " linux/amd64 mismatch local " + id + " expected " + config +
                            " (lock " + bench.digest_multi_amd64 + ")\n");

  // A local import under the registry name: no registry ever served it.
  std::string root = dir.sub("rootfs");
  std::ofstream(root + "/hello") << "imported\n";
  ASSERT_EQ(run_process({"tar", "-C", root, "-cf", dir.path() + "/rootfs.tar", "."}).exit_code, 0);
  auto imported = engine_cli({"import", dir.path() + "/rootfs.tar", ref});
  ASSERT_EQ(imported.exit_code, 0) << imported.describe();
  auto after_import = in_dir({"verify", "--json", "--platform", "linux/amd64", ref});
  EXPECT_EQ(after_import.exit_code, 1) << after_import.describe();
  auto mismatch = nlohmann::json::parse(after_import.out);
  EXPECT_EQ(mismatch[0]["verdict"], "mismatch");
  EXPECT_NE(mismatch[0]["local"], config);
  EXPECT_NE(mismatch[0]["local"], id);
}

TEST_P(LockTest, VerifyWithoutALockAsksTheRegistry)
{
  ASSERT_EQ(crun({"pull", "-q", "--platform", "linux/amd64", ref}).exit_code, 0);
  auto verified = in_dir({"verify", "--json", "--platform", "linux/amd64", ref});
  EXPECT_EQ(verified.exit_code, 0) << verified.describe();
  auto doc = nlohmann::json::parse(verified.out);
  EXPECT_EQ(doc[0]["source"], "registry");
  EXPECT_EQ(doc[0]["verdict"], "match");
  EXPECT_EQ(doc[0]["expected_digests"]["digest"], index.digest);
}

INSTANTIATE_TEST_SUITE_P(Engines, LockTest, bench_engines(), backend_name);

} // namespace
} // namespace crun::test
