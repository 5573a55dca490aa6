#include <crun/util/printable.hpp>

namespace crun::util {
namespace {

bool in(unsigned char byte, unsigned char low, unsigned char high)
{
  return byte >= low && byte <= high;
}

// The length of the valid UTF-8 sequence at text[at], or 0 when the bytes
// there are not one. The second byte's range excludes overlong forms
// (E0 80-9F, F0 80-8F), surrogates (ED A0-BF) and code points above
// U+10FFFF (F4 90-BF), as RFC 3629's table does.
std::size_t sequence_length(std::string_view text, std::size_t at)
{
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[at + i]); };
  const unsigned char lead = byte(0);
  std::size_t length = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (lead < 0x80) {
    return 1;
  }
  if (in(lead, 0xC2, 0xDF)) {
    length = 2;
  } else if (in(lead, 0xE0, 0xEF)) {
    length = 3;
    low = lead == 0xE0 ? 0xA0 : 0x80;
    high = lead == 0xED ? 0x9F : 0xBF;
  } else if (in(lead, 0xF0, 0xF4)) {
    length = 4;
    low = lead == 0xF0 ? 0x90 : 0x80;
    high = lead == 0xF4 ? 0x8F : 0xBF;
  } else {
    return 0; // a continuation byte, C0, C1, F5-FF
  }
  if (at + length > text.size() || !in(byte(1), low, high)) {
    return 0;
  }
  for (std::size_t i = 2; i < length; ++i) {
    if (!in(byte(i), 0x80, 0xBF)) {
      return 0;
    }
  }
  return length;
}

void append_escaped(std::string& out, unsigned char byte)
{
  constexpr const char* k_hex = "0123456789abcdef";
  out += "\\x";
  out += k_hex[byte >> 4];
  out += k_hex[byte & 0x0F];
}

} // namespace

std::string escape_unprintable(std::string_view text)
{
  std::string out;
  out.reserve(text.size());
  std::size_t at = 0;
  while (at < text.size()) {
    const auto lead = static_cast<unsigned char>(text[at]);
    const std::size_t length = sequence_length(text, at);
    const bool control =
      (lead < 0x20 && lead != '\n' && lead != '\t') || lead == 0x7F ||
      (lead == 0xC2 && length == 2 && in(static_cast<unsigned char>(text[at + 1]), 0x80, 0x9F));
    if (length == 0) {
      append_escaped(out, lead);
      ++at;
    } else if (control) {
      for (std::size_t i = 0; i < length; ++i) {
        append_escaped(out, static_cast<unsigned char>(text[at + i]));
      }
      at += length;
    } else {
      out.append(text, at, length);
      at += length;
    }
  }
  return out;
}

} // namespace crun::util
