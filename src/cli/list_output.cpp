#include <crun/cli/list_output.hpp>

#include <crun/cli/fd_buffer.hpp>
#include <crun/core/exit_codes.hpp>
#include <crun/core/format_template.hpp>
#include <crun/util/printable.hpp>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <cmath>

namespace crun::cli {

std::string short_id(std::string_view id)
{
  if (auto colon = id.find(':'); colon != std::string_view::npos) {
    id.remove_prefix(colon + 1);
  }
  return std::string(id.substr(0, 12));
}

std::string human_ago(std::int64_t then, std::int64_t now)
{
  std::int64_t s = std::max<std::int64_t>(now - then, 0);
  constexpr std::int64_t k_minute = 60, k_hour = 3600, k_day = 86400;
  std::string span;
  if (s < 1) {
    span = "Less than a second";
  } else if (s == 1) {
    span = "1 second";
  } else if (s < k_minute) {
    span = fmt::format("{} seconds", s);
  } else if (s < 2 * k_minute) {
    span = "About a minute";
  } else if (s < k_hour) {
    span = fmt::format("{} minutes", s / k_minute);
  } else if (s < 2 * k_hour) {
    span = "About an hour";
  } else if (s < 2 * k_day) {
    span = fmt::format("{} hours", s / k_hour);
  } else if (s < 14 * k_day) {
    span = fmt::format("{} days", s / k_day);
  } else if (s < 8 * 7 * k_day) {
    span = fmt::format("{} weeks", s / (7 * k_day));
  } else if (s < 2 * 365 * k_day) {
    span = fmt::format("{} months", s / (30 * k_day));
  } else {
    span = fmt::format("{} years", s / (365 * k_day));
  }
  return span + " ago";
}

std::string human_size(std::int64_t bytes)
{
  static const char* units[] = {"B", "kB", "MB", "GB", "TB", "PB"};
  auto value = static_cast<double>(bytes);
  std::size_t unit = 0;
  while (value >= 1000 && unit + 1 < std::size(units)) {
    value /= 1000;
    ++unit;
  }
  // Three significant digits, trailing zeros dropped (Go's %.3g).
  std::string text = fmt::format("{:.3g}", value);
  return text + units[unit];
}

namespace {

// The width of `text` on a terminal: its code points (the ellipsis of a cut
// COMMAND is three bytes, one column).
std::size_t columns(const std::string& text)
{
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

} // namespace

std::string render_table(const std::vector<std::string>& header,
                         const std::vector<std::vector<std::string>>& rows)
{
  std::vector<std::size_t> widths(header.size());
  auto measure = [&](const std::vector<std::string>& row) {
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], columns(row[i]));
    }
  };
  measure(header);
  std::for_each(rows.begin(), rows.end(), measure);
  std::string out;
  auto line = [&](const std::vector<std::string>& row) {
    std::string text;
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      text += row[i];
      if (i + 1 < row.size()) {
        text.append(widths[i] - columns(row[i]) + 3, ' ');
      }
    }
    out += text + "\n";
  };
  line(header);
  std::for_each(rows.begin(), rows.end(), line);
  return out;
}

void print_formatted(std::ostream& out, std::string_view format,
                     const std::vector<nlohmann::json>& rows)
{
  for (const auto& row : rows) {
    if (format == "json") {
      out << row.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    } else {
      out << core::render_template(format, row) << "\n";
    }
  }
}

int for_each_name(Context& ctx, const std::vector<std::string>& names, std::string_view what,
                  const std::function<bool(const std::string&)>& act)
{
  int code = exit_code::ok;
  for (const auto& name : names) {
    if (!act(name)) {
      ctx.io.out.flush();
      fmt::print(ctx.io.err, "crun-any: error: no such {}: {}\n", what,
                 util::escape_unprintable(name));
      code = exit_code::failed;
    }
  }
  return code;
}

} // namespace crun::cli
