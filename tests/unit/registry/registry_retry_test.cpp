// RegistryClient against a registry that says "not now" (429, 503): retried
// after Retry-After or a backoff, within the bounds, and a clear failure
// naming the registry, the status and the wait it asked for.

#include "fake_registry.hpp"
#include "test_support.hpp"

#include <crun/registry/content_digest.hpp>
#include <crun/registry/registry_client.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>

namespace crun::registry {
namespace {

using namespace std::chrono_literals;
using crun::test::FakeHttpServer;
using crun::test::FakeRequest;
using test::error_of;
using test::FakeResponse;
using test::fixture;
using Clock = std::chrono::steady_clock;

constexpr const char* k_index_type = "application/vnd.oci.image.index.v1+json";

// Answers `refusals` requests with `status` (and Retry-After `retry_after`
// when not empty), then serves the multi-arch index.
class FlakyRegistry {
public:
  FlakyRegistry(int refusals, int status, std::string retry_after)
    : m_refusals(refusals), m_status(status), m_retry_after(std::move(retry_after))
  {
  }
  std::string host() const { return m_server.host(); }
  std::vector<FakeRequest> requests() const { return m_server.requests(); }

private:
  FakeResponse handle(const FakeRequest&)
  {
    if (m_refusals < 0 || m_served++ < m_refusals) {
      FakeResponse refusal{m_status, {}, R"({"errors":[{"code":"TOOMANYREQUESTS"}]})"};
      if (!m_retry_after.empty()) {
        refusal.headers.emplace_back("Retry-After", m_retry_after);
      }
      return refusal;
    }
    return {200, {{"Content-Type", k_index_type}}, fixture("multi-index.json")};
  }

  int m_refusals; ///< < 0: refuse forever
  int m_status;
  std::string m_retry_after;
  std::atomic<int> m_served{0};
  FakeHttpServer m_server{[this](const FakeRequest& request) { return handle(request); }};
};

RegistryClient client(RetryLimits limits = {})
{
  return RegistryClient(Env{}, nullptr, RegistryClientOptions{5000ms, limits});
}

core::ImageRef ref(const FlakyRegistry& registry)
{
  return core::ImageRef::parse(registry.host() + "/bench/multi:1");
}

double seconds_since(Clock::time_point start)
{
  return std::chrono::duration<double>(Clock::now() - start).count();
}

TEST(RegistryRetry, SucceedsAfterTwo429s)
{
  FlakyRegistry registry(2, 429, "");
  auto start = Clock::now();
  auto resolved = client({3, 10s, 50ms}).resolve(ref(registry));
  EXPECT_EQ(resolved.digest, sha256_digest(fixture("multi-index.json")));
  EXPECT_EQ(registry.requests().size(), 3u);
  // Backoff without Retry-After: 50 ms, then 100 ms.
  EXPECT_GE(seconds_since(start), 0.15);
}

TEST(RegistryRetry, HonoursRetryAfterOn503)
{
  FlakyRegistry registry(1, 503, "1");
  auto start = Clock::now();
  client({3, 10s, 10ms}).resolve(ref(registry));
  EXPECT_EQ(registry.requests().size(), 2u);
  EXPECT_GE(seconds_since(start), 1.0); // the registry's 1 s, not the 10 ms backoff
  EXPECT_LT(seconds_since(start), 3.0);
}

TEST(RegistryRetry, GivesUpOnAlways429WithinTheBound)
{
  FlakyRegistry registry(-1, 429, "");
  auto start = Clock::now();
  // The real limits: 3 retries after 0.5, 1 and 2 s.
  auto error = error_of([&] { client().resolve(ref(registry)); });
  EXPECT_LT(seconds_since(start), 5.0);
  EXPECT_EQ(registry.requests().size(), 4u);
  EXPECT_EQ(error.code(), Errc::engine_error);
  EXPECT_TRUE(error.message().starts_with(
    fmt::format("the registry {} answered HTTP 429 Too Many Requests and crun-any gave up after "
                "3 retries over 3.",
                registry.host())))
    << error.message();
  EXPECT_TRUE(error.message().ends_with(" s: wait and try again (logging in may raise the limit)"))
    << error.message();
}

TEST(RegistryRetry, FailsAtOnceWhenRetryAfterIsBeyondTheCap)
{
  FlakyRegistry registry(-1, 503, "3600");
  auto start = Clock::now();
  auto error = error_of([&] { client().resolve(ref(registry)); });
  EXPECT_LT(seconds_since(start), 1.0);
  EXPECT_EQ(registry.requests().size(), 1u);
  EXPECT_EQ(error.message(),
            fmt::format("the registry {} answered HTTP 503 Service Unavailable and crun-any gave "
                        "up at once, since it asked to wait 3600 s (Retry-After), more than "
                        "crun-any waits for a registry (10 s in all): try again later",
                        registry.host()));
}

TEST(RegistryRetry, DoesNotRetryOtherStatuses)
{
  FlakyRegistry registry(-1, 500, "1");
  auto error = error_of([&] { client().resolve(ref(registry)); });
  EXPECT_EQ(registry.requests().size(), 1u);
  EXPECT_NE(error.message().find("answered HTTP 500"), std::string::npos) << error.message();
}

} // namespace
} // namespace crun::registry
