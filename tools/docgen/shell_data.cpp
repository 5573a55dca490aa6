#include "shell_data.hpp"

#include <fmt/format.h>

namespace crun::docgen {
namespace {

std::string path_of(const CommandModel& command)
{
  return join_words(command.path);
}

// Every command a completion knows, crun-any first.
std::vector<const CommandModel*> completed_commands(const CommandModel& root)
{
  std::vector<const CommandModel*> out{&root};
  for (std::size_t i = 0; i < out.size(); ++i) {
    for (const CommandModel* sub : completed_subcommands(*out[i])) {
      out.push_back(sub);
    }
  }
  return out;
}

// A `case "$1" in ... esac` function echoing one word list per command.
template <typename Words>
std::string case_function(std::string_view name, const CommandModel& root, Words words)
{
  std::string text = fmt::format("{}() {{\n  case \"$1\" in\n", name);
  for (const CommandModel* command : completed_commands(root)) {
    std::string list = words(*command);
    if (!list.empty()) {
      text += fmt::format("  {}) echo {} ;;\n", sh_quote(path_of(*command)), sh_quote(list));
    }
  }
  return text + "  esac\n}\n";
}

template <typename Test>
std::string test_function(std::string_view name, const CommandModel& root, Test test)
{
  std::string patterns;
  for (const CommandModel* command : completed_commands(root)) {
    if (test(*command)) {
      patterns += (patterns.empty() ? "" : "|") + sh_quote(path_of(*command));
    }
  }
  if (patterns.empty()) {
    return fmt::format("{}() {{\n  return 1\n}}\n", name);
  }
  return fmt::format("{}() {{\n  case \"$1\" in\n  {}) return 0 ;;\n  esac\n  return 1\n}}\n", name,
                     patterns);
}

} // namespace

std::string sh_quote(std::string_view text)
{
  std::string quoted = "'";
  for (char c : text) {
    quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return quoted + "'";
}

std::string join_words(const std::vector<std::string>& words)
{
  std::string text;
  for (const auto& word : words) {
    text += (text.empty() ? "" : " ") + word;
  }
  return text;
}

std::vector<const CommandModel*> completed_subcommands(const CommandModel& command)
{
  std::vector<const CommandModel*> out;
  for (const auto& sub : command.subcommands) {
    if (!sub.refused) {
      out.push_back(&sub);
    }
  }
  return out;
}

std::string sh_data_functions(const CommandModel& root)
{
  std::string text;
  text += case_function("__crun_any_subcommands", root, [](const CommandModel& command) {
    std::vector<std::string> names;
    for (const CommandModel* sub : completed_subcommands(command)) {
      names.push_back(sub->path.back());
    }
    return join_words(names);
  });
  text += case_function("__crun_any_options", root, [](const CommandModel& command) {
    std::vector<std::string> names;
    for (const auto& option : command.options) {
      names.insert(names.end(), option.names.begin(), option.names.end());
    }
    return join_words(names);
  });
  text += case_function("__crun_any_valued", root, [](const CommandModel& command) {
    std::vector<std::string> names;
    for (const auto& option : command.options) {
      if (option.takes_value) {
        names.insert(names.end(), option.names.begin(), option.names.end());
      }
    }
    return join_words(names);
  });
  // The fixed values of a command's first positional (`completion SHELL`).
  text += case_function("__crun_any_positional", root, [](const CommandModel& command) {
    return command.positionals.empty() ? std::string()
                                       : join_words(command.positionals.front().values);
  });
  text += "__crun_any_values() {\n  case \"$1|$2\" in\n";
  for (const CommandModel* command : completed_commands(root)) {
    for (const auto& option : command->options) {
      std::string values = option.is_file ? "@file" : join_words(option.values);
      if (values.empty()) {
        continue;
      }
      std::string patterns;
      for (const auto& name : option.names) {
        patterns += (patterns.empty() ? "" : "|") + sh_quote(path_of(*command) + "|" + name);
      }
      text += fmt::format("  {}) echo {} ;;\n", patterns, sh_quote(values));
    }
  }
  text += "  esac\n}\n";
  text += test_function("__crun_any_images", root,
                        [](const CommandModel& command) { return command.completes_images; });
  text += test_function("__crun_any_stops", root, [](const CommandModel& command) {
    return command.stops_at_first_positional;
  });
  return text;
}

} // namespace crun::docgen
