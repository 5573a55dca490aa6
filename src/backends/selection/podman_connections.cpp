// podman-connections.json and containers.conf's service destinations. The
// TOML reader below covers only what those keys use; anything else in the
// file is skipped, as these are Podman's files and crun-any only peeks.

#include <crun/backends/selection/podman_connections.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cctype>
#include <sstream>

namespace crun::backends::selection {
namespace {

// A TOML value as far as we need one: a string, a boolean, or an inline
// table of those.
struct TomlValue {
  enum class Type { string, boolean, table, other } type = Type::other;
  std::string text{};
  bool flag = false;
  std::vector<std::pair<std::string, TomlValue>> table{};
};

class TomlCursor {
public:
  explicit TomlCursor(std::string_view text) : m_text(text) {}

  void skip_space()
  {
    while (m_pos < m_text.size() && (m_text[m_pos] == ' ' || m_text[m_pos] == '\t')) {
      ++m_pos;
    }
  }
  bool at_end_of_line()
  {
    skip_space();
    return m_pos >= m_text.size() || m_text[m_pos] == '#';
  }
  bool eat(char c)
  {
    skip_space();
    if (m_pos < m_text.size() && m_text[m_pos] == c) {
      ++m_pos;
      return true;
    }
    return false;
  }

  // A bare or quoted key; std::nullopt when there is none.
  std::optional<std::string> key()
  {
    skip_space();
    if (m_pos < m_text.size() && (m_text[m_pos] == '"' || m_text[m_pos] == '\'')) {
      return string();
    }
    std::size_t start = m_pos;
    while (m_pos < m_text.size() &&
           (std::isalnum(static_cast<unsigned char>(m_text[m_pos])) || m_text[m_pos] == '_' ||
            m_text[m_pos] == '-')) {
      ++m_pos;
    }
    if (start == m_pos) {
      return std::nullopt;
    }
    return std::string(m_text.substr(start, m_pos - start));
  }

  // A dotted key: a.b."c d".
  std::optional<std::vector<std::string>> dotted_key()
  {
    std::vector<std::string> parts;
    do {
      auto part = key();
      if (!part) {
        return std::nullopt;
      }
      parts.push_back(std::move(*part));
    } while (eat('.'));
    return parts;
  }

  std::optional<TomlValue> value()
  {
    skip_space();
    if (m_pos >= m_text.size()) {
      return std::nullopt;
    }
    char c = m_text[m_pos];
    TomlValue result;
    if (c == '"' || c == '\'') {
      auto text = string();
      if (!text) {
        return std::nullopt;
      }
      result.type = TomlValue::Type::string;
      result.text = std::move(*text);
      return result;
    }
    if (m_text.substr(m_pos).starts_with("true")) {
      m_pos += 4;
      result.type = TomlValue::Type::boolean;
      result.flag = true;
      return result;
    }
    if (m_text.substr(m_pos).starts_with("false")) {
      m_pos += 5;
      result.type = TomlValue::Type::boolean;
      return result;
    }
    if (c == '{') {
      ++m_pos;
      result.type = TomlValue::Type::table;
      if (eat('}')) {
        return result;
      }
      do {
        auto name = key();
        if (!name || !eat('=')) {
          return std::nullopt;
        }
        auto inner = value();
        if (!inner) {
          return std::nullopt;
        }
        result.table.emplace_back(std::move(*name), std::move(*inner));
      } while (eat(','));
      if (!eat('}')) {
        return std::nullopt;
      }
      return result;
    }
    // Numbers, arrays, dates: not used by the keys we read; skip the rest.
    m_pos = m_text.size();
    return result;
  }

private:
  // A basic ("…", with escapes) or literal ('…') single-line string.
  std::optional<std::string> string()
  {
    char quote = m_text[m_pos++];
    std::string out;
    while (m_pos < m_text.size()) {
      char c = m_text[m_pos++];
      if (c == quote) {
        return out;
      }
      if (c == '\\' && quote == '"' && m_pos < m_text.size()) {
        char e = m_text[m_pos++];
        switch (e) {
        case 'n':
          out += '\n';
          break;
        case 't':
          out += '\t';
          break;
        default:
          out += e; // \" \\ and the rest taken literally
        }
        continue;
      }
      out += c;
    }
    return std::nullopt;
  }

