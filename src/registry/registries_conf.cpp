#include <crun/registry/registries_conf.hpp>

#include <optional>

namespace crun::registry {

namespace {

constexpr std::string_view k_system_file = "/etc/containers/registries.conf";

std::string_view trim(std::string_view text)
{
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\r')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

// A basic or literal string at the start of `text`, its rest in `rest`.
std::optional<std::string> read_string(std::string_view text, std::string_view& rest)
{
  if (text.empty() || (text.front() != '"' && text.front() != '\'')) {
    return std::nullopt;
  }
  char quote = text.front();
  std::string value;
  for (std::size_t i = 1; i < text.size(); ++i) {
    char c = text[i];
    if (c == quote) {
      rest = text.substr(i + 1);
      return value;
    }
    if (c == '\\' && quote == '"' && i + 1 < text.size()) {
      value += text[++i]; // registries and prefixes have no use for other escapes
      continue;
    }
    value += c;
  }
  return std::nullopt;
}

// Drops a comment, outside strings.
std::string_view strip_comment(std::string_view line)
{
  char quote = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quote) {
      if (c == '\\' && quote == '"') {
        ++i;
      } else if (c == quote) {
        quote = 0;
      }
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '#') {
      return line.substr(0, i);
    }
  }
  return line;
}

// The strings of an array "[ "a", 'b', ]"; nullopt when it is not one.
std::optional<std::vector<std::string>> read_string_array(std::string_view text)
{
  text = trim(text);
  if (text.size() < 2 || text.front() != '[' || text.back() != ']') {
    return std::nullopt;
  }
  text = trim(text.substr(1, text.size() - 2));
  std::vector<std::string> values;
  while (!text.empty()) {
    std::string_view rest;
    auto value = read_string(text, rest);
    if (!value) {
      return std::nullopt;
    }
    values.push_back(std::move(*value));
    text = trim(rest);
    if (!text.empty() && text.front() == ',') {
      text = trim(text.substr(1));
    }
  }
  return values;
}

// The host of a prefix or reference: up to the first '/'.
std::string_view host_of(std::string_view name)
{
  return name.substr(0, name.find('/'));
}

bool matches(std::string_view prefix, std::string_view name)
{
  if (prefix.starts_with("*.")) {
    // Wildcards match a host's subdomains only, never a namespace.
    std::string_view host = host_of(name);
    return host.size() > prefix.size() - 1 && host.ends_with(prefix.substr(1));
  }
  return name == prefix ||
         (name.starts_with(prefix) && name.size() > prefix.size() &&
          (name[prefix.size()] == '/' || name[prefix.size()] == ':' || name[prefix.size()] == '@'));
}

} // namespace

std::vector<RegistryRule> read_registries_conf(std::string_view text, const std::string& source)
{
  enum class Table { other, registry, v1_insecure };
  std::vector<RegistryRule> rules;
  Table table = Table::other;
  std::string location;
  std::string prefix;
  bool insecure = false;
  auto finish = [&] {
    if (table == Table::registry && !(prefix.empty() && location.empty())) {
      rules.push_back({prefix.empty() ? location : prefix, insecure, source});
    }
    location.clear();
    prefix.clear();
    insecure = false;
  };

  std::string pending; // an array continued over lines
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find('\n', start);
    std::string_view raw =
      text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    start = end == std::string_view::npos ? text.size() + 1 : end + 1;
    std::string_view line = trim(strip_comment(raw));
    std::string joined; // a whole array, once its last line is read
    if (!pending.empty()) {
      pending += ' ';
      pending += line;
      if (line.find(']') == std::string_view::npos) {
        continue;
      }
      joined = std::move(pending);
      pending.clear();
      line = joined;
    }
    if (line.empty()) {
      continue;
    }
    if (line.front() == '[' && joined.empty()) {
      finish();
      std::string_view header = line;
      // [[registry]] starts one; the keys after a [[registry.mirror]] are the
      // mirror's, not the registry's (other, like any other table).
      if (header == "[[registry]]") {
        table = Table::registry;
      } else if (header == "[registries.insecure]") {
        table = Table::v1_insecure;
      } else {
        table = Table::other;
      }
      continue;
    }
    auto eq = line.find('=');
    if (eq == std::string_view::npos) {
      continue;
    }
    std::string_view key = trim(line.substr(0, eq));
    std::string_view value = trim(line.substr(eq + 1));
    if (value.starts_with('[') && value.find(']') == std::string_view::npos) {
      pending = std::string(line);
      continue;
    }
    std::string_view rest;
    if (table == Table::registry) {
      if (key == "location" || key == "prefix") {
        if (auto text_value = read_string(value, rest)) {
          (key == "location" ? location : prefix) = *text_value;
        }
      } else if (key == "insecure") {
        insecure = value == "true";
      }
    } else if (table == Table::v1_insecure && key == "registries") {
      if (auto hosts = read_string_array(value)) {
        for (auto& host : *hosts) {
          rules.push_back({std::move(host), true, source});
        }
      }
    }
  }
  finish();
  return rules;
}

std::vector<RegistryRule> load_registry_rules(const Env& env, const transport::FileReader& files)
{
  if (auto path = env.get("CONTAINERS_REGISTRIES_CONF"); path && !path->empty()) {
    auto text = files.read(*path);
    return text ? read_registries_conf(*text, *path) : std::vector<RegistryRule>{};
  }
  std::string config_home;
  if (auto xdg = env.get("XDG_CONFIG_HOME"); xdg && xdg->starts_with('/')) {
    config_home = *xdg;
  } else if (auto home = env.get("HOME"); home && home->starts_with('/')) {
    config_home = *home + "/.config";
  }
  if (!config_home.empty()) {
    std::string user_file = config_home + "/containers/registries.conf";
    if (auto text = files.read(user_file)) {
      return read_registries_conf(*text, user_file);
    }
  }
  std::string system_file(k_system_file);
  auto text = files.read(system_file);
  return text ? read_registries_conf(*text, system_file) : std::vector<RegistryRule>{};
}

const RegistryRule* rule_for(const core::ImageRef& ref, const std::vector<RegistryRule>& rules)
{
  std::string name = ref.domain() + "/" + ref.path();
  const RegistryRule* best = nullptr;
  for (const auto& rule : rules) {
    if (rule.prefix.empty() || !matches(rule.prefix, name)) {
      continue;
    }
    if (!best || rule.prefix.size() > best->prefix.size()) {
      best = &rule;
    }
  }
  return best;
}

} // namespace crun::registry
