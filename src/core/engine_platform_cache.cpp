#include <crun/core/engine_platform_cache.hpp>

#include <crun/core/error.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace crun::core {

EnginePlatformCache parse_engine_platform_cache(std::string_view text, std::string_view file)
{
  EnginePlatformCache cache;
  try {
    auto doc = nlohmann::json::parse(text);
    // Compared as a JSON number: get<int>() of 1e30 is undefined.
    const auto& version = doc.at("version");
    if (!version.is_number_integer() || version != 1) {
      fail(Errc::invalid_input, "{}: unknown engine cache version {}", file, version.dump());
    }
    for (const auto& item : doc.at("engines")) {
      auto text_platform = item.at("platform").get<std::string>();
      // Only what write_engine_platform_cache() writes: a platform that
      // parsing would change (a bare architecture, an alias) is no entry.
      std::optional<Platform> platform;
      try {
        platform = Platform::parse(text_platform);
      } catch (const Error&) {
      }
      if (!platform || platform->str() != text_platform || platform->os.empty()) {
        fail(Errc::invalid_input, "{}: {} is not a platform as crun-any writes it", file,
             nlohmann::json(text_platform).dump());
      }
      cache.entries.push_back({item.at("endpoint").get<std::string>(),
                               item.at("identity").get<std::string>(), std::move(*platform)});
    }
  } catch (const nlohmann::json::exception& e) {
    fail(Errc::invalid_input, "{}: not an engine cache: {}", file, e.what());
  }
  return cache;
}

std::string write_engine_platform_cache(const EnginePlatformCache& cache)
{
  std::string text = "{\n  \"engines\": [";
  for (std::size_t i = 0; i < cache.entries.size(); ++i) {
    const EnginePlatformEntry& entry = cache.entries[i];
    nlohmann::json item = {{"endpoint", entry.endpoint},
                           {"identity", entry.identity},
                           {"platform", entry.platform.str()}};
    text += (i == 0 ? "\n    " : ",\n    ") + item.dump();
  }
  text += cache.entries.empty() ? "],\n" : "\n  ],\n";
  text += "  \"version\": 1\n}\n";
  return text;
}

std::optional<Platform> remembered_platform(const EnginePlatformCache& cache,
                                            std::string_view endpoint, std::string_view identity)
{
  for (const auto& entry : cache.entries) {
    if (entry.endpoint == endpoint) {
      return entry.identity == identity ? std::optional(entry.platform) : std::nullopt;
    }
  }
  return std::nullopt;
}

void remember_platform(EnginePlatformCache& cache, EnginePlatformEntry entry)
{
  std::erase_if(cache.entries,
                [&](const EnginePlatformEntry& old) { return old.endpoint == entry.endpoint; });
  cache.entries.push_back(std::move(entry));
  if (cache.entries.size() > k_max_engine_platforms) {
    cache.entries.erase(cache.entries.begin(),
                        cache.entries.end() - static_cast<std::ptrdiff_t>(k_max_engine_platforms));
  }
}

} // namespace crun::core
