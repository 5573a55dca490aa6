// One pass over the whole text (an array may span lines), one statement at
// a time: a table header or a key/value pair, then the end of its line. A
// statement that fails records why and the rest of its line is dropped.

#include <crun/util/toml_subset.hpp>

#include <cstdint>
#include <optional>

namespace crun::util {
namespace {

bool is_bare_key_char(char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

// What may follow a value on its line, or inside an inline table or array.
bool ends_value(char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ',' || c == '}' || c == ']' ||
         c == '#';
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

class Reader {
public:
  explicit Reader(std::string_view text) : m_text(text)
  {
    if (m_text.starts_with("\xEF\xBB\xBF")) {
      m_pos = 3; // a UTF-8 byte order mark
    }
  }

  TomlDocument read()
  {
    for (;;) {
      skip_blank_lines();
      if (m_pos >= m_text.size()) {
        return std::move(m_document);
      }
      std::size_t line = m_line;
      std::size_t entries = m_document.entries.size();
      bool header = peek() == '[';
      bool ok = header ? table_header() : key_value();
      if (ok) {
        ok = end_of_line(header ? "the table header" : "the value");
      }
      if (!ok) {
        m_document.entries.resize(entries); // a value followed by garbage is not kept
        m_document.problems.push_back({line, std::move(m_error)});
        m_error.clear();
        if (header) {
          m_table.reset();
        }
        skip_rest_of_line();
      }
    }
  }

private:
  char peek(std::size_t ahead = 0) const
  {
    return m_pos + ahead < m_text.size() ? m_text[m_pos + ahead] : '\0';
  }
  bool at_end() const { return m_pos >= m_text.size(); }

  bool eat(char c)
  {
    if (!at_end() && m_text[m_pos] == c) {
      ++m_pos;
      return true;
    }
    return false;
  }

  // Records why the statement fails; returns false (or nullopt) for the caller.
  bool fail(std::string reason)
  {
    m_error = std::move(reason);
    return false;
  }

  void skip_space()
  {
    while (!at_end() && (peek() == ' ' || peek() == '\t' || peek() == '\r')) {
      ++m_pos;
    }
  }

  void skip_comment()
  {
    if (peek() == '#') {
      while (!at_end() && peek() != '\n') {
        ++m_pos;
      }
    }
  }

  void skip_rest_of_line()
  {
    while (!at_end() && peek() != '\n') {
      ++m_pos;
    }
    if (eat('\n')) {
      ++m_line;
    }
  }

  void skip_blank_lines()
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

  bool end_of_line(std::string_view after)
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

  bool table_header()
  {
    ++m_pos; // [
    bool array = eat('[');
    skip_space();
    auto keys = dotted_key();
    if (!keys) {
      return false;
    }
    skip_space();
    if (!eat(']') || (array && !eat(']'))) {
      return fail(array ? "expected \"]]\" after the table name"
                        : "expected \"]\" after the table name");
    }
    if (array) {
      m_table.reset();
      m_document.problems.push_back(
        {m_line, "arrays of tables ([[...]]) are not read: their keys are skipped"});
      return true;
    }
    m_table = std::move(*keys);
    return true;
  }

  bool key_value()
  {
    auto keys = dotted_key();
    if (!keys) {
      return false;
    }
    skip_space();
    if (!eat('=')) {
      return fail("expected \"=\" after the key");
    }
    skip_space();
    std::size_t line = m_line;
    auto value = read_value();
    if (!value) {
      return false;
    }
    if (m_table) {
      std::vector<std::string> path = *m_table;
      path.insert(path.end(), std::make_move_iterator(keys->begin()),
                  std::make_move_iterator(keys->end()));
      m_document.entries.push_back({std::move(path), std::move(*value), line});
    }
    return true;
  }

  // a.b."c d".'e'
  std::optional<std::vector<std::string>> dotted_key()
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

  std::optional<std::string> key_part()
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

  std::optional<TomlValue> read_value()
  {
    TomlValue value;
    char c = peek();
    if ((c == '"' || c == '\'') && peek(1) == c && peek(2) == c) {
      if (!skip_multiline_string(c)) {
        return std::nullopt;
      }
      return value; // other
    }
    if (c == '"' || c == '\'') {
      auto text = string(c);
      if (!text) {
        return std::nullopt;
      }
      value.type = TomlValue::Type::string;
      value.text = std::move(*text);
      return value;
    }
    for (bool flag : {true, false}) {
      std::string_view word = flag ? "true" : "false";
      if (m_text.substr(m_pos).starts_with(word) &&
          (m_pos + word.size() == m_text.size() || ends_value(m_text[m_pos + word.size()]))) {
        m_pos += word.size();
        value.type = TomlValue::Type::boolean;
        value.flag = flag;
        return value;
      }
    }
    if (c == '{') {
      return inline_table();
    }
    if (c == '[') {
      if (!skip_array()) {
        return std::nullopt;
      }
      return value; // other
    }
    // A number or a date: read past it.
    std::size_t start = m_pos;
    while (!at_end() && !ends_value(peek())) {
      ++m_pos;
    }
    if (start == m_pos) {
      fail("expected a value");
      return std::nullopt;
    }
    return value; // other
  }

  // A basic ("…", with escapes) or literal ('…') string on one line.
  std::optional<std::string> string(char quote)
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

  bool escape(std::string& out)
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

  bool unicode(std::string& out, std::size_t digits)
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

  bool skip_multiline_string(char quote)
  {
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

  // [ … ], over as many lines as it takes, with strings and comments inside.
  bool skip_array()
  {
    int depth = 0;
    while (!at_end()) {
      char c = peek();
      if ((c == '"' || c == '\'') && peek(1) == c && peek(2) == c) {
        if (!skip_multiline_string(c)) {
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

  std::optional<TomlValue> inline_table()
  {
    ++m_pos; // {
    TomlValue table;
    table.type = TomlValue::Type::table;
    skip_space();
    if (eat('}')) {
      return table;
    }
    for (;;) {
      auto keys = dotted_key();
      if (!keys) {
        return std::nullopt;
      }
      skip_space();
      if (!eat('=')) {
        fail("expected \"=\" after the key");
        return std::nullopt;
      }
      skip_space();
      auto value = read_value();
      if (!value) {
        return std::nullopt;
      }
      insert(table, *keys, std::move(*value));
      skip_space();
      if (eat('}')) {
        return table;
      }
      if (!eat(',')) {
        fail("expected \",\" or \"}\" in an inline table");
        return std::nullopt;
      }
      skip_space();
    }
  }

  // `a.b = v` inside an inline table: the table named a, created on first
  // use, gets b.
  static void insert(TomlValue& table, const std::vector<std::string>& keys, TomlValue value)
  {
    TomlValue* at = &table;
    for (std::size_t i = 0; i + 1 < keys.size(); ++i) {
      auto it = at->table.begin();
      while (it != at->table.end() &&
             (it->first != keys[i] || it->second.type != TomlValue::Type::table)) {
        ++it;
      }
      if (it == at->table.end()) {
        TomlValue inner;
        inner.type = TomlValue::Type::table;
        at->table.emplace_back(keys[i], std::move(inner));
        it = at->table.end() - 1;
      }
      at = &it->second;
    }
    at->table.emplace_back(keys.back(), std::move(value));
  }

  std::string_view m_text;
  std::size_t m_pos = 0;
  std::size_t m_line = 1;
  std::string m_error;
  // The current table's keys; std::nullopt while keys are skipped.
  std::optional<std::vector<std::string>> m_table = std::vector<std::string>{};
  TomlDocument m_document;
};

} // namespace

TomlDocument read_toml_subset(std::string_view text)
{
  return Reader(text).read();
}

} // namespace crun::util
