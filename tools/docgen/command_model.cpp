#include <crun/docgen/command_model.hpp>

#include <crun/cli/command_tree.hpp>
#include <crun/docgen/command_docs.hpp>
#include <crun/docgen/option_values.hpp>

#include <CLI/CLI.hpp>

namespace crun::docgen {
namespace {

std::string join_path(const std::vector<std::string>& path, std::string_view separator)
{
  std::string text;
  for (const auto& word : path) {
    if (!text.empty()) {
      text += separator;
    }
    text += word;
  }
  return text;
}

OptionModel read_option(CLI::Option& option)
{
  OptionModel model;
  for (const auto& name : option.get_snames()) {
    model.names.push_back("-" + name);
  }
  for (const auto& name : option.get_lnames()) {
    model.names.push_back("--" + name);
  }
  model.help = option.get_description();
  model.takes_value = option.get_expected_min() > 0;
  if (model.takes_value) {
    // get_type_name() appends the checks' sets (NAME:{a,b}): the values
    // are listed apart.
    model.type_name = option.get_type_name();
    model.type_name = model.type_name.substr(0, model.type_name.find(':'));
    model.is_file = model.type_name == "FILE";
    model.values = option_values(option);
  }
  return model;
}

CommandModel read_app(CLI::App& app, std::vector<std::string> path, const cli::CommandTree& tree)
{
  CommandModel model;
  model.path = std::move(path);
  model.help = app.get_description();
  std::string name = model.display_name();
  // The line `--help` prints, by the app's own formatter (run has one).
  if (auto formatter = std::dynamic_pointer_cast<CLI::Formatter>(app.get_formatter())) {
    model.usage = formatter->make_usage(&app, name);
    model.usage = model.usage.substr(model.usage.find(':') + 2);
  } else {
    model.usage = name;
  }
  while (!model.usage.empty() && model.usage.back() == '\n') {
    model.usage.pop_back();
  }
  model.refused = app.get_group() == "Refused by policy";
  for (const auto& entry : tree.entries) {
    if (entry.subcommand == &app) {
      model.stops_at_first_positional = entry.command->stops_at_first_positional();
    }
  }
  if (const CommandDoc* doc = find_command_doc(join_path(model.path, " "))) {
    model.completes_images = doc->completes_images;
  }
  for (CLI::Option* option : app.get_options()) {
    if (option->nonpositional()) {
      model.options.push_back(read_option(*option));
    } else {
      model.positionals.push_back({option->get_name(), option->get_description(),
                                   option->get_items_expected_max() > 1, option->get_required(),
                                   option_values(*option)});
    }
  }
  for (CLI::App* sub : app.get_subcommands({})) {
    std::vector<std::string> sub_path = model.path;
    sub_path.push_back(sub->get_name());
    model.subcommands.push_back(read_app(*sub, std::move(sub_path), tree));
  }
  return model;
}

void collect(const CommandModel& command, std::vector<const CommandModel*>& out)
{
  out.push_back(&command);
  for (const auto& sub : command.subcommands) {
    collect(sub, out);
  }
}

} // namespace

std::string CommandModel::display_name() const
{
  return path.empty() ? "crun-any" : "crun-any " + join_path(path, " ");
}

std::string CommandModel::page_name() const
{
  return path.empty() ? "crun-any" : "crun-any-" + join_path(path, "-");
}

CommandModel read_command_model(cli::CommandTree& tree)
{
  return read_app(*tree.app, {}, tree);
}

std::vector<const CommandModel*> all_commands(const CommandModel& root)
{
  std::vector<const CommandModel*> out;
  collect(root, out);
  return out;
}

} // namespace crun::docgen
