#pragma once
// crun-any's command line as plain data, read off the live CLI11 tree
// (cli/command_tree.hpp): what the completion scripts and the man pages are
// generated from.

#include <string>
#include <vector>

namespace crun::cli {
struct CommandTree;
}

namespace crun::docgen {

struct OptionModel {
  std::vector<std::string> names; ///< as declared: "-v", "--verbose"
  std::string type_name;          ///< "FILE", "K=V"; empty for a flag
  std::string help;
  bool takes_value = false;
  bool is_file = false;            ///< its value is a path (type FILE)
  std::vector<std::string> values; ///< the fixed or suggested values (option_values.hpp)
};

struct PositionalModel {
  std::string name; ///< "IMAGE"
  std::string help;
  bool many = false; ///< IMAGE...
  bool required = false;
  std::vector<std::string> values; ///< a fixed set (an IsMember check): `completion SHELL`
};

struct CommandModel {
  std::vector<std::string> path;          ///< {"policy", "check"}; empty for crun-any itself
  std::string help;                       ///< CLI11's description
  std::string usage;                      ///< "crun-any pull [OPTIONS] IMAGE" (CLI11's formatter)
  bool refused = false;                   ///< a build-type verb, only there to be refused
  bool stops_at_first_positional = false; ///< what follows it is the container's
  bool completes_images = false;          ///< its positionals are local images (command_docs)
  std::vector<OptionModel> options;
  std::vector<PositionalModel> positionals;
  std::vector<CommandModel> subcommands;

  /// "crun-any policy check"
  std::string display_name() const;
  /// "crun-any-policy-check": the man page's name
  std::string page_name() const;
};

/// The whole tree, from `tree` (which must have been built by
/// cli::make_command_tree). Never fails.
CommandModel read_command_model(cli::CommandTree& tree);

/// Every command of `root` (itself first), depth first.
std::vector<const CommandModel*> all_commands(const CommandModel& root);

} // namespace crun::docgen
