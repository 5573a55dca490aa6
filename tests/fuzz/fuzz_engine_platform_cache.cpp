// libFuzzer target: the engine platform cache's parser
// (core::parse_engine_platform_cache); what parses is written back, must read
// back as itself, and is looked up. A crun::Error is a correct answer.
#include <crun/core/engine_platform_cache.hpp>
#include <crun/core/error.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

// NOLINTNEXTLINE(readability-identifier-naming): libFuzzer names the entry point
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    auto cache = crun::core::parse_engine_platform_cache(text, "engines.json");
    std::string written = crun::core::write_engine_platform_cache(cache);
    if (crun::core::parse_engine_platform_cache(written, "engines.json").entries != cache.entries) {
      std::abort();
    }
    (void)crun::core::remembered_platform(cache, "unix:///var/run/docker.sock", "x");
  } catch (const crun::Error&) {
  }
  return 0;
}
