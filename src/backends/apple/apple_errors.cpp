#include <crun/backends/apple/apple_errors.hpp>

#include <fmt/format.h>

#include <regex>

namespace crun::backends::apple {
namespace {

enum class Kind {
  unknown,
  service_down,
  keychain,
  insecure_auth,
  no_credentials,
  rosetta,
  kernel,
  platform_missing,
  command_not_found,
  command_not_executable,
  image_not_found,
  container_not_found,
  name_in_use,
  invalid_name,
  unsupported_scheme,
  host_unresolved,
  tls,
  usage,
};

bool has(std::string_view text, std::string_view what)
{
  return text.find(what) != std::string_view::npos;
}

// The image's platform is missing: `Error: platform linux/arm64[/v8]` (a
// local image without it), `unsupported platform ...` (a never-pulled index
// without it), `image sha256:... does not support required platforms` (a
// single manifest of another architecture).
bool platform_missing(std::string_view text)
{
  static const std::regex bare(
    R"((^|\n)Error: platform [a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?\s*($|\n))");
  std::string copy(text);
  return std::regex_search(copy, bare) || has(text, "unsupported platform") ||
         has(text, "does not support required platforms");
}

Kind kind_of(std::string_view text, int exit_code)
{
  // Ordered: a start failure's cause chain names a missing file, so the
  // Rosetta text is looked for before the missing executable.
  if (has(text, "XPC connection error") || has(text, "Plugins are unavailable") ||
      has(text, "failed to get a response from apiserver")) {
    return Kind::service_down;
  }
  if (has(text, "-25308") || has(text, "error querying keychain")) {
    return Kind::keychain;
  }
  if (has(text, "refusing insecure credential exchange")) {
    return Kind::insecure_auth;
  }
  if (has(text, "Rosetta is not installed") || has(text, "NSPOSIXErrorDomain Code=2")) {
    return Kind::rosetta;
  }
  if (has(text, "default kernel not configured")) {
    return Kind::kernel;
  }
  if (has(text, "failed to find target executable")) {
    return Kind::command_not_found;
  }
  if (has(text, "failed to exec target executable") ||
      (has(text, "failed to start process") && has(text, "ermission denied"))) {
    return Kind::command_not_executable;
  }
  if (platform_missing(text)) {
    return Kind::platform_missing;
  }
  if (has(text, "no credentials found for host") || has(text, "401 Unauthorized") ||
      has(text, "missing Bearer challenge")) {
    return Kind::no_credentials;
  }
  if (has(text, "image not found") || has(text, "image with reference") ||
      has(text, "InspectError") || has(text, "Image not found")) {
    return Kind::image_not_found;
  }
  if (has(text, "container not found") || has(text, "get failed: container") ||
      (has(text, "container with ID") && has(text, "not found"))) {
    return Kind::container_not_found;
  }
  if (has(text, "already exists")) {
    return Kind::name_in_use;
  }
  if (has(text, "is not a valid container ID")) {
    return Kind::invalid_name;
  }
  if (has(text, "unsupported scheme")) {
    return Kind::unsupported_scheme;
  }
  if (has(text, "failed to resolve")) {
    return Kind::host_unresolved;
  }
  if (has(text, "handshakeFailed") || has(text, "SSL routines")) {
    return Kind::tls;
  }
  if (exit_code == 64) {
    return Kind::usage;
  }
  return Kind::unknown;
}

std::string redact(std::string text, const std::vector<std::string>& secrets)
{
  for (const auto& secret : secrets) {
    if (secret.empty()) {
      continue;
    }
    for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at)) {
      text.replace(at, secret.size(), "<redacted>");
    }
  }
  return text;
}

std::string trim(std::string_view text)
{
  auto begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) {
    return {};
  }
  auto end = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(begin, end - begin + 1));
}

} // namespace

