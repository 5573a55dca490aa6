#include <crun/backends/json_fields.hpp>

#include <limits>

namespace crun::backends {
namespace {

const nlohmann::json k_null;

} // namespace

std::optional<std::vector<std::string>> optional_list(const nlohmann::json& doc, const char* key)
{
  const nlohmann::json& value = field(doc, key);
  if (value.is_null()) {
    return std::nullopt;
  }
  return string_list(value);
}

std::vector<std::string> object_keys(const nlohmann::json& value)
{
  std::vector<std::string> out;
  if (value.is_object()) {
    for (const auto& item : value.items()) {
      out.push_back(item.key());
    }
  }
  return out;
}

const nlohmann::json& field(const nlohmann::json& doc, const char* key)
{
  if (!doc.is_object()) {
    return k_null;
  }
  auto it = doc.find(key);
  return it == doc.end() ? k_null : *it;
}

std::string string_field(const nlohmann::json& doc, const char* key)
{
  const nlohmann::json& value = field(doc, key);
  return value.is_string() ? value.get<std::string>() : std::string();
}

std::int64_t int_field(const nlohmann::json& doc, const char* key)
{
  const nlohmann::json& value = field(doc, key);
  if (value.is_number_unsigned()) {
    auto v = value.get<std::uint64_t>();
    return v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())
             ? std::numeric_limits<std::int64_t>::max()
             : static_cast<std::int64_t>(v);
  }
  if (value.is_number_integer()) {
    return value.get<std::int64_t>();
  }
  return 0;
}

bool bool_field(const nlohmann::json& doc, const char* key)
{
  const nlohmann::json& value = field(doc, key);
  return value.is_boolean() && value.get<bool>();
}

std::vector<std::string> string_list(const nlohmann::json& value)
{
  std::vector<std::string> out;
  if (value.is_array()) {
    for (const auto& item : value) {
      if (item.is_string()) {
        out.push_back(item.get<std::string>());
      }
    }
  } else if (value.is_string()) {
    out.push_back(value.get<std::string>());
  }
  return out;
}

std::string first_line(std::string_view text)
{
  return std::string(text.substr(0, text.find('\n')));
}

} // namespace crun::backends
