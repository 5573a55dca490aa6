#include "libpod_json.hpp"

#include <array>
#include <limits>

namespace crun::backends::podman {
namespace {

const nlohmann::json k_null;

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

std::vector<std::string> split_words(std::string_view text)
{
  std::vector<std::string> words;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto start = text.find_first_not_of(' ', pos);
    if (start == std::string_view::npos) {
      break;
    }
    auto end = text.find(' ', start);
    words.emplace_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    pos = end == std::string_view::npos ? text.size() : end;
  }
  return words;
}

} // namespace

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

ImageConfig decode_image_config(const nlohmann::json& config)
{
  ImageConfig out;
  if (!config.is_object()) {
    return out;
  }
  out.user = string_field(config, "User");
  out.env = string_list(field(config, "Env"));
  out.entrypoint = optional_list(config, "Entrypoint");
  out.cmd = optional_list(config, "Cmd");
  out.working_dir = string_field(config, "WorkingDir");
  const nlohmann::json& labels = field(config, "Labels");
  if (labels.is_object()) {
    for (const auto& item : labels.items()) {
      if (item.value().is_string()) {
        out.labels[item.key()] = item.value().get<std::string>();
      }
    }
  }
  out.exposed_ports = object_keys(field(config, "ExposedPorts"));
  out.volumes = object_keys(field(config, "Volumes"));
  out.stop_signal = string_field(config, "StopSignal");
  return out;
}

ImageConfig decode_container_config(const nlohmann::json& config)
{
  ImageConfig out = decode_image_config(config);
  const nlohmann::json& entrypoint = field(config, "Entrypoint");
  if (entrypoint.is_string()) {
    // 4.x joins the words with spaces; the words are the best we can give.
    auto words = split_words(entrypoint.get<std::string>());
    out.entrypoint = words.empty() ? std::nullopt : std::optional(words);
  }
  const nlohmann::json& stop = field(config, "StopSignal");
  if (stop.is_number_integer()) {
    out.stop_signal = linux_signal_name(stop.get<std::int64_t>());
  }
  return out;
}

std::string linux_signal_name(std::int64_t number)
{
  static constexpr std::array<const char*, 32> k_names = {
    nullptr,   "SIGHUP",  "SIGINT",    "SIGQUIT", "SIGILL",    "SIGTRAP", "SIGABRT",  "SIGBUS",
    "SIGFPE",  "SIGKILL", "SIGUSR1",   "SIGSEGV", "SIGUSR2",   "SIGPIPE", "SIGALRM",  "SIGTERM",
    "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP",   "SIGTTIN", "SIGTTOU",  "SIGURG",
    "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH",  "SIGIO",   "SIGPWR",   "SIGSYS",
  };
  if (number > 0 && number < static_cast<std::int64_t>(k_names.size())) {
    return k_names[static_cast<std::size_t>(number)];
  }
  return std::to_string(number);
}

std::string first_line(std::string_view text)
{
  return std::string(text.substr(0, text.find('\n')));
}

} // namespace crun::backends::podman
