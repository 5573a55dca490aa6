#include <crun/core/format_template.hpp>

#include <crun/core/error.hpp>

namespace crun::core {
namespace {

std::string_view trim(std::string_view text)
{
  auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) {
    return {};
  }
  auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

const nlohmann::json& lookup(std::string_view tmpl, std::string_view path,
                             const nlohmann::json& doc)
{
  if (path == ".") {
    return doc;
  }
  const nlohmann::json* node = &doc;
  std::string walked;
  std::string_view rest = path.substr(1); // drop the leading '.'
  while (!rest.empty()) {
    auto dot = rest.find('.');
    std::string key(rest.substr(0, dot));
    if (key.empty()) {
      fail(Errc::usage, "invalid --format \"{}\": empty field name in \"{}\"", tmpl, path);
    }
    if (!node->is_object() || !node->contains(key)) {
      fail(Errc::usage, "invalid --format \"{}\": no field \"{}\" in {}", tmpl, key,
           walked.empty() ? "the document" : walked);
    }
    node = &(*node)[key];
    walked += "." + key;
    rest = dot == std::string_view::npos ? std::string_view() : rest.substr(dot + 1);
  }
  return *node;
}

std::string as_text(const nlohmann::json& value)
{
  if (value.is_string()) {
    return value.get<std::string>();
  }
  if (value.is_null()) {
    return {};
  }
  return value.dump();
}

} // namespace

std::string render_template(std::string_view tmpl, const nlohmann::json& doc)
{
  std::string out;
  std::size_t pos = 0;
  while (pos < tmpl.size()) {
    auto open = tmpl.find("{{", pos);
    if (open == std::string_view::npos) {
      out.append(tmpl.substr(pos));
      break;
    }
    out.append(tmpl.substr(pos, open - pos));
    auto close = tmpl.find("}}", open + 2);
    if (close == std::string_view::npos) {
      fail(Errc::usage, "invalid --format \"{}\": \"{{{{\" without \"}}}}\"", tmpl);
    }
    std::string_view action = trim(tmpl.substr(open + 2, close - open - 2));
    bool as_json = false;
    if (action.starts_with("json ")) {
      as_json = true;
      action = trim(action.substr(5));
    }
    if (!action.starts_with(".")) {
      fail(Errc::usage,
           "invalid --format \"{}\": \"{{{{{}}}}}\" is not a field like {{{{.id}}}} or "
           "{{{{json .config}}}}",
           tmpl, action);
    }
    const nlohmann::json& value = lookup(tmpl, action, doc);
    out += as_json ? value.dump() : as_text(value);
    pos = close + 2;
  }
  return out;
}

} // namespace crun::core
