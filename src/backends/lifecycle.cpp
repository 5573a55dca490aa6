#include <crun/backends/lifecycle.hpp>

#include <fmt/format.h>

#include <charconv>
#include <chrono>

namespace crun::backends {

nlohmann::json to_json(const ContainerSummary& row)
{
  return {
    {"kind", "container"},
    {"backend", row.backend},
    {"id", row.id},
    {"name", row.name},
    {"reference", row.reference},
    {"image_id", row.image_id},
    {"command", row.command},
    {"created", row.created},
    {"state",
     {{"status", row.status},
      {"running", row.running},
      {"exit_code", row.exit_code ? nlohmann::json(*row.exit_code) : nlohmann::json(nullptr)}}},
    {"status_text", row.status_text},
    {"labels", row.labels},
  };
}

nlohmann::json to_json(const ImageSummary& row)
{
  return {
    {"kind", "image"},
    {"backend", row.backend},
    {"id", row.id},
    {"repo_tags", row.repo_tags},
    {"repo_digests", row.repo_digests},
    {"created", row.created},
    {"size", row.size},
    {"labels", row.labels},
  };
}

bool labels_match(const std::map<std::string, std::string>& labels,
                  const std::vector<std::string>& filters)
{
  for (const auto& filter : filters) {
    auto eq = filter.find('=');
    auto it = labels.find(filter.substr(0, eq));
    if (it == labels.end()) {
      return false;
    }
    if (eq != std::string::npos && it->second != filter.substr(eq + 1)) {
      return false;
    }
  }
  return true;
}

std::string rfc3339_from_unix(std::int64_t seconds)
{
  using namespace std::chrono;
  sys_seconds time{std::chrono::seconds(seconds)};
  auto days = floor<std::chrono::days>(time);
  year_month_day date{days};
  hh_mm_ss clock{time - days};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                     clock.hours().count(), clock.minutes().count(), clock.seconds().count());
}

namespace {

// Reads `width` digits at `pos`; false when they are not digits.
bool digits(std::string_view text, std::size_t pos, std::size_t width, int& value)
{
  if (pos + width > text.size()) {
    return false;
  }
  const char* first = text.data() + pos;
  auto [end, ec] = std::from_chars(first, first + width, value);
  return ec == std::errc() && end == first + width;
}

} // namespace

std::optional<std::int64_t> unix_from_rfc3339(std::string_view text)
{
  using namespace std::chrono;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (!digits(text, 0, 4, y) || text.size() < 19 || text[4] != '-' || !digits(text, 5, 2, mo) ||
      text[7] != '-' || !digits(text, 8, 2, d) || (text[10] != 'T' && text[10] != ' ') ||
      !digits(text, 11, 2, h) || text[13] != ':' || !digits(text, 14, 2, mi) || text[16] != ':' ||
      !digits(text, 17, 2, s)) {
    return std::nullopt;
  }
  year_month_day date{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!date.ok()) {
    return std::nullopt;
  }
  std::size_t pos = 19;
  while (pos < text.size() && (text[pos] == '.' || (text[pos] >= '0' && text[pos] <= '9'))) {
    ++pos;
  }
  std::int64_t offset = 0;
  if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int oh = 0, om = 0;
    if (!digits(text, pos + 1, 2, oh) || !digits(text, pos + 4, 2, om)) {
      return std::nullopt;
    }
    offset = (text[pos] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
  } else if (pos >= text.size() || text[pos] != 'Z') {
    return std::nullopt;
  }
  std::int64_t days = sys_days{date}.time_since_epoch().count();
  return days * 86400 + h * 3600 + mi * 60 + s - offset;
}

} // namespace crun::backends
