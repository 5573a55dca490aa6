#pragma once
// What Apple's `container` says about itself: `container --version` and
// `container system status [--format json]`, in every shape the supported
// versions print (apple-container-cli.md §2c, §5, §8), and which versions
// this adapter supports. Pure.

#include <optional>
#include <string>
#include <string_view>

namespace crun::backends::apple {

struct AppleVersion {
  int major = 0;
  int minor = 0;
  int patch = 0;

  /// "1.2.2". Never fails.
  std::string str() const;
  /// True when this version is at least at_major.at_minor.at_patch. Never fails.
  bool at_least(int at_major, int at_minor, int at_patch = 0) const;
  bool operator==(const AppleVersion&) const = default;
};

/// The first `version X.Y.Z` in `text`: `container --version` prints
/// "container CLI version 1.2.2 (build: release, commit: 3c4c59c)" (0.1.0
/// appended ", sdk: ..."); an apiserver before 1.4.1 reports
/// "container-apiserver version 1.2.2 (build: ...)", and a bare "1.4.1" is
/// read too. std::nullopt when there is none. Never fails.
std::optional<AppleVersion> parse_apple_version(std::string_view text);

/// Refuses a version this adapter does not drive: supported are 0.5.0 to
/// 0.12.x and every 1.x. Throws Error(Errc::engine_error) naming `version`,
/// the CLI at `executable` and the supported range (older: the JSON and flags
/// differ; 2.x and later: not known yet).
void require_supported(const AppleVersion& version, std::string_view executable);

/// True when the version recommended (1.4.1, two security fixes) or later.
bool is_recommended(const AppleVersion& version);

/// What `system status` said.
struct ServiceStatus {
  std::string status;            ///< "running", "not running", "unregistered"
  std::string server_version;    ///< "1.2.2" (parsed); empty when down or not said
  std::string client_version;    ///< 1.4.1's `client.version`; empty before
  std::string host_architecture; ///< 1.4.1's `host.architecture` ("arm64"); empty before
  bool running() const { return status == "running"; }
};

/// `system status --format json` exists from 0.10.0; before, the text form.
bool status_has_format(const AppleVersion& version);

/// Decodes `system status --format json` in every shape: 0.10-1.3
/// `{status, apiServerVersion, appRoot, installRoot, ...}` (the server's
/// version a long line), 1.4.1 `{status, client, server, host, ...}` and,
/// when the service is down, `{"status": ...}` alone. Throws
/// Error(Errc::protocol) quoting the text when it is not a JSON object with
/// a string `status`.
ServiceStatus parse_status_json(std::string_view text);

/// Decodes the text `system status` printed before 0.10
/// ("apiserver is running"; anything else with a non-zero exit is down).
/// Never fails.
ServiceStatus parse_status_text(std::string_view text, int exit_code);

/// The `--progress none` of `image pull` and `run` for `version`: 0.7 and
/// later take `--progress none`, 0.5/0.6 `--disable-progress-updates`.
/// Never fails.
std::string_view progress_flag_none(const AppleVersion& version);
bool progress_takes_value(const AppleVersion& version);

} // namespace crun::backends::apple
