#pragma once
// When a registry says "not now" (HTTP 429 Too Many Requests, 503 Service
// Unavailable), a read is tried again after a pause, as docker and podman do:
// the registry's Retry-After when it sends one (RFC 9110 §10.2.3: seconds,
// or an HTTP date), else an exponential backoff. Bounded in retries and in
// total time, so that a registry that keeps refusing fails in seconds with
// a message saying so. Pure: the caller supplies the clock's readings and
// sleeps. Only idempotent requests (GET, HEAD) may be retried; that is the
// caller's check.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace crun::registry {

struct RetryLimits {
  int max_retries = 3;                          ///< retries after the first attempt
  std::chrono::milliseconds total{10'000};      ///< waited, in all, at most
  std::chrono::milliseconds first_backoff{500}; ///< without Retry-After: 0.5 s, 1 s, 2 s...
};

struct RetryDecision {
  bool retry = false;
  std::chrono::milliseconds wait{0}; ///< when retrying: how long to pause first
  /// What the registry asked for in Retry-After (rounded up to whole
  /// seconds), when it asked in a form we read; for the message when giving up.
  std::optional<std::chrono::seconds> asked{};
  /// When not retrying a retryable status: why, to follow "crun-any gave up"
  /// ("after 3 retries over 3.5 s", "at once, since it asked to wait 120
  /// s (Retry-After), more than ..."); "" for a status that is never retried.
  std::string reason{};
};

/// True for the statuses worth another try: 429 and 503. Never fails.
bool is_retryable_status(int status);

/// What Retry-After `value` asks, relative to `now`: "120" is 120 s, an
/// IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") is the time until then (0
/// when past). std::nullopt for anything else (negative, fractional,
/// garbage, the obsolete date forms). Values too large to represent are
/// clamped to a day: they mean "not soon" either way. Never fails.
std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                      std::chrono::system_clock::time_point now);

/// Whether to try again after an answer with `status` and `retry_after` (the
/// header's value, if any), when `retries` retries have been made already and
/// `waited` has passed since the first attempt; `now` reads HTTP dates.
/// Gives up when the status is not retryable, when `limits.max_retries` are
/// spent, or when the wait would take the total past `limits.total`.
/// Never fails.
RetryDecision decide_retry(int status, const std::optional<std::string>& retry_after, int retries,
                           std::chrono::milliseconds waited,
                           std::chrono::system_clock::time_point now, const RetryLimits& limits);

} // namespace crun::registry
