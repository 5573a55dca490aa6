#pragma once
// Private to src/util: the character level of the TOML subset reader
// (toml_subset.cpp): the position and line in the text, blanks and
// comments, keys, strings, and reading past the values the subset does not
// keep. A function that fails returns false or std::nullopt after fail()
// has recorded why.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crun::util::detail {

class TomlCursor {
public:
  /// At the start of `text`, past a UTF-8 byte order mark.
  explicit TomlCursor(std::string_view text);

  char peek(std::size_t ahead = 0) const
  {
    return m_pos + ahead < m_text.size() ? m_text[m_pos + ahead] : '\0';
  }
  bool at_end() const { return m_pos >= m_text.size(); }
  /// The current line, 1-based.
  std::size_t line() const { return m_line; }
  /// Moves past `c` when it is next.
  bool eat(char c);

  /// Records why the statement being read fails; returns false.
  bool fail(std::string reason);
  /// The reason recorded last, which is then forgotten.
  std::string take_error();

  /// Spaces and tabs (and the \r of \r\n).
  void skip_space();
  /// Up to and including the end of the line.
  void skip_rest_of_line();
  /// Blank lines and comment lines.
  void skip_blank_lines();
  /// Blanks and a comment up to the end of the line or the text; fails
  /// naming what is found instead, "after `after`".
  bool end_of_line(std::string_view after);

  /// a.b."c d".'e'
  std::optional<std::vector<std::string>> dotted_key();
  /// A basic ("…", with escapes) or literal ('…') string on one line,
  /// opening with `quote`.
  std::optional<std::string> string(char quote);
  /// true or false, ending where a value ends; nothing (and no failure)
  /// when neither is next.
  std::optional<bool> boolean();
  /// Whether a multi-line string (""" or ''') starts here.
  bool at_multiline_string() const;
  bool skip_multiline_string();
  /// [ … ] over as many lines as it takes, with strings and comments inside.
  bool skip_array();
  /// A bare value (a number, a date) up to where a value ends.
  bool skip_bare_value();

private:
  std::optional<std::string> key_part();
  bool escape(std::string& out);
  bool unicode(std::string& out, std::size_t digits);
  void skip_comment();

  std::string_view m_text;
  std::size_t m_pos = 0;
  std::size_t m_line = 1;
  std::string m_error;
};

} // namespace crun::util::detail
