#pragma once
// The frame every command plugs into: global options, the streams a command
// writes to, and the Command interface. A command lives in one file under
// src/cli/commands/ and is listed once in command_table.cpp; adding one never
// touches another.

#include <crun/core/env.hpp>
#include <crun/core/exit_codes.hpp>

#include <functional>
#include <memory>
#include <ostream>
#include <span>
#include <string>
#include <vector>

namespace CLI {
class App;
}
namespace crun::backends {
class Engine;
}

namespace crun::cli {

/// The global options (README.md, Usage) that every command accepts.
struct GlobalOptions {
  std::string backend;     ///< --backend auto|docker|podman|apple; empty when not given
  std::string host;        ///< --host URI; empty when not given
  std::string policy_file; ///< --policy FILE
  std::string lockfile;    ///< --lockfile FILE
  bool no_color = false;   ///< --no-color (the environment: color_choice.hpp)
  int verbosity = 0;       ///< -v, repeatable
};

/// Where a command writes: data on `out`, progress and diagnostics on `err`.
struct Io {
  std::ostream& out;
  std::ostream& err;
  bool in_is_tty = false;
  bool out_is_tty = false;
  bool err_is_tty = false;
};

struct Context;
struct PolicyInEffect;

/// Connects to the engine a command uses: open_engine() (engine_access.hpp)
/// for the real binary; unit tests of commands give a recording fake.
using EngineOpener = std::function<std::unique_ptr<backends::Engine>(const Context&)>;

/// Everything a command may depend on besides its own options.
struct Context {
  const Env& env;
  GlobalOptions global;
  Io io;
  /// How the command reaches its engine; empty means open_engine().
  EngineOpener open_engine{};
  /// The policy in effect (session.hpp), loaded by the frame before any
  /// command runs; null until then (and in unit tests that build a Context
  /// by hand, which then act as if no policy file existed).
  std::shared_ptr<const PolicyInEffect> policy{};
};

class Command {
public:
  virtual ~Command() = default;
  /// Which column of the exit-code table applies when this command fails.
  virtual CommandKind kind() const { return CommandKind::other; }
  /// True for a command that takes whatever follows its name unparsed (the
  /// refused build-type verbs): the frame runs it before any option parsing,
  /// so no flag of the user's can turn its answer into a usage error.
  virtual bool takes_raw_arguments() const { return false; }
  /// True for a command whose first positional argument ends option parsing
  /// (`run IMAGE [COMMAND [ARG...]]`: whatever follows IMAGE is the
  /// container's). The frame then hands it everything from that argument on
  /// through set_positionals() and parses only what comes before.
  virtual bool stops_at_first_positional() const { return false; }
  // By value: an override keeps the vector (moves it in).
  // NOLINTNEXTLINE(performance-unnecessary-value-param)
  virtual void set_positionals(std::vector<std::string> /*args*/) {}
  /// Runs the command; returns its exit code. Throws crun::Error on failure,
  /// which the frame prints and maps through exit_code_for().
  virtual int execute(Context& ctx) = 0;
};

/// Adds one or more subcommands with their options to `app`; each returned
/// command is bound to the subcommand of the same index in the registry.
struct CommandEntry {
  CLI::App* subcommand;
  std::unique_ptr<Command> command;
};
using CommandFactory = void (*)(CLI::App& app, std::vector<CommandEntry>& out);

/// Every command of crun-any, in the order `--help` lists them.
std::span<const CommandFactory> command_factories();

} // namespace crun::cli
