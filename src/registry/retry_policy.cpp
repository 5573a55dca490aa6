#include <crun/registry/retry_policy.hpp>

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <ctime>

namespace crun::registry {

namespace {

using std::chrono::seconds;

// More than anyone waits; keeps the arithmetic far from overflow.
constexpr seconds k_clamp{24 * 3600};

std::optional<int> number(std::string_view text)
{
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < 0) {
    return std::nullopt;
  }
  return value;
}

// "Sun, 06 Nov 1994 08:49:37 GMT", the one form senders must use.
std::optional<std::chrono::system_clock::time_point> parse_imf_fixdate(std::string_view text)
{
  static constexpr std::array<std::string_view, 12> k_months = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (text.size() != 29 || text.substr(3, 2) != ", " || text[7] != ' ' || text[11] != ' ' ||
      text[16] != ' ' || text[19] != ':' || text[22] != ':' || text.substr(25) != " GMT") {
    return std::nullopt;
  }
  auto day = number(text.substr(5, 2));
  auto year = number(text.substr(12, 4));
  auto hour = number(text.substr(17, 2));
  auto minute = number(text.substr(20, 2));
  auto second = number(text.substr(23, 2));
  int month = -1;
  for (std::size_t i = 0; i < k_months.size(); ++i) {
    if (text.substr(8, 3) == k_months[i]) {
      month = static_cast<int>(i) + 1;
    }
  }
  if (!day || !year || !hour || !minute || !second || month < 0 || *day < 1 || *day > 31 ||
      *hour > 23 || *minute > 59 || *second > 60) {
    return std::nullopt;
  }
  using namespace std::chrono;
  year_month_day date{std::chrono::year{*year}, std::chrono::month{static_cast<unsigned>(month)},
                      std::chrono::day{static_cast<unsigned>(*day)}};
  if (!date.ok()) {
    return std::nullopt;
  }
  return sys_days{date} + hours{*hour} + minutes{*minute} + seconds{*second};
}

} // namespace

bool is_retryable_status(int status)
{
  return status == 429 || status == 503;
}

std::optional<seconds> parse_retry_after(std::string_view value,
                                         std::chrono::system_clock::time_point now)
{
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) {
    value.remove_prefix(1);
  }
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) {
    value.remove_suffix(1);
  }
  if (!value.empty() && value.find_first_not_of("0123456789") == std::string_view::npos) {
    // All digits: only too many of them can fail, and that means "a long time".
    auto parsed = number(value);
    return parsed ? std::min(seconds{*parsed}, k_clamp) : k_clamp;
  }
  auto when = parse_imf_fixdate(value);
  if (!when) {
    return std::nullopt;
  }
  if (*when <= now) {
    return seconds{0};
  }
  auto left = std::chrono::ceil<seconds>(*when - now);
  return std::min(left, k_clamp);
}

RetryDecision decide_retry(int status, const std::optional<std::string>& retry_after, int retries,
                           std::chrono::milliseconds waited,
                           std::chrono::system_clock::time_point now, const RetryLimits& limits)
{
  RetryDecision decision;
  if (!is_retryable_status(status)) {
    return decision;
  }
  if (retry_after) {
    decision.asked = parse_retry_after(*retry_after, now);
  }
  if (retries >= limits.max_retries) {
    decision.reason =
      fmt::format("after {} {} over {:.1f} s", retries, retries == 1 ? "retry" : "retries",
                  std::chrono::duration<double>(waited).count());
    return decision;
  }
  std::chrono::milliseconds wait = decision.asked
                                     ? std::chrono::milliseconds(*decision.asked)
                                     : limits.first_backoff * (1L << std::min(retries, 20));
  if (waited + wait > limits.total) {
    if (decision.asked) {
      decision.reason = fmt::format("at once, since it asked to wait {} s (Retry-After), more than "
                                    "crun-any waits for a registry ({} s in all)",
                                    decision.asked->count(),
                                    std::chrono::duration_cast<seconds>(limits.total).count());
    } else {
      decision.reason =
        fmt::format("after {} {} over {:.1f} s", retries, retries == 1 ? "retry" : "retries",
                    std::chrono::duration<double>(waited).count());
    }
    return decision;
  }
  decision.retry = true;
  decision.wait = wait;
  return decision;
}

} // namespace crun::registry
