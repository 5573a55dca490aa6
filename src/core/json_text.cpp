#include <crun/core/json_text.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <functional>
#include <optional>
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

// Builds the document and finds the first key written twice in one object,
// in one pass of nlohmann's SAX parser: each key is looked up in the object
// being built, so no second parse and no set of keys (a lock of 1000 images
// spent half its reading time parsing twice). Not nlohmann's parse
// callback either: with one, the DOM parser scans the parent object's
// members at the end of every object, which is quadratic in a big object.
class DocumentBuilder {
public:
  explicit DocumentBuilder(const JsonMapFields& is_map) : m_is_map(is_map) {}

  bool null() { return value(nullptr); }
  bool boolean(bool flag) { return value(flag); }
  bool number_integer(json::number_integer_t number) { return value(number); }
  bool number_unsigned(json::number_unsigned_t number) { return value(number); }
  bool number_float(json::number_float_t number, const json::string_t& /*text*/)
  {
    return value(number);
  }
  // Copied, not moved: the lexer reuses its buffer's capacity for the next
  // token (a moved-from buffer grows again, three allocations a digest).
  bool string(json::string_t& text) { return value(text); }
  bool binary(json::binary_t& bytes) { return value(std::move(bytes)); }
  bool start_array(std::size_t /*size*/)
  {
    m_stack.push_back({place(json::array()), nullptr});
    return true;
  }
  bool end_array()
  {
    m_stack.pop_back();
    return true;
  }
  bool start_object(std::size_t /*size*/)
  {
    m_stack.push_back({place(json::object()), nullptr});
    return true;
  }
  bool end_object()
  {
    m_stack.pop_back();
    return true;
  }
  bool key(json::string_t& name)
  {
    auto& members = m_stack.back().container->get_ref<json::object_t&>();
    auto [it, inserted] = members.try_emplace(name); // copied, as string()
    m_stack.back().key = &it->first;
    m_member = &it->second;
    if (!inserted && !m_duplicate) {
      m_duplicate = path();
    }
    return true;
  }
  // What json::parse throws, with the same position (nlohmann's own DOM
  // builder throws it too): a syntax error, or a number out of range.
  template <typename Exception>
  bool parse_error(std::size_t /*position*/, const std::string& /*token*/, const Exception& error)
  {
    throw error;
  }

  json& document() { return m_document; }
  const std::optional<std::string>& duplicate() const { return m_duplicate; }

private:
  struct Frame {
    json* container;
    const std::string* key; ///< an object's latest key; nullptr in an array or before any
  };

  template <typename Value>
  bool value(Value&& scalar)
  {
    place(json(std::forward<Value>(scalar)));
    return true;
  }

  // Puts `item` where the parser is: the document, the array's end or the
  // object's latest key. Returns where it now lives.
  json* place(json&& item)
  {
    if (m_stack.empty()) {
      m_document = std::move(item);
      return &m_document;
    }
    json* container = m_stack.back().container;
    if (container->is_array()) {
      auto& items = container->get_ref<json::array_t&>();
      items.push_back(std::move(item));
      return &items.back();
    }
    *m_member = std::move(item);
    return m_member;
  }

  // The keys down to the duplicate: a map's keys as json_path_key, other
  // keys as json_path_step; arrays add no step.
  std::string path() const
  {
    std::string result;
    std::string_view parent;
    for (const auto& frame : m_stack) {
      if (frame.key == nullptr) {
        continue;
      }
      bool map = m_is_map && !parent.empty() && m_is_map(parent);
      result = map ? json_path_key(result, *frame.key) : json_path_step(result, *frame.key);
      parent = *frame.key;
    }
    return result;
  }

  const JsonMapFields& m_is_map;
  json m_document;
  std::vector<Frame> m_stack;
  json* m_member = nullptr;
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
  DocumentBuilder builder(is_map);
  try {
    json::sax_parse(text, &builder);
  } catch (const json::parse_error& error) {
    auto [line, column] = line_and_column(text, error.byte);
    fail(code, "{}:{}:{}: not valid JSON: {}", file, line, column, parse_problem(error));
  } catch (const json::out_of_range& error) {
    // A number too big for a double ("1e999"): nlohmann says which, not where.
    fail(code, "{}: not valid JSON: {}", file, parse_problem(error));
  }
  if (builder.duplicate()) {
    fail(code, "{}: {}: the key appears twice in one object", file, *builder.duplicate());
  }
  return std::move(builder.document());
}

} // namespace crun::core
