#pragma once
// A failed `container` command turned into one crun::Error. The CLI prints
// free text, nearly always with exit 1 (`Error: <text>`; before 0.10
// `Error: code: "text"`), so failures are told apart by their text
// (apple-container-cli.md §3, tests/fixtures/apple/errors.json). Pure.

#include <crun/core/error.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace crun::backends::apple {

/// What was being done, for the message.
struct FailedCommand {
  std::string action;     ///< "pull 127.0.0.1:5857/x@sha256:... for linux/arm64"
  std::string subject;    ///< the image or container named: "127.0.0.1:5857/x:1"
  std::string platform;   ///< "linux/amd64" when the command had one; "" otherwise
  std::string executable; ///< the CLI's path, named when the service is down
};

/// The text after `Error: ` of the first line that starts with it; the first
/// non-empty line when none does; "" for empty text. Never fails.
std::string first_error_line(std::string_view stderr_text);

/// Classifies `stderr_text` and `exit_code` of `command`:
///  - image / container not found -> not_found;
///  - the service is down (XPC connection error, plugins unavailable) ->
///    engine_unavailable with the hint `container system start`;
///  - the keychain refusing in a headless/SSH session (-25308), Bearer auth
///    over plain HTTP refused (1.3.1+), Rosetta missing (hint
///    `softwareupdate --install-rosetta`), no kernel (hint
///    `container system kernel set --recommended`), registry failures,
///    a name in use -> engine_error with the cause and the fix;
///  - the image holding no variant for the platform -> not_found;
///  - the workload's executable missing -> command_not_found, not
///    executable -> command_not_executable;
///  - anything else -> engine_error quoting the CLI's first Error line.
/// Every string in `secrets` is replaced by "<redacted>" in the quoted text.
/// Never throws; returns the Error to throw.
Error classify_failure(std::string_view stderr_text, int exit_code, const FailedCommand& command,
                       const std::vector<std::string>& secrets = {});

/// True when the text is one the CLI prints itself when it fails before or
/// while starting the workload (a known failure above, not the workload's
/// own stderr). Never fails.
bool is_cli_failure_text(std::string_view stderr_text);

} // namespace crun::backends::apple
