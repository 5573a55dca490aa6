#include <crun/registry/image_config.hpp>

#include <crun/core/error.hpp>

#include <nlohmann/json.hpp>

namespace crun::registry {

core::Platform decode_config_platform(std::string_view body)
{
  auto parsed = nlohmann::json::parse(body, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    fail(Errc::protocol, "the image config is not a JSON object");
  }
  auto field = [&](const char* name) {
    auto it = parsed.find(name);
    return it != parsed.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  core::Platform platform{field("os"), field("architecture"), field("variant")};
  if (platform.os.empty() || platform.architecture.empty()) {
    fail(Errc::protocol, "the image config names no os or architecture");
  }
  return platform.normalized();
}

} // namespace crun::registry
