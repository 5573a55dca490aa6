// libFuzzer target: the pull record's parser (core::parse_pull_record); what
// parses is written back and searched. A crun::Error is a correct answer.
#include <crun/core/error.hpp>
#include <crun/core/platform.hpp>
#include <crun/core/pull_record.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

// NOLINTNEXTLINE(readability-identifier-naming): libFuzzer names the entry point
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    auto record = crun::core::parse_pull_record(text, "pulls.json");
    (void)crun::core::write_pull_record(record);
    (void)crun::core::recorded_digests(record, "docker.io/library/alpine",
                                       crun::core::Platform{"linux", "amd64", ""});
  } catch (const crun::Error&) {
  }
  return 0;
}
