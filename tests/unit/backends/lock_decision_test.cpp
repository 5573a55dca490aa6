// The pull flow under a lock: decide_from_lock's pure decision, and a pull
// with a locked digest asking the registry nothing.
#include "support/error_of.hpp"

#include <crun/backends/pull_flow.hpp>
#include <crun/core/error.hpp>

#include <gtest/gtest.h>

namespace crun::backends {
namespace {

using crun::test::error_of;

const std::string k_index = "sha256:" + std::string(64, '1');
const std::string k_amd64 = "sha256:" + std::string(64, '2');
const std::string k_arm64 = "sha256:" + std::string(64, '3');
const std::string k_other = "sha256:" + std::string(64, '4');

core::LockFile lock()
{
  core::LockFile lock;
  lock.images.insert_or_assign("127.0.0.1:5857/bench/multi:1",
                               core::LockedImage{"1",
                                                 core::LockKind::index,
                                                 core::Digest::parse(k_index),
                                                 {{"linux/amd64", core::Digest::parse(k_amd64)},
                                                  {"linux/arm64", core::Digest::parse(k_arm64)}}});
  return lock;
}

std::optional<LockedPull> decide(const std::string& ref, const std::string& platform,
                                 const core::LockFile* held)
{
  return decide_from_lock(held, "crun-any.lock", core::ImageRef::parse(ref),
                          core::Platform::parse(platform));
}

TEST(LockDecision, NoLockOrNoEntryLeavesThePullToTheRegistry)
{
  auto held = lock();
  EXPECT_FALSE(decide("127.0.0.1:5857/bench/multi:1", "linux/amd64", nullptr));
  EXPECT_FALSE(decide("127.0.0.1:5857/bench/multi:2", "linux/amd64", &held));
  EXPECT_FALSE(decide("127.0.0.1:5857/bench/small:1", "linux/amd64", &held));
  // A reference pinned by digest alone names no tag the lock could hold.
  EXPECT_FALSE(decide("127.0.0.1:5857/bench/multi@" + k_other, "linux/amd64", &held));
}

TEST(LockDecision, ALockedTagGivesThePlatformsManifest)
{
  auto held = lock();
  auto amd64 = decide("127.0.0.1:5857/bench/multi:1", "linux/x86_64", &held);
  ASSERT_TRUE(amd64);
  EXPECT_EQ(amd64->digest.str(), k_index);
  EXPECT_EQ(amd64->manifest.str(), k_amd64);
  EXPECT_EQ(amd64->platform, "linux/amd64");
  auto arm64 = decide("127.0.0.1:5857/bench/multi:1", "linux/arm64/v8", &held);
  ASSERT_TRUE(arm64);
  EXPECT_EQ(arm64->manifest.str(), k_arm64);
}

TEST(LockDecision, APlatformTheLockLacksIsNotFoundNamingWhatItHolds)
{
  auto held = lock();
  auto error = error_of([&] { decide("127.0.0.1:5857/bench/multi:1", "linux/s390x", &held); });
  EXPECT_EQ(error.code(), Errc::not_found);
  EXPECT_EQ(error.message(),
            "the lock crun-any.lock holds 127.0.0.1:5857/bench/multi:1 for linux/amd64, "
            "linux/arm64, not linux/s390x: lock that platform with `crun-any lock --platform "
            "linux/s390x 127.0.0.1:5857/bench/multi:1`");
}

TEST(LockDecision, AnOwnDigestMustAgreeWithTheLock)
{
  auto held = lock();
  for (const auto& agreeing : {k_index, k_amd64}) {
    auto locked = decide("127.0.0.1:5857/bench/multi:1@" + agreeing, "linux/amd64", &held);
    ASSERT_TRUE(locked);
    EXPECT_EQ(locked->manifest.str(), k_amd64);
  }
  for (const auto& contradicting : {k_other, k_arm64}) {
    auto error = error_of(
      [&] { decide("127.0.0.1:5857/bench/multi:1@" + contradicting, "linux/amd64", &held); });
    EXPECT_EQ(error.code(), Errc::mismatch);
    EXPECT_TRUE(error.message().starts_with("127.0.0.1:5857/bench/multi:1@" + contradicting +
                                            " contradicts the lock crun-any.lock, which holds "
                                            "127.0.0.1:5857/bench/multi:1 at " +
                                            k_index))
      << error.message();
  }
}

} // namespace
} // namespace crun::backends