  std::string_view m_text;
  std::size_t m_pos = 0;
};

void set_destination_field(PodmanConnection& connection, const std::string& key,
                           const TomlValue& value)
{
  if (key == "uri" && value.type == TomlValue::Type::string) {
    connection.uri = value.text;
  } else if (key == "is_machine" && value.type == TomlValue::Type::boolean) {
    connection.is_machine = value.flag;
  }
}

} // namespace

bool parse_connections_json(const std::string& text, const std::string& file,
                            PodmanConnections& out)
{
  auto doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    return false;
  }
  auto connection = doc.find("Connection");
  if (connection == doc.end()) {
    return true; // {"Farm": {...}} only: no connections
  }
  if (!connection->is_object()) {
    return false;
  }
  auto def = connection->find("Default");
  if (def != connection->end() && def->is_string() && !def->get<std::string>().empty()) {
    out.default_name = def->get<std::string>();
    out.default_file = file;
  }
  auto list = connection->find("Connections");
  if (list == connection->end() || list->is_null()) {
    return true;
  }
  if (!list->is_object()) {
    return false;
  }
  for (const auto& [name, entry] : list->items()) {
    if (!entry.is_object()) {
      continue;
    }
    PodmanConnection parsed;
    auto uri = entry.find("URI");
    if (uri != entry.end() && uri->is_string()) {
      parsed.uri = uri->get<std::string>();
    }
    auto machine = entry.find("IsMachine");
    parsed.is_machine = machine != entry.end() && machine->is_boolean() && machine->get<bool>();
    parsed.file = file;
    out.by_name[name] = std::move(parsed);
  }
  return true;
}

void parse_containers_conf(const std::string& text, const std::string& file,
                           PodmanConnections& out)
{
  std::vector<std::string> table;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    TomlCursor cursor(line);
    if (cursor.at_end_of_line()) {
      continue;
    }
    if (cursor.eat('[')) {
      // [[array.of.tables]] are none of ours: park in a table we ignore.
      if (cursor.eat('[')) {
        table = {"["};
        continue;
      }
      auto name = cursor.dotted_key();
      table = name && cursor.eat(']') ? *name : std::vector<std::string>{"["};
      continue;
    }
    auto key = cursor.dotted_key();
    if (!key || !cursor.eat('=')) {
      continue;
    }
    auto value = cursor.value();
    if (!value) {
      continue;
    }
    // Flatten "[engine] service_destinations.x.uri = …" and friends into one
    // full path.
    std::vector<std::string> path = table;
    path.insert(path.end(), key->begin(), key->end());
    if (path.size() < 2 || path[0] != "engine") {
      continue;
    }
    if (path.size() == 2 && path[1] == "active_service" &&
        value->type == TomlValue::Type::string) {
      if (value->text.empty()) {
        continue;
      }
      out.default_name = value->text;
      out.default_file = file;
    } else if (path[1] == "service_destinations" && path.size() == 3 &&
               value->type == TomlValue::Type::table) {
      PodmanConnection& connection = out.by_name[path[2]];
      connection.file = file;
      for (const auto& [field, inner] : value->table) {
        set_destination_field(connection, field, inner);
      }
    } else if (path[1] == "service_destinations" && path.size() == 4) {
      PodmanConnection& connection = out.by_name[path[2]];
      connection.file = file;
      set_destination_field(connection, path[3], *value);
    }
  }
}

PodmanConnections read_podman_connections(const Env& env, const transport::FileReader& files)
{
  PodmanConnections out;
  auto home = env.get("HOME");
  auto config_home = env.get("XDG_CONFIG_HOME");
  if (!config_home && home) {
    config_home = *home + "/.config";
  }

  // containers.conf first: podman-connections.json, read last, wins.
  std::vector<std::string> conf_files;
  if (auto conf = env.get("CONTAINERS_CONF")) {
    conf_files.push_back(*conf);
  } else {
    conf_files.push_back("/usr/share/containers/containers.conf");
    conf_files.push_back("/etc/containers/containers.conf");
    if (config_home) {
      conf_files.push_back(*config_home + "/containers/containers.conf");
    }
  }
  for (const auto& path : conf_files) {
    if (auto text = files.read(path)) {
      parse_containers_conf(*text, path, out);
    }
  }

  std::optional<std::string> json_path = env.get("PODMAN_CONNECTIONS_CONF");
  if (!json_path && config_home) {
    json_path = *config_home + "/containers/podman-connections.json";
  }
  if (json_path) {
    if (auto text = files.read(*json_path)) {
      if (!parse_connections_json(*text, *json_path, out)) {
        out.warnings.push_back(
          fmt::format("ignoring {}: not the JSON podman writes (see `podman system connection "
                      "list`)",
                      *json_path));
      }
    }
  }
  return out;
}

} // namespace crun::backends::selection
