// libFuzzer target: the WWW-Authenticate parser
// (registry::parse_www_authenticate) and the token endpoint's answer
// (registry::decode_token_response). A crun::Error is a correct answer.
#include <crun/core/error.hpp>
#include <crun/registry/auth_challenge.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

// NOLINTNEXTLINE(readability-identifier-naming): libFuzzer names the entry point
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    if (auto challenge = crun::registry::parse_www_authenticate(text)) {
      (void)challenge->param("realm");
      (void)challenge->param("scope");
    }
  } catch (const crun::Error&) {
  }
  try {
    (void)crun::registry::decode_token_response(text);
  } catch (const crun::Error&) {
  }
  return 0;
}
