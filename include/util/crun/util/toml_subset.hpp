#pragma once
// A reader for the part of TOML that crun-any peeks at in other tools'
// configuration files (containers.conf): [tables] and [dotted.tables];
// bare, quoted and dotted keys; basic and literal strings; booleans; inline
// tables. Other values (numbers, dates, arrays, multi-line strings) are read
// past and kept as Type::other, so that the rest of the file is still read.
// It reads, it does not validate: a key defined twice is not reported.

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace crun::util {

struct TomlValue {
  enum class Type { string, boolean, table, other };
  Type type = Type::other;
  std::string text{}; ///< a string's characters, escapes resolved
  bool flag = false;  ///< a boolean's value
  /// An inline table's keys and values, in the order written; a dotted key
  /// inside it (`{ a.b = true }`) nests a table.
  std::vector<std::pair<std::string, TomlValue>> table{};
};

/// One `key = value`.
struct TomlEntry {
  /// The table header's keys, then the line's own:
  /// `[engine.service_destinations]` and `x.uri = …` give
  /// {"engine", "service_destinations", "x", "uri"}.
  std::vector<std::string> path{};
  TomlValue value{};
  std::size_t line = 0; ///< 1-based
};

/// A line that could not be read.
struct TomlProblem {
  std::size_t line = 0; ///< 1-based
  std::string reason{}; ///< "unterminated string", "expected \"=\" after the key", ...
};

struct TomlDocument {
  std::vector<TomlEntry> entries{};    ///< in the order written
  std::vector<TomlProblem> problems{}; ///< in the order found
};

/// Reads `text`. A line that cannot be read is skipped and listed in
/// `problems`; so is an array-of-tables header (`[[x]]`, outside the
/// subset). After either, or after a table header that cannot be read, keys
/// are skipped up to the next table header, since their table is unknown.
/// Never throws (except std::bad_alloc).
TomlDocument read_toml_subset(std::string_view text);

} // namespace crun::util
