// libFuzzer target: the lock file's parser (core::parse_lock_file); what
// parses is written back and looked up. A crun::Error is a correct answer.
#include <crun/core/error.hpp>
#include <crun/core/image_ref.hpp>
#include <crun/core/lock_file.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

// NOLINTNEXTLINE(readability-identifier-naming): libFuzzer names the entry point
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    auto lock = crun::core::parse_lock_file(text, "crun-any.lock");
    (void)crun::core::write_lock_file(lock);
    static const auto alpine = crun::core::ImageRef::parse("alpine");
    (void)lock.find(alpine);
  } catch (const crun::Error&) {
  }
  return 0;
}
