#include <crun/registry/config_credential_store.hpp>

#include <crun/core/error.hpp>
#include <crun/registry/registry_host.hpp>
#include <crun/transport/docker_endpoint.hpp>
#include <crun/util/base64.hpp>

#include <nlohmann/json.hpp>

namespace crun::registry {

namespace {

using nlohmann::json;

// The file at `path` as a JSON object; std::nullopt when it does not exist.
std::optional<json> read_json_file(const transport::FileReader& files, const std::string& path)
{
  auto text = files.read(path);
  if (!text) {
    return std::nullopt;
  }
  // No parser detail in the message: nlohmann quotes the text near the
  // error, and this text holds secrets.
  json parsed = json::parse(*text, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    fail(Errc::invalid_input, "{} is not a valid JSON object: fix it or log in again", path);
  }
  return parsed;
}

std::string string_field(const json& object, const char* name)
{
  auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

const json* find_object(const json& object, std::string_view key)
{
  auto it = object.find(key);
  return it != object.end() && it->is_object() ? &*it : nullptr;
}

// "https://host/v1/" -> "host", as docker's ConvertToHostname does.
std::string key_hostname(std::string_view key)
{
  for (std::string_view scheme : {"http://", "https://"}) {
    if (key.starts_with(scheme)) {
      key.remove_prefix(scheme.size());
    }
  }
  return std::string(key.substr(0, key.find('/')));
}

// One auths entry: {"auth": base64("user:password")} or separate fields,
// and an optional "identitytoken". std::nullopt when it holds none.
std::optional<Credentials> decode_entry(const json& entry, std::string_view key,
                                        const std::string& path)
{
  Credentials credentials;
  credentials.source = path;
  std::string auth = string_field(entry, "auth");
  if (!auth.empty()) {
    auto decoded = util::base64_decode(auth);
    auto colon = decoded ? decoded->find(':') : std::string::npos;
    if (colon == std::string::npos) {
      fail(Errc::invalid_input,
           "the \"auth\" entry for {} in {} is not base64 of \"user:password\": log in again", key,
           path);
    }
    credentials.username = decoded->substr(0, colon);
    credentials.password = decoded->substr(colon + 1);
  } else {
    credentials.username = string_field(entry, "username");
    credentials.password = string_field(entry, "password");
  }
  credentials.identity_token = string_field(entry, "identitytoken");
  if (!credentials.has_password() && credentials.identity_token.empty()) {
    return std::nullopt;
  }
  return credentials;
}

} // namespace

std::string docker_auth_key(const core::ImageRef& repo)
{
  return repo.domain() == k_docker_hub_domain ? std::string(k_docker_hub_auth_key) : repo.domain();
}

ConfigCredentialStore::ConfigCredentialStore(Env env,
                                             std::shared_ptr<const transport::FileReader> files,
                                             std::shared_ptr<HelperRunner> helpers)
  : m_env(std::move(env)), m_files(std::move(files)), m_helpers(std::move(helpers))
{
}

std::optional<Credentials> ConfigCredentialStore::find(const core::ImageRef& repo)
{
  if (auto found = from_docker_config(repo)) {
    return found;
  }
  std::vector<std::string> auth_files;
  if (auto file = m_env.get("REGISTRY_AUTH_FILE")) {
    auth_files.push_back(*file); // given explicitly, it replaces the defaults (c/image)
  } else {
    if (auto runtime = m_env.get("XDG_RUNTIME_DIR")) {
      auth_files.push_back(*runtime + "/containers/auth.json");
    }
    if (auto config = m_env.get("XDG_CONFIG_HOME")) {
      auth_files.push_back(*config + "/containers/auth.json");
    } else if (auto home = m_env.get("HOME")) {
      auth_files.push_back(*home + "/.config/containers/auth.json");
    }
  }
  for (const auto& path : auth_files) {
    if (auto found = from_auth_file(path, repo)) {
      return found;
    }
  }
  return std::nullopt;
}

std::optional<Credentials> ConfigCredentialStore::from_docker_config(
  const core::ImageRef& repo) const
{
  auto dir = transport::docker_config_dir(m_env);
  if (!dir) {
    return std::nullopt;
  }
  std::string path = *dir + "/config.json";
  auto config = read_json_file(*m_files, path);
  if (!config) {
    return std::nullopt;
  }
  std::string key = docker_auth_key(repo);

  std::string helper;
  if (const json* helpers = find_object(*config, "credHelpers")) {
    helper = string_field(*helpers, key.c_str());
  }
  if (helper.empty()) {
    helper = string_field(*config, "credsStore");
  }
  if (!helper.empty() && m_helpers) {
    try {
      if (auto found = query_credential_helper(*m_helpers, helper, key)) {
        return found;
      }
    } catch (Error& error) {
      error.add_context(
        fmt::format("asking the credential helper that {} names for {}", path, key));
      throw;
    }
  }

  const json* auths = find_object(*config, "auths");
  if (!auths) {
    return std::nullopt;
  }
  const json* entry = find_object(*auths, key);
  if (!entry) {
    // Keys written as URLs ("https://host/v2/") name their host (docker's
    // GetAuthConfig fallback).
    for (const auto& [name, value] : auths->items()) {
      if (value.is_object() && key_hostname(name) == key) {
        entry = &value;
        break;
      }
    }
  }
  return entry ? decode_entry(*entry, key, path) : std::nullopt;
}

std::optional<Credentials> ConfigCredentialStore::from_auth_file(const std::string& path,
                                                                 const core::ImageRef& repo) const
{
  auto file = read_json_file(*m_files, path);
  if (!file) {
    return std::nullopt;
  }
  const json* auths = find_object(*file, "auths");
  if (!auths) {
    return std::nullopt;
  }
  // Most specific first: "host/a/b", "host/a", "host" (c/image's
  // authKeysForRef).
  std::string key = repo.domain() + "/" + repo.path();
  for (;;) {
    if (const json* entry = find_object(*auths, key)) {
      if (auto found = decode_entry(*entry, key, path)) {
        return found;
      }
    }
    auto slash = key.rfind('/');
    if (slash == std::string::npos) {
      break;
    }
    key.resize(slash);
  }
  // Legacy keys written as URLs, Docker Hub's under its old name.
  for (const auto& [name, value] : auths->items()) {
    if (!value.is_object() || !(name.starts_with("http://") || name.starts_with("https://"))) {
      continue;
    }
    std::string host = key_hostname(name);
    if (host == "index.docker.io") {
      host = std::string(k_docker_hub_domain);
    }
    if (host == repo.domain()) {
      return decode_entry(value, name, path);
    }
  }
  return std::nullopt;
}

} // namespace crun::registry
