#include <crun/backends/apple/apple_version.hpp>

#include <crun/backends/json_fields.hpp>
#include <crun/core/error.hpp>

#include <nlohmann/json.hpp>

#include <regex>
#include <tuple>

namespace crun::backends::apple {
namespace {

std::optional<AppleVersion> match_version(const std::string& text, const std::regex& pattern)
{
  std::smatch match;
  if (!std::regex_search(text, match, pattern)) {
    return std::nullopt;
  }
  try {
    return AppleVersion{std::stoi(match[1].str()), std::stoi(match[2].str()),
                        std::stoi(match[3].str())};
  } catch (const std::exception&) {
    return std::nullopt; // digits beyond int: no version we know
  }
}

// The server's version as the status reports it: a long line before 1.4.1,
// bare from 1.4.1; "" when there is none.
std::string server_version_text(const std::string& raw)
{
  auto version = parse_apple_version(raw);
  return version ? version->str() : std::string();
}

} // namespace

std::string AppleVersion::str() const
{
  return fmt::format("{}.{}.{}", major, minor, patch);
}

bool AppleVersion::at_least(int at_major, int at_minor, int at_patch) const
{
  return std::tie(major, minor, patch) >= std::tie(at_major, at_minor, at_patch);
}

std::optional<AppleVersion> parse_apple_version(std::string_view text)
{
  static const std::regex with_word(R"(version (\d+)\.(\d+)\.(\d+))");
  static const std::regex bare(R"(^\s*(\d+)\.(\d+)\.(\d+)\s*$)");
  std::string copy(text);
  if (auto version = match_version(copy, with_word)) {
    return version;
  }
  return match_version(copy, bare);
}

void require_supported(const AppleVersion& version, std::string_view executable)
{
  bool supported =
    (version.major == 0 && version.minor >= 5 && version.minor <= 12) || version.major == 1;
  if (!supported) {
    fail(Errc::engine_error,
         "Apple's container {} ({}) is not supported: crun-any drives 0.5.0 to 0.12.x and 1.x "
         "(1.4.1 or later recommended); install a supported release from "
         "https://github.com/apple/container/releases",
         version.str(), executable);
  }
}

bool is_recommended(const AppleVersion& version)
{
  return version.at_least(1, 4, 1);
}

bool status_has_format(const AppleVersion& version)
{
  return version.at_least(0, 10);
}

ServiceStatus parse_status_json(std::string_view text)
{
  auto doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !field(doc, "status").is_string()) {
    fail(Errc::protocol, "`container system status --format json` printed no status: {}",
         first_line(text).substr(0, 200));
  }
  ServiceStatus status;
  status.status = string_field(doc, "status");
  const nlohmann::json& server = field(doc, "server");
  if (server.is_object()) { // 1.4.1
    status.server_version = server_version_text(string_field(server, "version"));
    status.client_version = server_version_text(string_field(field(doc, "client"), "version"));
    status.host_architecture = string_field(field(doc, "host"), "architecture");
  } else { // 0.10 - 1.3
    status.server_version = server_version_text(string_field(doc, "apiServerVersion"));
  }
  return status;
}

ServiceStatus parse_status_text(std::string_view text, int exit_code)
{
  ServiceStatus status;
  bool says_running = text.find("is running") != std::string_view::npos &&
                      text.find("not running") == std::string_view::npos;
  status.status = exit_code == 0 && says_running ? "running" : "not running";
  return status;
}

std::string_view progress_flag_none(const AppleVersion& version)
{
  return progress_takes_value(version) ? "--progress" : "--disable-progress-updates";
}

bool progress_takes_value(const AppleVersion& version)
{
  return version.at_least(0, 7);
}

} // namespace crun::backends::apple
