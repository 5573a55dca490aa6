// decide_retry and parse_retry_after as tables: what a registry's 429/503
// and Retry-After make the client do, with the clock fixed.

#include <crun/registry/retry_policy.hpp>

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace crun::registry {
namespace {

using namespace std::chrono_literals;
using std::chrono::milliseconds;
using std::chrono::seconds;

// Sun, 06 Nov 1994 08:49:37 GMT
const auto k_now = std::chrono::sys_days{std::chrono::year{1994} / 11 / 6} + 8h + 49min + 37s;

struct RetryAfterCase {
  std::string value;
  std::optional<seconds> expected;
};

class ParseRetryAfter : public ::testing::TestWithParam<RetryAfterCase> {};

TEST_P(ParseRetryAfter, ReadsSecondsAndDates)
{
  EXPECT_EQ(parse_retry_after(GetParam().value, k_now), GetParam().expected) << GetParam().value;
}

INSTANTIATE_TEST_SUITE_P(
  Table, ParseRetryAfter,
  ::testing::Values(RetryAfterCase{"0", 0s}, RetryAfterCase{"2", 2s}, RetryAfterCase{" 120 ", 120s},
                    RetryAfterCase{"Sun, 06 Nov 1994 08:49:42 GMT", 5s},
                    RetryAfterCase{"Sun, 06 Nov 1994 08:49:37 GMT", 0s},
                    RetryAfterCase{"Sat, 05 Nov 1994 08:49:37 GMT", 0s}, // past
                    RetryAfterCase{"Mon, 07 Nov 1994 08:49:37 GMT", 86400s},
                    // Huge: "not soon", clamped rather than overflowing.
                    RetryAfterCase{"99999999999999999999999", 86400s},
                    RetryAfterCase{"Fri, 06 Nov 2099 08:49:37 GMT", 86400s},
                    RetryAfterCase{"-5", std::nullopt}, RetryAfterCase{"1.5", std::nullopt},
                    RetryAfterCase{"", std::nullopt}, RetryAfterCase{"soon", std::nullopt},
                    RetryAfterCase{"5s", std::nullopt},
                    RetryAfterCase{"Sunday, 06-Nov-94 08:49:37 GMT", std::nullopt}, // RFC 850
                    RetryAfterCase{"Sun Nov  6 08:49:37 1994", std::nullopt},       // asctime
                    RetryAfterCase{"Sun, 31 Feb 1994 08:49:37 GMT", std::nullopt},
                    RetryAfterCase{"Sun, 06 Nov 1994 25:49:37 GMT", std::nullopt},
                    RetryAfterCase{"Sun, 06 Nov 1994 08:49:37 UTC", std::nullopt}));

struct DecideCase {
  const char* name;
  int status;
  std::optional<std::string> retry_after;
  int retries;
  milliseconds waited;
  bool retry;
  milliseconds wait;
  std::string reason; ///< a part of it
};

class DecideRetry : public ::testing::TestWithParam<DecideCase> {};

TEST_P(DecideRetry, FollowsTheTable)
{
  const auto& c = GetParam();
  RetryDecision decision = decide_retry(c.status, c.retry_after, c.retries, c.waited, k_now, {});
  EXPECT_EQ(decision.retry, c.retry) << c.name;
  if (c.retry) {
    EXPECT_EQ(decision.wait, c.wait) << c.name;
  }
  EXPECT_NE(decision.reason.find(c.reason), std::string::npos) << c.name << ": " << decision.reason;
}

INSTANTIATE_TEST_SUITE_P(
  Table, DecideRetry,
  ::testing::Values(
    DecideCase{"ok is final", 200, std::nullopt, 0, 0ms, false, 0ms, ""},
    DecideCase{"404 is final", 404, std::nullopt, 0, 0ms, false, 0ms, ""},
    DecideCase{"500 is final", 500, std::nullopt, 0, 0ms, false, 0ms, ""},
    DecideCase{"429 seconds", 429, "2", 0, 0ms, true, 2000ms, ""},
    DecideCase{"503 seconds", 503, "1", 1, 500ms, true, 1000ms, ""},
    DecideCase{"429 date", 429, "Sun, 06 Nov 1994 08:49:40 GMT", 0, 0ms, true, 3000ms, ""},
    DecideCase{"429 zero", 429, "0", 2, 0ms, true, 0ms, ""},
    DecideCase{"absent: backoff 1", 429, std::nullopt, 0, 0ms, true, 500ms, ""},
    DecideCase{"absent: backoff 2", 503, std::nullopt, 1, 500ms, true, 1000ms, ""},
    DecideCase{"absent: backoff 3", 429, std::nullopt, 2, 1500ms, true, 2000ms, ""},
    DecideCase{"garbage: backoff", 429, "later please", 0, 0ms, true, 500ms, ""},
    DecideCase{"negative: backoff", 503, "-3", 1, 0ms, true, 1000ms, ""},
    DecideCase{"retries spent", 429, "1", 3, 3000ms, false, 0ms, "after 3 retries over 3.0 s"},
    DecideCase{"huge asks too much", 429, "120", 0, 0ms, false, 0ms,
               "at once, since it asked to wait 120 s (Retry-After), more than crun-any waits for "
               "a registry (10 s in all)"},
    DecideCase{"huge number", 503, "999999999999999999", 0, 0ms, false, 0ms,
               "asked to wait 86400 s"},
    DecideCase{"far date", 429, "Mon, 07 Nov 1994 08:49:37 GMT", 0, 0ms, false, 0ms,
               "asked to wait 86400 s"},
    DecideCase{"past the total", 429, "6", 1, 5000ms, false, 0ms, "asked to wait 6 s"},
    DecideCase{"exactly the total", 429, "5", 1, 5000ms, true, 5000ms, ""},
    DecideCase{"backoff past the total", 503, std::nullopt, 2, 9000ms, false, 0ms,
               "after 2 retries over 9.0 s"}),
  [](const auto& row) {
    std::string name = row.param.name;
    for (char& c : name) {
      if (!std::isalnum(static_cast<unsigned char>(c))) {
        c = '_';
      }
    }
    return name;
  });

TEST(RetryLimits, AreConfigurable)
{
  RetryLimits limits{1, 100ms, 10ms};
  EXPECT_EQ(decide_retry(429, std::nullopt, 0, 0ms, k_now, limits).wait, 10ms);
  EXPECT_FALSE(decide_retry(429, std::nullopt, 1, 10ms, k_now, limits).retry);
  EXPECT_FALSE(decide_retry(429, "1", 0, 0ms, k_now, limits).retry); // 1 s > 100 ms
}

} // namespace
} // namespace crun::registry
