// parse_policy: strict, fail-closed reading of one policy file. Every key is
// known or the file is refused: a typo such as "pull-only" must not silently
// turn a rule off (containers' policy.json is strict the same way).
#include <crun/core/error.hpp>
#include <crun/core/json_text.hpp>
#include <crun/core/policy.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>

namespace crun::core {
namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 11> k_keys = {
  "allowed_registries", "backends",   "blocked_verbs", "emulation",      "lockfile",    "platform",
  "platforms",          "privileged", "pull_only",     "require_digest", "require_lock"};

bool is_verb_word(std::string_view word)
{
  return !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
    return std::islower(static_cast<unsigned char>(c)) ||
           std::isdigit(static_cast<unsigned char>(c)) || c == '-';
  });
}

class Reader {
public:
  Reader(std::string_view file, std::string root) : m_file(file), m_root(std::move(root)) {}

  [[noreturn]] void schema_error(const std::string& path, const std::string& problem) const
  {
    fail(Errc::policy_invalid, "{}: {}: {}", m_file, path.empty() ? "(top level)" : path, problem);
  }

  std::string at(std::string_view key) const { return json_path_step(m_root, key); }

  template <typename T>
  Sourced<T> sourced(T value) const
  {
    return Sourced<T>{std::move(value), {std::string(m_file)}};
  }

  bool boolean(const json& value, const std::string& path) const
  {
    if (!value.is_boolean()) {
      schema_error(path, fmt::format("must be true or false, not {}", value.type_name()));
    }
    return value.get<bool>();
  }

  std::string string(const json& value, const std::string& path) const
  {
    if (!value.is_string()) {
      schema_error(path, fmt::format("must be a string, not {}", value.type_name()));
    }
    std::string text = value.get<std::string>();
    if (text.empty()) {
      schema_error(path, "must not be empty");
    }
    return text;
  }

  // A non-empty list: an empty allow-list would refuse everything, which a
  // policy author means by no key at all far more often than by `[]`.
  template <typename Item>
  std::vector<Item> list(const json& value, const std::string& path, bool allow_empty,
                         const auto& read_item) const
  {
    if (!value.is_array()) {
      schema_error(path, fmt::format("must be a list, not {}", value.type_name()));
    }
    if (value.empty() && !allow_empty) {
      schema_error(path, "an empty list allows nothing; leave the key out to allow any");
    }
    std::vector<Item> items;
    for (std::size_t i = 0; i < value.size(); ++i) {
      Item item = read_item(value[i], json_path_index(path, i));
      if (std::find(items.begin(), items.end(), item) == items.end()) {
        items.push_back(std::move(item));
      }
    }
    return items;
  }

  Platform platform(const json& value, const std::string& path) const
  {
    std::string text = string(value, path);
    try {
      return Platform::parse(text);
    } catch (const Error& error) {
      schema_error(path, error.message());
    }
  }

  Policy read(const json& object) const
  {
    if (!object.is_object()) {
      schema_error(m_root, fmt::format("must be an object, not {}", object.type_name()));
    }
    Policy policy;
    policy.file = std::string(m_file);
    for (const auto& [key, value] : object.items()) {
      if (std::find(k_keys.begin(), k_keys.end(), key) == k_keys.end()) {
        schema_error(at(key), fmt::format("unknown key (known: {})", fmt::join(k_keys, ", ")));
      }
      std::string path = at(key);
      if (key == "allowed_registries") {
        policy.allowed_registries =
          sourced(list<RegistryPrefix>(value, path, false, [this](const json& item, auto where) {
            auto prefix = RegistryPrefix::try_parse(string(item, where));
            if (!prefix) {
              schema_error(where, prefix.problem());
            }
            return *prefix;
          }));
      } else if (key == "require_digest") {
        policy.require_digest = sourced(boolean(value, path));
      } else if (key == "pull_only") {
        policy.pull_only = sourced(boolean(value, path));
      } else if (key == "privileged") {
        policy.privileged = sourced(boolean(value, path));
      } else if (key == "require_lock") {
        policy.require_lock = sourced(boolean(value, path));
      } else if (key == "blocked_verbs") {
        policy.blocked_verbs =
          sourced(list<VerbPath>(value, path, true, [this](const json& item, auto where) {
            std::string text = string(item, where);
            VerbPath verb;
            std::size_t start = 0;
            while (start <= text.size()) {
              std::size_t end = std::min(text.find(' ', start), text.size());
              std::string word = text.substr(start, end - start);
              if (!is_verb_word(word)) {
                schema_error(where, fmt::format("\"{}\" is no verb path: words of [a-z0-9-] "
                                                "separated by one space, as \"artifact add\"",
                                                text));
              }
              verb.push_back(std::move(word));
              start = end + 1;
            }
            return verb;
          }));
      } else if (key == "platform") {
        policy.platform = sourced(platform(value, path));
      } else if (key == "platforms") {
        policy.platforms =
          sourced(list<Platform>(value, path, false, [this](const json& item, auto where) {
            return platform(item, where);
          }));
      } else if (key == "emulation") {
        std::string mode = string(value, path);
        if (mode == "allow") {
          policy.emulation = sourced(EmulationMode::allow);
        } else if (mode == "warn") {
          policy.emulation = sourced(EmulationMode::warn);
        } else if (mode == "deny") {
          policy.emulation = sourced(EmulationMode::deny);
        } else {
          schema_error(path,
                       fmt::format("must be \"allow\", \"warn\" or \"deny\", not \"{}\"", mode));
        }
      } else if (key == "backends") {
        policy.backends =
          sourced(list<std::string>(value, path, false, [this](const json& item, auto where) {
            std::string name = string(item, where);
            if (std::find(std::begin(k_policy_backends), std::end(k_policy_backends), name) ==
                std::end(k_policy_backends)) {
              schema_error(where, fmt::format("\"{}\" is no backend (known: {})", name,
                                              fmt::join(k_policy_backends, ", ")));
            }
            return name;
          }));
      } else if (key == "lockfile") {
        policy.lockfile = sourced(string(value, path));
      }
    }
    if (policy.platform && policy.platforms &&
        std::none_of(
          policy.platforms->value.begin(), policy.platforms->value.end(),
          [&policy](const Platform& allowed) { return policy.platform->value.matches(allowed); })) {
      schema_error(at("platform"),
                   fmt::format("{} is not among platforms ({}) of the same file",
                               policy.platform->value, fmt::join(policy.platforms->value, ", ")));
    }
    return policy;
  }

private:
  std::string_view m_file;
  std::string m_root;
};

} // namespace

Policy parse_policy(std::string_view text, std::string_view file, PolicyText part)
{
  json doc = parse_json_text(text, file, Errc::policy_invalid);
  if (part == PolicyText::whole_file) {
    return Reader(file, "").read(doc);
  }
  if (!doc.is_object()) {
    fail(Errc::policy_invalid, "{}: (top level): must be an object, not {}", file, doc.type_name());
  }
  auto it = doc.find("policy");
  if (it == doc.end()) {
    Policy empty;
    empty.file = std::string(file);
    return empty;
  }
  return Reader(file, "policy").read(*it);
}

} // namespace crun::core
