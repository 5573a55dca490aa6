// --backend > CRUN_ANY_BACKEND > user config > auto, with errors that name
// the file and the position.

#include <crun/backends/selection/preference.hpp>

#include <crun/core/error.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace crun::backends::selection {
namespace {

constexpr std::string_view k_names = "auto, docker, podman or apple";

std::optional<BackendChoice> parse_choice(std::string_view name)
{
  if (name == "auto") {
    return BackendChoice::automatic;
  }
  if (name == "docker") {
    return BackendChoice::docker;
  }
  if (name == "podman") {
    return BackendChoice::podman;
  }
  if (name == "apple") {
    return BackendChoice::apple;
  }
  return std::nullopt;
}

// 1-based line and column of the byte at 0-based `offset` of `text`.
std::pair<std::size_t, std::size_t> line_and_column(const std::string& text, std::size_t offset)
{
  offset = std::min(offset, text.size());
  std::size_t line = 1;
  std::size_t column = 1;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

// nlohmann's message without its "[json.exception...] parse error at line
// L, column C: " prefix, which repeats what we say ourselves.
std::string parse_detail(std::string_view what)
{
  auto column = what.find("column ");
  auto colon = column == std::string_view::npos ? what.find("]: ") : what.find(": ", column);
  if (colon == std::string_view::npos) {
    auto bracket = what.find("] ");
    return std::string(bracket == std::string_view::npos ? what : what.substr(bracket + 2));
  }
  return std::string(what.substr(colon + 2));
}

std::optional<BackendChoice> from_config(const std::string& path, const std::string& text)
{
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    // e.byte is 1-based: the byte at which the parser gave up.
    auto [line, column] = line_and_column(text, e.byte == 0 ? 0 : e.byte - 1);
    fail(Errc::invalid_input, "{}:{}:{}: not valid JSON: {}", path, line, column,
         parse_detail(e.what()));
  } catch (const nlohmann::json::exception& e) {
    // A number too big for a double (1e999) is out_of_range, not a
    // parse_error: still a file that is not valid JSON.
    fail(Errc::invalid_input, "{}: not valid JSON: {}", path, parse_detail(e.what()));
  }
  if (!doc.is_object()) {
    fail(Errc::invalid_input, "{}: expected a JSON object such as {{\"backend\": \"podman\"}}",
         path);
  }
  auto it = doc.find("backend");
  if (it == doc.end() || it->is_null()) {
    return std::nullopt;
  }
  std::optional<BackendChoice> choice;
  if (it->is_string()) {
    choice = parse_choice(it->get<std::string>());
  }
  if (!choice) {
    fail(Errc::invalid_input, "{}: \"backend\" is {}: use one of {}", path, it->dump(), k_names);
  }
  return choice;
}

} // namespace

std::string_view choice_name(BackendChoice choice) noexcept
{
  switch (choice) {
  case BackendChoice::automatic: return "auto";
  case BackendChoice::docker: return "docker";
  case BackendChoice::podman: return "podman";
  case BackendChoice::apple: return "apple";
  }
  return "auto";
}

std::optional<std::string> user_config_path(const Env& env)
{
  if (auto xdg = env.get("XDG_CONFIG_HOME")) {
    return *xdg + "/crun-any/config.json";
  }
  if (auto home = env.get("HOME")) {
    return *home + "/.config/crun-any/config.json";
  }
  return std::nullopt;
}

Preference resolve_preference(std::string_view flag, const Env& env,
                              const transport::FileReader& files)
{
  if (!flag.empty()) {
    auto choice = parse_choice(flag);
    if (!choice) {
      fail(Errc::usage, "invalid --backend \"{}\": use {}", flag, k_names);
    }
    return {*choice, "--backend"};
  }
  if (auto value = env.get("CRUN_ANY_BACKEND")) {
    auto choice = parse_choice(*value);
    if (!choice) {
      fail(Errc::usage, "invalid CRUN_ANY_BACKEND \"{}\": use {}", *value, k_names);
    }
    return {*choice, "CRUN_ANY_BACKEND"};
  }
  if (auto path = user_config_path(env)) {
    if (auto text = files.read(*path)) {
      if (auto choice = from_config(*path, *text)) {
        return {*choice, *path};
      }
    }
  }
  return {};
}

} // namespace crun::backends::selection
