// The docker-credential-helpers protocol (github.com/docker/docker-credential-helpers,
// client/client.go Get): `docker-credential-<name> get`, the server URL on
// stdin, {"ServerURL","Username","Secret"} on stdout; "credentials not found
// in native keychain" on stdout with a non-zero exit when there are none.

#include <crun/registry/credential_helper.hpp>

#include <crun/core/error.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

namespace crun::registry {

namespace {

constexpr std::string_view k_helper_prefix = "docker-credential-";
constexpr std::string_view k_not_found_message = "credentials not found";
// docker stores an identity token with this user name (cli/config/credentials).
constexpr std::string_view k_token_username = "<token>";

std::string json_string(const nlohmann::json& object, const char* name)
{
  auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

} // namespace

std::optional<Credentials> query_credential_helper(HelperRunner& runner, std::string_view helper,
                                                   std::string_view server_url)
{
  // A name like "../x" would run a program outside PATH: docker would, we do not.
  bool plain_name = !helper.empty() && std::all_of(helper.begin(), helper.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  }) && helper.find("..") == std::string_view::npos;
  if (!plain_name) {
    fail(Errc::invalid_input,
         "invalid credential helper name \"{}\": expected a name such as "
         "\"desktop\" or \"osxkeychain\"",
         helper);
  }
  std::string program = std::string(k_helper_prefix) + std::string(helper);
  HelperResult result = runner.run({program, "get"}, server_url);
  if (result.exit_status != 0) {
    if (result.output.find(k_not_found_message) != std::string::npos) {
      return std::nullopt;
    }
    // Its output is not quoted: a failing helper may still have printed a secret.
    fail(Errc::engine_error,
         "the credential helper {} failed for {} (exit status {}): check it with `{} list`",
         program, server_url, result.exit_status, program);
  }
  auto parsed = nlohmann::json::parse(result.output, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    fail(Errc::engine_error,
         "the credential helper {} answered for {} with something that is not its JSON", program,
         server_url);
  }
  Credentials credentials;
  credentials.source = program;
  std::string username = json_string(parsed, "Username");
  std::string secret = json_string(parsed, "Secret");
  if (secret.empty()) {
    return std::nullopt;
  }
  if (username == k_token_username) {
    credentials.identity_token = std::move(secret);
  } else {
    credentials.username = std::move(username);
    credentials.password = std::move(secret);
  }
  return credentials;
}

} // namespace crun::registry
