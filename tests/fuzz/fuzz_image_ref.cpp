// libFuzzer target: core::ImageRef::parse and try_parse over any bytes. A
// crun::Error is a correct answer; anything else is a finding.
#include <crun/core/error.hpp>
#include <crun/core/image_ref.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

// NOLINTNEXTLINE(readability-identifier-naming): libFuzzer names the entry point
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = crun::core::ImageRef::try_parse(text);
  if (parsed) {
    (void)parsed->str();
    (void)parsed->familiar();
    (void)parsed->repository();
    (void)parsed->tag_or_latest();
    (void)parsed->without_tag();
  }
  try {
    auto ref = crun::core::ImageRef::parse(text);
    (void)ref.str();
  } catch (const crun::Error&) {
  }
  return 0;
}