std::string first_error_line(std::string_view stderr_text)
{
  std::string fallback;
  std::size_t start = 0;
  while (start <= stderr_text.size()) {
    auto end = stderr_text.find('\n', start);
    std::string_view line = stderr_text.substr(
      start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (line.starts_with("Error:")) {
      return trim(line.substr(6));
    }
    if (fallback.empty()) {
      fallback = trim(line);
    }
    if (end == std::string_view::npos) {
      break;
    }
    start = end + 1;
  }
  return fallback;
}

bool is_cli_failure_text(std::string_view stderr_text)
{
  // Only the CLI's own `Error: ` lines are judged: a workload may well
  // print "already exists" or "not found" on its way to exit 1.
  std::string errors;
  std::size_t start = 0;
  while (start < stderr_text.size()) {
    auto end = stderr_text.find('\n', start);
    std::string_view line = stderr_text.substr(
      start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (line.starts_with("Error: ")) {
      errors.append(line).append("\n");
    }
    if (end == std::string_view::npos) {
      break;
    }
    start = end + 1;
  }
  Kind kind = kind_of(errors, 1);
  return kind != Kind::unknown && kind != Kind::usage;
}

Error classify_failure(std::string_view stderr_text, int exit_code, const FailedCommand& command,
                       const std::vector<std::string>& secrets)
{
  std::string said = redact(first_error_line(stderr_text), secrets);
  const std::string& subject = command.subject;
  const std::string& action = command.action;
  switch (kind_of(stderr_text, exit_code)) {
  case Kind::service_down:
    return Error(Errc::engine_unavailable,
                 fmt::format("Apple's container service is not running (the CLI said: {}): "
                             "start it with `container system start`",
                             said));
  case Kind::keychain:
    return Error(
      Errc::engine_error,
      fmt::format("cannot {}: the macOS keychain refused access (-25308), as it does in SSH and "
                  "other headless sessions when a login for the registry is stored; run it from "
                  "a logged-in GUI session, or unlock the keychain first "
                  "(`security unlock-keychain`), or remove the stored login with "
                  "`container registry logout HOST`",
                  action));
  case Kind::insecure_auth:
    return Error(Errc::engine_error,
                 fmt::format("cannot {}: Apple's container 1.3.1 and later refuse to "
                             "authenticate to a registry over plain HTTP (the registry asked for "
                             "credentials); serve the registry over HTTPS, or use another backend",
                             action));
  case Kind::no_credentials:
    return Error(Errc::engine_error,
                 fmt::format("cannot {}: the registry refused access ({}); Apple's container "
                             "reads no ~/.docker/config.json: log in with `docker login` or "
                             "`container registry login` so crun-any can pass the credentials",
                             action, said));
  case Kind::rosetta:
    return Error(Errc::engine_error,
                 fmt::format("cannot {}: {} images run under Rosetta on Apple silicon and "
                             "Rosetta is not installed ({}); install it with "
                             "`softwareupdate --install-rosetta --agree-to-license`",
                             action, command.platform.empty() ? "linux/amd64" : command.platform,
                             said));
  case Kind::kernel:
    return Error(Errc::engine_error,
                 fmt::format("cannot {}: Apple's container has no Linux kernel configured; "
                             "install the recommended one with "
                             "`container system kernel set --recommended`",
                             action));
  case Kind::platform_missing:
    return Error(Errc::not_found,
                 fmt::format("image {} holds no {} variant ({}): pull it with "
                             "`crun-any pull --platform {} {}`",
                             subject, command.platform.empty() ? "such" : command.platform, said,
                             command.platform.empty() ? "P" : command.platform, subject));
  case Kind::command_not_found:
    return Error(Errc::command_not_found,
                 fmt::format("the container's command was not found: {}", said));
  case Kind::command_not_executable:
    return Error(Errc::command_not_executable,
                 fmt::format("the container's command cannot be invoked: {}", said));
  case Kind::image_not_found:
    return Error(Errc::not_found, fmt::format("no such image: {}", subject));
  case Kind::container_not_found:
    return Error(Errc::not_found, fmt::format("no such container: {}", subject));
  case Kind::name_in_use:
    return Error(Errc::engine_error,
                 fmt::format("cannot {}: a container named {} exists already ({}); remove it "
                             "with `container delete --force {}` or choose another --name",
                             action, subject, said, subject));
  case Kind::invalid_name:
    return Error(Errc::engine_error,
                 fmt::format("cannot {}: {}; Apple's container IDs match "
                             "[a-zA-Z0-9][a-zA-Z0-9_.-]+ and are at most 63 characters",
                             action, said));
  case Kind::unsupported_scheme:
    return Error(Errc::engine_error,
                 fmt::format("cannot {}: this version of Apple's container refused the registry "
                             "scheme ({})",
                             action, said));
  case Kind::host_unresolved:
    return Error(
      Errc::engine_error,
      fmt::format("cannot {}: the registry's host could not be resolved ({})", action, said));
  case Kind::tls:
    return Error(
      Errc::engine_error,
      fmt::format("cannot {}: the TLS handshake with the registry failed ({})", action, said));
  case Kind::usage:
    return Error(Errc::engine_error,
                 fmt::format("cannot {}: Apple's container refused the arguments crun-any gave "
                             "it (exit 64; a version it does not know?): {}",
                             action, said));
  case Kind::unknown: break;
  }
  if (said.empty()) {
    return Error(Errc::engine_error,
                 fmt::format("cannot {}: Apple's container failed with exit {} and said nothing",
                             action, exit_code));
  }
  return Error(Errc::engine_error,
               fmt::format("cannot {}: Apple's container said: {}", action, said));
}

} // namespace crun::backends::apple
