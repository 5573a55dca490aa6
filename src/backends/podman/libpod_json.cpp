#include "libpod_json.hpp"

#include <crun/backends/json_fields.hpp>

#include <array>
#include <limits>

namespace crun::backends::podman {
namespace {

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


} // namespace crun::backends::podman
