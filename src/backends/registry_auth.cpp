#include <crun/backends/registry_auth.hpp>

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
  std::string encoded = util::base64_encode(config.dump());
  for (char& c : encoded) {
    c = c == '+' ? '-' : c == '/' ? '_' : c;
  }
  return encoded;
}

} // namespace crun::backends
