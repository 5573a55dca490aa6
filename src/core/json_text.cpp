#include <crun/core/json_text.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <functional>
#include <optional>
#include <set>
#include <utility>
#include <vector>

namespace crun::core {
namespace {

using nlohmann::json;

bool is_identifier(std::string_view key)
{
  if (key.empty() || !(std::isalpha(static_cast<unsigned char>(key[0])) || key[0] == '_')) {
    return false;
  }
  return std::all_of(key.begin(), key.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

// Line and column (1-based) of the byte nlohmann reports: the 1-based index
// of the last character it read, which may be one past the end.
std::pair<std::size_t, std::size_t> line_and_column(std::string_view text, std::size_t byte)
{
  std::size_t index = std::min(byte > 0 ? byte - 1 : 0, text.size());
  std::string_view before = text.substr(0, index);
  std::size_t line = 1 + static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n'));
  std::size_t last_newline = before.rfind('\n');
  std::size_t column = last_newline == std::string_view::npos ? index + 1 : index - last_newline;
  return {line, column};
}

// nlohmann's what() without its "[json.exception...] parse error at line
// L, column C: " prefix, which would repeat (and count differently) the
// position we give.
std::string parse_problem(const json::exception& error)
{
  std::string_view what = error.what();
  if (auto column = what.find("column "); column != std::string_view::npos) {
    if (auto colon = what.find(": ", column); colon != std::string_view::npos) {
      return std::string(what.substr(colon + 2));
    }
  }
  if (auto bracket = what.find("] "); bracket != std::string_view::npos) {
    return std::string(what.substr(bracket + 2));
  }
  return std::string(what);
}

// Finds the first key written twice in one object: a SAX handler, run over
// text that has already parsed (so no parse error reaches it). A SAX pass,
// not nlohmann's parse callback: with a callback, the DOM parser scans the
// parent object's members at the end of every object, which is quadratic in
// the size of a big object (a lock of 1000 images took ~10 ms).
class DuplicateKeys {
public:
  explicit DuplicateKeys(const JsonMapFields& is_map) : m_is_map(is_map) {}

  bool null() { return true; }
  bool boolean(bool /*value*/) { return true; }
  bool number_integer(json::number_integer_t /*value*/) { return true; }
  bool number_unsigned(json::number_unsigned_t /*value*/) { return true; }
  bool number_float(json::number_float_t /*value*/, const json::string_t& /*text*/) { return true; }
  bool string(json::string_t& /*value*/) { return true; }
  bool binary(json::binary_t& /*value*/) { return true; }
  bool start_array(std::size_t /*size*/) { return true; }
  bool end_array() { return true; }
  bool start_object(std::size_t /*size*/)
  {
    m_frames.emplace_back();
    return true;
  }
  bool end_object()
  {
    if (!m_frames.empty()) {
      m_frames.pop_back();
    }
    return true;
  }
  bool key(json::string_t& key)
  {
    auto& frame = m_frames.back();
    frame.key = key;
    if (!frame.seen.insert(frame.key).second && !m_duplicate) {
      std::string path;
      std::string_view parent;
      for (const auto& outer : m_frames) {
        bool map = m_is_map && !parent.empty() && m_is_map(parent);
        path = map ? json_path_key(path, outer.key) : json_path_step(path, outer.key);
        parent = outer.key;
      }
      m_duplicate = path;
    }
    return true;
  }
  bool parse_error(std::size_t /*position*/, const std::string& /*token*/,
                   const nlohmann::detail::exception& /*error*/)
  {
    return false;
  }

  const std::optional<std::string>& duplicate() const { return m_duplicate; }

private:
  struct Frame {
    std::set<std::string> seen;
    std::string key;
  };
  const JsonMapFields& m_is_map;
  std::vector<Frame> m_frames;
  std::optional<std::string> m_duplicate;
};

} // namespace

std::string json_path_step(const std::string& path, std::string_view key)
{
  if (is_identifier(key)) {
    return path.empty() ? std::string(key) : fmt::format("{}.{}", path, key);
  }
  return json_path_key(path, key);
}

std::string json_path_key(const std::string& path, std::string_view key)
{
  return fmt::format("{}[{}]", path, json(std::string(key)).dump());
}

std::string json_path_index(const std::string& path, std::size_t index)
{
  return fmt::format("{}[{}]", path, index);
}

nlohmann::json parse_json_text(std::string_view text, std::string_view file, Errc code,
                               const JsonMapFields& is_map)
{
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& error) {
    auto [line, column] = line_and_column(text, error.byte);
    fail(code, "{}:{}:{}: not valid JSON: {}", file, line, column, parse_problem(error));
  } catch (const json::out_of_range& error) {
    // A number too big for a double ("1e999"): nlohmann says which, not where.
    fail(code, "{}: not valid JSON: {}", file, parse_problem(error));
  }
  DuplicateKeys duplicates(is_map);
  json::sax_parse(text, &duplicates);
  if (duplicates.duplicate()) {
    fail(code, "{}: {}: the key appears twice in one object", file, *duplicates.duplicate());
  }
  return doc;
}

} // namespace crun::core
