#include "libpod_json.hpp"

#include <crun/backends/http_decode.hpp>
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
    nullptr,     "SIGHUP",  "SIGINT",    "SIGQUIT", "SIGILL",   "SIGTRAP", "SIGABRT", "SIGBUS",
    "SIGFPE",    "SIGKILL", "SIGUSR1",   "SIGSEGV", "SIGUSR2",  "SIGPIPE", "SIGALRM", "SIGTERM",
    "SIGSTKFLT", "SIGCHLD", "SIGCONT",   "SIGSTOP", "SIGTSTP",  "SIGTTIN", "SIGTTOU", "SIGURG",
    "SIGXCPU",   "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO",   "SIGPWR",  "SIGSYS",
  };
  if (number > 0 && number < static_cast<std::int64_t>(k_names.size())) {
    return k_names[static_cast<std::size_t>(number)];
  }
  return std::to_string(number);
}

} // namespace crun::backends::podman
