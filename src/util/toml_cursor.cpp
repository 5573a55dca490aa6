#include "toml_cursor.hpp"

#include <cstdint>
#include <utility>

namespace crun::util::detail {
namespace {

bool is_bare_key_char(char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

// What may follow a value on its line, or inside an inline table or array.
bool ends_value(char c)
{
  return c == '\0' || c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ',' || c == '}' ||
         c == ']' || c == '#';
}

std::optional<int> hex_value(char c)
{
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return std::nullopt;
}

void append_utf8(std::string& out, std::uint32_t code)
{
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

} // namespace

TomlCursor::TomlCursor(std::string_view text) : m_text(text)
{
  if (m_text.starts_with("\xEF\xBB\xBF")) {
    m_pos = 3;
  }
}

bool TomlCursor::eat(char c)
{
  if (!at_end() && m_text[m_pos] == c) {
    ++m_pos;
    return true;
  }
  return false;
}

bool TomlCursor::fail(std::string reason)
{
  m_error = std::move(reason);
  return false;
}

std::string TomlCursor::take_error()
{
  return std::exchange(m_error, std::string());
}

void TomlCursor::skip_space()
{
  while (!at_end() && (peek() == ' ' || peek() == '\t' || peek() == '\r')) {
    ++m_pos;
  }
}

void TomlCursor::skip_comment()
{
  if (peek() == '#') {
    while (!at_end() && peek() != '\n') {
      ++m_pos;
    }
  }
}

void TomlCursor::skip_rest_of_line()
{
  while (!at_end() && peek() != '\n') {
    ++m_pos;
  }
  if (eat('\n')) {
    ++m_line;
  }
}

void TomlCursor::skip_blank_lines()
{
  for (;;) {
    skip_space();
    skip_comment();
    if (!eat('\n')) {
      return;
    }
    ++m_line;
  }
}

bool TomlCursor::end_of_line(std::string_view after)
{
  skip_space();
  skip_comment();
  if (at_end()) {
    return true;
  }
  if (eat('\n')) {
    ++m_line;
    return true;
  }
  return fail("unexpected \"" + std::string(1, peek()) + "\" after " + std::string(after));
}

std::optional<std::vector<std::string>> TomlCursor::dotted_key()
{
  std::vector<std::string> parts;
  for (;;) {
    skip_space();
    auto part = key_part();
    if (!part) {
      return std::nullopt;
    }
    parts.push_back(std::move(*part));
    skip_space();
    if (!eat('.')) {
      return parts;
    }
  }
}

std::optional<std::string> TomlCursor::key_part()
{
  if (peek() == '"' || peek() == '\'') {
    return string(peek());
  }
  std::size_t start = m_pos;
  while (!at_end() && is_bare_key_char(peek())) {
    ++m_pos;
  }
  if (start == m_pos) {
    fail(at_end() || peek() == '\n' ? "expected a key"
                                    : "expected a key, not \"" + std::string(1, peek()) + "\"");
    return std::nullopt;
  }
  return std::string(m_text.substr(start, m_pos - start));
}

std::optional<std::string> TomlCursor::string(char quote)
{
  ++m_pos;
  std::string out;
  while (!at_end() && peek() != '\n') {
    char c = m_text[m_pos++];
    if (c == quote) {
      return out;
    }
    if (c == '\\' && quote == '"') {
      if (!escape(out)) {
        return std::nullopt;
      }
      continue;
    }
    out += c;
  }
  fail("unterminated string");
  return std::nullopt;
}

bool TomlCursor::escape(std::string& out)
{
  char e = at_end() ? '\0' : m_text[m_pos++];
  switch (e) {
  case 'b': out += '\b'; return true;
  case 't': out += '\t'; return true;
  case 'n': out += '\n'; return true;
  case 'f': out += '\f'; return true;
  case 'r': out += '\r'; return true;
  case '"': out += '"'; return true;
  case '\\': out += '\\'; return true;
  case 'u': return unicode(out, 4);
  case 'U': return unicode(out, 8);
  default:
    return fail(e == '\0' || e == '\n' ? "unterminated string"
                                       : "invalid escape \"\\" + std::string(1, e) + "\"");
  }
}

bool TomlCursor::unicode(std::string& out, std::size_t digits)
{
  std::uint32_t code = 0;
  for (std::size_t i = 0; i < digits; ++i) {
    auto digit = hex_value(peek());
    if (!digit) {
      return fail("invalid unicode escape: expected " + std::to_string(digits) + " hex digits");
    }
    code = code * 16 + static_cast<std::uint32_t>(*digit);
    ++m_pos;
  }
  if (code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
    return fail("invalid unicode escape: not a unicode scalar value");
  }
  append_utf8(out, code);
  return true;
}

std::optional<bool> TomlCursor::boolean()
{
  for (bool flag : {true, false}) {
    std::string_view word = flag ? "true" : "false";
    if (m_text.substr(m_pos).starts_with(word) && ends_value(peek(word.size()))) {
      m_pos += word.size();
      return flag;
    }
  }
  return std::nullopt;
}

bool TomlCursor::at_multiline_string() const
{
  char c = peek();
  return (c == '"' || c == '\'') && peek(1) == c && peek(2) == c;
}

bool TomlCursor::skip_multiline_string()
{
  char quote = peek();
  std::string_view delimiter = quote == '"' ? "\"\"\"" : "'''";
  m_pos += 3;
  while (!at_end()) {
    if (m_text.substr(m_pos).starts_with(delimiter)) {
      m_pos += 3;
      while (peek() == quote) {
        ++m_pos; // up to two quotes may end the content
      }
      return true;
    }
    if (peek() == '\\' && quote == '"') {
      ++m_pos; // an escaped character, the delimiter's quotes included
    }
    if (peek() == '\n') {
      ++m_line;
    }
    ++m_pos;
  }
  return fail("unterminated multi-line string");
}

bool TomlCursor::skip_array()
{
  int depth = 0;
  while (!at_end()) {
    char c = peek();
    if (at_multiline_string()) {
      if (!skip_multiline_string()) {
        return false;
      }
      continue;
    }
    if (c == '"' || c == '\'') {
      if (!string(c)) {
        return false;
      }
      continue;
    }
    if (c == '#') {
      skip_comment();
      continue;
    }
    if (c == '\n') {
      ++m_line;
    } else if (c == '[') {
      ++depth;
    } else if (c == ']' && --depth == 0) {
      ++m_pos;
      return true;
    }
    ++m_pos;
  }
  return fail("unterminated array");
}

bool TomlCursor::skip_bare_value()
{
  std::size_t start = m_pos;
  while (!at_end() && !ends_value(peek())) {
    ++m_pos;
  }
  return start != m_pos || fail("expected a value");
}

} // namespace crun::util::detail
