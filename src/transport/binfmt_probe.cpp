#include <crun/transport/binfmt_probe.hpp>

#include "system_error_text.hpp"

#include <crun/core/binfmt_entry.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace crun::transport {
namespace {

// procfs files report size 0: read to the end rather than by size.
std::optional<std::string> read_text(const std::filesystem::path& path, std::string& why)
{
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    why = errno != 0 ? detail::errno_text(errno) : "cannot open";
    return std::nullopt;
  }
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) {
    why = "read error";
    return std::nullopt;
  }
  return text;
}

std::string_view first_word(std::string_view text)
{
  std::size_t start = text.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) {
    return {};
  }
  text.remove_prefix(start);
  return text.substr(0, text.find_first_of(" \t\r\n"));
}

struct Scan {
  bool mounted = false;
  std::vector<core::BinfmtEntry> entries;
  std::vector<std::string> notes;
};

// Reads `status`: whether the directory is a mounted binfmt_misc, and
// whether it is globally enabled.
void read_status(const std::filesystem::path& dir, Scan& scan, bool& all_disabled)
{
  const auto path = dir / "status";
  std::error_code error;
  if (!std::filesystem::exists(path, error)) {
    if (error) {
      scan.notes.push_back(fmt::format("cannot look at {}: {}", path.string(), error.message()));
    }
    return;
  }
  std::string why;
  auto text = read_text(path, why);
  if (!text) {
    scan.notes.push_back(fmt::format("cannot read {}: {}", path.string(), why));
    return;
  }
  std::string_view word = first_word(*text);
  if (word != "enabled" && word != "disabled") {
    scan.notes.push_back(fmt::format("{} says \"{}\", not \"enabled\" or \"disabled\"",
                                     path.string(), word.substr(0, 40)));
    return;
  }
  scan.mounted = true;
  all_disabled = word == "disabled";
}

void read_entries(const std::filesystem::path& dir, bool all_disabled, Scan& scan)
{
  std::error_code error;
  std::filesystem::directory_iterator it(dir, error);
  const std::filesystem::directory_iterator end;
  if (error) {
    scan.notes.push_back(fmt::format("cannot list {}: {}", dir.string(), error.message()));
    return;
  }
  for (; it != end; it.increment(error)) {
    const auto& path = it->path();
    const std::string name = path.filename().string();
    std::error_code kind_error;
    if (name == "register" || name == "status" || !it->is_regular_file(kind_error)) {
      continue;
    }
    std::string why;
    auto text = read_text(path, why);
    if (!text) {
      scan.notes.push_back(fmt::format("skipped {}: {}", path.string(), why));
      continue;
    }
    auto entry = core::try_parse_binfmt_entry(*text);
    if (!entry) {
      scan.notes.push_back(fmt::format("skipped {}: {}", path.string(), entry.problem()));
      continue;
    }
    core::BinfmtEntry value = *std::move(entry);
    // "disabled" in status: the kernel matches no entry at all.
    value.enabled = value.enabled && !all_disabled;
    scan.entries.push_back(std::move(value));
  }
  if (error) {
    scan.notes.push_back(fmt::format("stopped listing {}: {}", dir.string(), error.message()));
  }
}

} // namespace

EmulatorProbe probe_binfmt(const core::Platform& target, const core::Platform& native,
                           const std::filesystem::path& binfmt_dir)
{
  Scan scan;
  bool all_disabled = false;
  read_status(binfmt_dir, scan, all_disabled);
  if (scan.mounted) {
    read_entries(binfmt_dir, all_disabled, scan);
  }
  EmulatorProbe probe;
  probe.state = core::emulator_for(target, native, scan.mounted, scan.entries, &probe.detail);
  if (all_disabled && probe.state == core::EmulatorState::absent &&
      native.normalized().os == target.normalized().os) {
    probe.detail +=
      fmt::format("; binfmt_misc is disabled as a whole: `echo 1 > {}` turns it back on",
                  (binfmt_dir / "status").string());
  }
  for (const auto& note : scan.notes) {
    probe.detail += "; " + note;
  }
  return probe;
}

} // namespace crun::transport
