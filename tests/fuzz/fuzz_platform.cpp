// libFuzzer target: core::Platform::parse, with and without a native
// platform to fill in from. A crun::Error is a correct answer.
#include <crun/core/error.hpp>
#include <crun/core/platform.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

// NOLINTNEXTLINE(readability-identifier-naming): libFuzzer names the entry point
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    auto platform = crun::core::Platform::parse(text);
    (void)platform.normalized().str();
    (void)platform.matches(crun::core::Platform{"linux", "arm64", "v8"});
  } catch (const crun::Error&) {
  }
  try {
    const crun::core::Platform native{"linux", "arm", "v7"};
    (void)crun::core::Platform::parse(text, native).str();
  } catch (const crun::Error&) {
  }
  return 0;
}
