#include <crun/cli/progress.hpp>

#include "progress_renderers.hpp"

#include <crun/core/error.hpp>

#include <fmt/format.h>

#include <array>
#include <utility>

namespace crun::cli {
namespace {

struct ModeName {
  ProgressMode mode;
  std::string_view name;
};

constexpr std::array<ModeName, 5> k_mode_names{{
  {ProgressMode::auto_, "auto"},
  {ProgressMode::tty, "tty"},
  {ProgressMode::plain, "plain"},
  {ProgressMode::json, "json"},
  {ProgressMode::none, "none"},
}};

class NoProgressRenderer final : public ProgressRenderer {
public:
  void on_event(const core::PullEvent& /*event*/) override {}
  void finish(const std::string& /*digest*/) override {}
};

} // namespace

ProgressMode parse_progress_mode(std::string_view text)
{
  for (const auto& entry : k_mode_names) {
    if (entry.name == text) {
      return entry.mode;
    }
  }
  fail(Errc::usage, "invalid --progress value {:?}: expected auto, tty, plain, json or none", text);
}

std::string_view progress_mode_name(ProgressMode mode) noexcept
{
  for (const auto& entry : k_mode_names) {
    if (entry.mode == mode) {
      return entry.name;
    }
  }
  return "auto";
}

std::vector<std::string_view> progress_mode_names()
{
  std::vector<std::string_view> names;
  names.reserve(k_mode_names.size());
  for (const auto& entry : k_mode_names) {
    names.push_back(entry.name);
  }
  return names;
}

ProgressMode resolve_progress_mode(ProgressMode mode, bool err_is_tty, bool dumb_terminal) noexcept
{
  if (mode != ProgressMode::auto_) {
    return mode;
  }
  return err_is_tty && !dumb_terminal ? ProgressMode::tty : ProgressMode::plain;
}

std::unique_ptr<ProgressRenderer> make_progress_renderer(ProgressMode mode, std::ostream& err,
                                                         ProgressOutput output)
{
  if (!output.clock) {
    output.clock = [] { return std::chrono::steady_clock::now(); };
  }
  if (!output.width) {
    output.width = [] { return 0U; };
  }
  switch (resolve_progress_mode(mode, output.err_is_tty, output.dumb_terminal)) {
  case ProgressMode::tty:
    return progress_detail::make_tty_renderer(err, output.color, std::move(output.clock),
                                              std::move(output.width));
  case ProgressMode::plain: return progress_detail::make_plain_renderer(err);
  case ProgressMode::json: return progress_detail::make_json_renderer(err);
  case ProgressMode::auto_: // resolved above
  case ProgressMode::none: break;
  }
  return std::make_unique<NoProgressRenderer>();
}

namespace progress_detail {

std::string human_size(std::int64_t bytes)
{
  if (bytes < 1000) {
    return fmt::format("{}B", bytes < 0 ? 0 : bytes);
  }
  constexpr std::array<std::string_view, 6> k_units{"kB", "MB", "GB", "TB", "PB", "EB"};
  double value = static_cast<double>(bytes) / 1000.0;
  std::size_t unit = 0;
  // 999.5 would print as "1000": step up before rounding can overflow the unit.
  while (value >= 999.5 && unit + 1 < k_units.size()) {
    value /= 1000.0;
    ++unit;
  }
  if (value < 9.995) {
    return fmt::format("{:.2f}{}", value, k_units[unit]);
  }
  if (value < 99.95) {
    return fmt::format("{:.1f}{}", value, k_units[unit]);
  }
  return fmt::format("{:.0f}{}", value, k_units[unit]);
}

std::string printable(std::string_view text)
{
  std::string result;
  result.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte == '\t') {
      result += ' ';
    } else if (byte < 0x20 || byte == 0x7F) {
      result += '?';
    } else if (byte == 0xC2 && i + 1 < text.size() &&
               static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(text[i + 1]) <= 0x9F) {
      // U+0080..U+009F: C1 controls, which include CSI on some terminals.
      result += '?';
      ++i;
    } else {
      result += static_cast<char>(byte);
    }
  }
  return result;
}

} // namespace progress_detail
} // namespace crun::cli
