#include <crun/core/json_lines.hpp>

#include <crun/core/error.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace crun::core {
namespace {

// JSON's own insignificant whitespace; '\r' is among it, which is what makes
// CRLF framing work without special cases.
bool is_json_space(char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::string_view trim(std::string_view text)
{
  while (!text.empty() && is_json_space(text.front())) {
    text.remove_prefix(1);
  }
  while (!text.empty() && is_json_space(text.back())) {
    text.remove_suffix(1);
  }
  return text;
}

bool is_utf8_continuation(char c)
{
  return (static_cast<unsigned char>(c) & 0xC0U) == 0x80U;
}

} // namespace

std::string quoted_excerpt(std::string_view text, std::size_t max_bytes)
{
  if (text.size() <= max_bytes) {
    return fmt::format("{:?}", text);
  }
  std::size_t cut = max_bytes;
  // Back up to a character boundary so the excerpt is not itself broken UTF-8.
  while (cut > 0 && is_utf8_continuation(text[cut])) {
    --cut;
  }
  return fmt::format("{:?}... ({} bytes)", text.substr(0, cut), text.size());
}

void JsonLineDecoder::compact()
{
  // Drop consumed bytes once they are at least half the buffer: amortised O(1)
  // per byte, and the buffer never holds more than one line plus one chunk.
  if (m_begin == 0 || m_begin < m_buffer.size() / 2) {
    return;
  }
  m_buffer.erase(0, m_begin);
  m_scanned -= m_begin;
  m_tail_begin -= m_begin;
  m_begin = 0;
}

void JsonLineDecoder::feed(std::string_view bytes)
{
  compact();
  const std::size_t old_size = m_buffer.size();
  m_buffer.append(bytes);
  if (const auto last_newline = bytes.rfind('\n'); last_newline != std::string_view::npos) {
    m_tail_begin = old_size + last_newline + 1;
  }
  const std::size_t tail = m_buffer.size() - m_tail_begin;
  if (tail > m_max_line_bytes) {
    fail(Errc::protocol, "engine JSON stream has a line longer than {} bytes: {}", m_max_line_bytes,
         quoted_excerpt(std::string_view(m_buffer).substr(m_tail_begin)));
  }
}

std::optional<nlohmann::json> JsonLineDecoder::next()
{
  for (;;) {
    const std::size_t newline = m_buffer.find('\n', std::max(m_scanned, m_begin));
    if (newline == std::string::npos) {
      m_scanned = m_buffer.size();
      return std::nullopt;
    }
    const std::string_view line = std::string_view(m_buffer).substr(m_begin, newline - m_begin);
    m_begin = newline + 1;
    m_scanned = m_begin;
    ++m_line_count;
    if (line.size() > m_max_line_bytes) {
      fail(Errc::protocol, "engine JSON stream line {} is longer than {} bytes: {}", m_line_count,
           m_max_line_bytes, quoted_excerpt(line));
    }
    const std::string_view content = trim(line);
    if (content.empty()) {
      continue;
    }
    auto value = nlohmann::json::parse(content, nullptr, false);
    if (value.is_discarded()) {
      fail(Errc::protocol, "engine JSON stream line {} is not JSON: {}", m_line_count,
           quoted_excerpt(content));
    }
    return value;
  }
}

void JsonLineDecoder::finish()
{
  const std::string_view rest = std::string_view(m_buffer).substr(m_begin);
  if (rest.find('\n') != std::string_view::npos) {
    fail(Errc::internal, "json line decoder finished with complete lines not yet read");
  }
  const std::string_view content = trim(rest);
  if (!content.empty()) {
    fail(Errc::protocol,
         "engine JSON stream ended in the middle of line {} (truncated response): {}",
         m_line_count + 1, quoted_excerpt(content));
  }
}

} // namespace crun::core
