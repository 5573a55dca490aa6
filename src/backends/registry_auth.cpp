#include <crun/backends/registry_auth.hpp>

#include <crun/registry/config_credential_store.hpp>
#include <crun/util/base64.hpp>

#include <nlohmann/json.hpp>

namespace crun::backends {

std::string encode_registry_auth(const registry::Credentials& credentials, std::string_view server)
{
  nlohmann::json config = {{"serveraddress", server}};
  if (!credentials.identity_token.empty()) {
    config["identitytoken"] = credentials.identity_token;
  } else {
    config["username"] = credentials.username;
    config["password"] = credentials.password;
  }
  std::string encoded =
    util::base64_encode(config.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  for (char& c : encoded) {
    c = c == '+' ? '-' : c == '/' ? '_' : c;
  }
  return encoded;
}

void add_registry_auth(transport::HttpRequest& request, const core::ImageRef& ref,
                       const std::optional<registry::Credentials>& credentials)
{
  if (credentials) {
    std::string server = registry::docker_auth_key(ref);
    request.headers.emplace_back("X-Registry-Auth", encode_registry_auth(*credentials, server));
  }
}

} // namespace crun::backends
