// libFuzzer target: the policy parser (core::parse_policy), as a whole file
// and as the "policy" member of a config file. A crun::Error is a correct
// answer.
#include <crun/core/error.hpp>
#include <crun/core/policy.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

// NOLINTNEXTLINE(readability-identifier-naming): libFuzzer names the entry point
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (auto part : {crun::core::PolicyText::whole_file, crun::core::PolicyText::policy_member}) {
    try {
      auto policy = crun::core::parse_policy(text, "policy.json", part);
      if (policy.blocked_verbs) {
        for (const auto& verb : policy.blocked_verbs->value) {
          (void)crun::core::verb_path_str(verb);
        }
      }
    } catch (const crun::Error&) {
    }
  }
  return 0;
}
