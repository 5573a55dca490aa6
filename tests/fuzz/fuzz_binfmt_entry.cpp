// libFuzzer target: a binfmt_misc entry's parser
// (core::try_parse_binfmt_entry); a failure is a value, an Error a correct
// answer too.
#include <crun/core/binfmt_entry.hpp>
#include <crun/core/error.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

// NOLINTNEXTLINE(readability-identifier-naming): libFuzzer names the entry point
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    auto entry = crun::core::try_parse_binfmt_entry(text);
    if (entry) {
      (void)entry->interpreter.size();
    } else {
      (void)entry.problem().size();
    }
  } catch (const crun::Error&) {
  }
  return 0;
}
