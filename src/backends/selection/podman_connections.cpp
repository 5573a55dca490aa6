// podman-connections.json and containers.conf's service destinations,
// containers.conf read with util's TOML subset; anything else in the files
// is skipped, as these are Podman's files and crun-any only peeks.

#include <crun/backends/selection/podman_connections.hpp>

#include <crun/util/toml_subset.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace crun::backends::selection {
namespace {

using util::TomlValue;

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

void parse_containers_conf(const std::string& text, const std::string& file, PodmanConnections& out)
{
  // The reader's problems are not reported: this is Podman's file, and the
  // keys read here are all within the subset.
  for (const auto& entry : util::read_toml_subset(text).entries) {
    // "[engine] service_destinations.x.uri = …" and friends, as one full path.
    const std::vector<std::string>& path = entry.path;
    const TomlValue& value = entry.value;
    if (path.size() < 2 || path[0] != "engine") {
      continue;
    }
    if (path.size() == 2 && path[1] == "active_service" && value.type == TomlValue::Type::string) {
      if (value.text.empty()) {
        continue;
      }
      out.default_name = value.text;
      out.default_file = file;
    } else if (path[1] == "service_destinations" && path.size() == 3 &&
               value.type == TomlValue::Type::table) {
      PodmanConnection& connection = out.by_name[path[2]];
      connection.file = file;
      for (const auto& [field, inner] : value.table) {
        set_destination_field(connection, field, inner);
      }
    } else if (path[1] == "service_destinations" && path.size() == 4) {
      PodmanConnection& connection = out.by_name[path[2]];
      connection.file = file;
      set_destination_field(connection, path[3], value);
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
    conf_files.emplace_back("/usr/share/containers/containers.conf");
    conf_files.emplace_back("/etc/containers/containers.conf");
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
