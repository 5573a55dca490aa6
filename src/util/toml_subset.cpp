// One pass over the whole text (an array may span lines), one statement at
// a time: a table header or a key/value pair, then the end of its line. A
// statement that fails records why and the rest of its line is dropped.
// The characters are toml_cursor's.

#include <crun/util/toml_subset.hpp>

#include "toml_cursor.hpp"

#include <optional>

namespace crun::util {
namespace {

class Reader {
public:
  explicit Reader(std::string_view text) : m_cursor(text) {}

  TomlDocument read()
  {
    for (;;) {
      m_cursor.skip_blank_lines();
      if (m_cursor.at_end()) {
        return std::move(m_document);
      }
      std::size_t line = m_cursor.line();
      std::size_t entries = m_document.entries.size();
      bool header = m_cursor.peek() == '[';
      bool ok = header ? table_header() : key_value();
      if (ok) {
        ok = m_cursor.end_of_line(header ? "the table header" : "the value");
      }
      if (!ok) {
        m_document.entries.resize(entries); // a value followed by garbage is not kept
        m_document.problems.push_back({line, m_cursor.take_error()});
        if (header) {
          m_table.reset();
        }
        m_cursor.skip_rest_of_line();
      }
    }
  }

private:
  bool table_header()
  {
    m_cursor.eat('[');
    bool array = m_cursor.eat('[');
    m_cursor.skip_space();
    auto keys = m_cursor.dotted_key();
    if (!keys) {
      return false;
    }
    m_cursor.skip_space();
    if (!m_cursor.eat(']') || (array && !m_cursor.eat(']'))) {
      return m_cursor.fail(array ? "expected \"]]\" after the table name"
                                 : "expected \"]\" after the table name");
    }
    if (array) {
      m_table.reset();
      m_document.problems.push_back(
        {m_cursor.line(), "arrays of tables ([[...]]) are not read: their keys are skipped"});
      return true;
    }
    m_table = std::move(*keys);
    return true;
  }

  bool key_value()
  {
    auto keys = m_cursor.dotted_key();
    if (!keys) {
      return false;
    }
    m_cursor.skip_space();
    if (!m_cursor.eat('=')) {
      return m_cursor.fail("expected \"=\" after the key");
    }
    m_cursor.skip_space();
    std::size_t line = m_cursor.line();
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

  std::optional<TomlValue> read_value()
  {
    TomlValue value; // Type::other until known
    char c = m_cursor.peek();
    if (m_cursor.at_multiline_string()) {
      return m_cursor.skip_multiline_string() ? std::optional(value) : std::nullopt;
    }
    if (c == '"' || c == '\'') {
      auto text = m_cursor.string(c);
      if (!text) {
        return std::nullopt;
      }
      value.type = TomlValue::Type::string;
      value.text = std::move(*text);
      return value;
    }
    if (auto flag = m_cursor.boolean()) {
      value.type = TomlValue::Type::boolean;
      value.flag = *flag;
      return value;
    }
    if (c == '{') {
      return inline_table();
    }
    if (c == '[') {
      return m_cursor.skip_array() ? std::optional(value) : std::nullopt;
    }
    return m_cursor.skip_bare_value() ? std::optional(value) : std::nullopt;
  }

  std::optional<TomlValue> inline_table()
  {
    m_cursor.eat('{');
    TomlValue table;
    table.type = TomlValue::Type::table;
    m_cursor.skip_space();
    if (m_cursor.eat('}')) {
      return table;
    }
    for (;;) {
      auto keys = m_cursor.dotted_key();
      if (!keys) {
        return std::nullopt;
      }
      m_cursor.skip_space();
      if (!m_cursor.eat('=')) {
        m_cursor.fail("expected \"=\" after the key");
        return std::nullopt;
      }
      m_cursor.skip_space();
      auto value = read_value();
      if (!value) {
        return std::nullopt;
      }
      insert(table, *keys, std::move(*value));
      m_cursor.skip_space();
      if (m_cursor.eat('}')) {
        return table;
      }
      if (!m_cursor.eat(',')) {
        m_cursor.fail("expected \",\" or \"}\" in an inline table");
        return std::nullopt;
      }
      m_cursor.skip_space();
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

  detail::TomlCursor m_cursor;
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
