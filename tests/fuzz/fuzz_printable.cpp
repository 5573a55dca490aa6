// libFuzzer target: util::escape_unprintable, the one pass every error
// message takes to the terminal. Its promise is checked, not only that it
// does not crash: the result is valid UTF-8 with no control character but
// '\n' and '\t', and text that was already so comes back unchanged.
#include <crun/util/printable.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

// The length of the valid UTF-8 sequence starting text[at] that is no
// control character (C0 but '\n' and '\t', DEL, C1), or 0.
std::size_t printable_at(std::string_view text, std::size_t at)
{
  const auto lead = static_cast<unsigned char>(text[at]);
  if (lead < 0x80) {
    return (lead >= 0x20 && lead != 0x7F) || lead == '\n' || lead == '\t' ? 1 : 0;
  }
  const std::size_t length = lead >= 0xC2 && lead <= 0xDF   ? 2
                             : lead >= 0xE0 && lead <= 0xEF ? 3
                             : lead >= 0xF0 && lead <= 0xF4 ? 4
                                                            : 0;
  if (length == 0 || at + length > text.size()) {
    return 0;
  }
  std::uint32_t code = lead & (0x7FU >> length);
  for (std::size_t i = 1; i < length; ++i) {
    const auto next = static_cast<unsigned char>(text[at + i]);
    if ((next & 0xC0) != 0x80) {
      return 0;
    }
    code = (code << 6) | (next & 0x3FU);
  }
  const std::uint32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
  if (code < least[length] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF) ||
      (code >= 0x80 && code <= 0x9F)) {
    return 0;
  }
  return length;
}

bool printable(std::string_view text)
{
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t length = printable_at(text, at);
    if (length == 0) {
      return false;
    }
    at += length;
  }
  return true;
}

} // namespace

// NOLINTNEXTLINE(readability-identifier-naming): libFuzzer names the entry point
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
  std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string shown = crun::util::escape_unprintable(text);
  if (!printable(shown) || (printable(text) && shown != text)) {
    std::abort();
  }
  return 0;
}
