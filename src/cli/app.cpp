#include <crun/cli/app.hpp>

#include <crun/cli/command_tree.hpp>
#include <crun/cli/fd_buffer.hpp>
#include <crun/cli/session.hpp>
#include <crun/core/error.hpp>
#include <crun/util/environment.hpp>
#include <crun/util/printable.hpp>
#include <crun/util/standard_descriptors.hpp>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ostream.h>
#include <fmt/ranges.h>

#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <ostream>

namespace crun::cli {
namespace {

// Global options that take a value; used to find the command word in argv
// when CLI11 fails before it has recorded a subcommand.
constexpr std::string_view k_valued_globals[] = {"--backend", "--host", "--policy", "--lockfile"};

// The index in `args` of the command word, skipping global options;
// args.size() if there is none.
std::size_t command_index(const std::vector<std::string>& args)
{
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") {
      return i + 1;
    }
    if (!arg.starts_with("-")) {
      return i;
    }
    bool takes_value = std::any_of(std::begin(k_valued_globals), std::end(k_valued_globals),
                                   [&](std::string_view opt) { return arg == opt; });
    if (takes_value) {
      ++i;
    }
  }
  return args.size();
}

// The command word the user typed; empty if none.
std::string command_word(const std::vector<std::string>& args)
{
  std::size_t index = command_index(args);
  return index < args.size() ? args[index] : std::string();
}

// Whether `arg` is an option of `app` (or, for a subcommand, of its parents)
// that takes a value in the next argument.
bool takes_separate_value(const CLI::App& app, const std::string& arg)
{
  if (arg.find('=') != std::string::npos) {
    return false;
  }
  const std::string& name = arg;
  if (arg.size() > 2 && arg[0] == '-' && arg[1] != '-') {
    // A cluster of short options (-it, -eK=V): only its last letter may take
    // the next argument, and only if nothing follows it in the cluster.
    for (std::size_t i = 1; i < arg.size(); ++i) {
      const CLI::Option* option = app.get_option_no_throw(std::string("-") + arg[i]);
      if (option && option->get_expected_min() > 0) {
        return i + 1 == arg.size();
      }
    }
    return false;
  }
  for (const CLI::App* scope = &app; scope; scope = scope->get_parent()) {
    if (const CLI::Option* option = scope->get_option_no_throw(name)) {
      return option->get_expected_min() > 0;
    }
  }
  return false;
}

// The index in `args` of the first positional argument after the command
// word `word`; args.size() when there is none.
std::size_t first_positional(const CLI::App& app, const CLI::App& sub,
                             const std::vector<std::string>& args, const std::string& word)
{
  std::size_t i = 0;
  while (i < args.size() && args[i] != word) {
    i += takes_separate_value(app, args[i]) ? 2 : 1;
  }
  for (++i; i < args.size(); ++i) {
    if (args[i] == "--") {
      return i + 1;
    }
    if (!args[i].starts_with("-") || args[i] == "-") {
      return i;
    }
    if (takes_separate_value(sub, args[i])) {
      ++i;
    }
  }
  return args.size();
}

// The words of the command that parsed: {"policy", "check"}.
core::VerbPath parsed_verb(const CLI::App& sub)
{
  core::VerbPath verb{sub.get_name()};
  for (const CLI::App* scope = &sub;;) {
    auto children = scope->get_subcommands();
    if (children.empty()) {
      return verb;
    }
    scope = children.front();
    verb.push_back(scope->get_name());
  }
}

// The words of a raw command as typed: its name and the words after it up
// to the first option ({"image", "build", "."}), which verb_blocked matches
// on whole-word prefixes.
core::VerbPath raw_verb(const std::vector<std::string>& args, std::size_t word_index)
{
  core::VerbPath verb;
  for (std::size_t i = word_index; i < args.size() && !args[i].starts_with("-"); ++i) {
    verb.push_back(args[i]);
  }
  return verb;
}

// The value of --policy among the global options args[0, end): "--policy F"
// or "--policy=F"; the last one wins, as when CLI11 parses it.
std::string raw_policy_option(const std::vector<std::string>& args, std::size_t end)
{
  std::string value;
  for (std::size_t i = 0; i < end && i < args.size(); ++i) {
    if (args[i] == "--policy" && i + 1 < end) {
      value = args[++i];
    } else if (args[i].starts_with("--policy=")) {
      value = args[i].substr(std::string_view("--policy=").size());
    }
  }
  return value;
}

// Messages quote what the user typed and what engines said: they reach the
// terminal escaped (util::escape_unprintable), valid UTF-8 without controls.
void print_error(std::ostream& err, const Error& error)
{
  fmt::print(err, "crun-any: error: {}\n", util::escape_unprintable(error.message()));
  for (const auto& note : error.context()) {
    fmt::print(err, "  while {}\n", util::escape_unprintable(note));
  }
}

// Parses and runs the command; `kind` is set to the command's kind as soon
// as it is known, for the frame's own failures afterwards.
int dispatch(const std::vector<std::string>& args, const Env& env, Io io, EngineOpener engines,
             CommandKind& kind)
{
  Context ctx{env, {}, io, std::move(engines), {}};
  CommandTree tree = make_command_tree(ctx.global);
  CLI::App& app = *tree.app;
  std::vector<CommandEntry>& entries = tree.entries;

  Command* raw_command = nullptr;
  core::VerbPath verb;
  std::vector<std::string> to_parse = args;
  {
    std::string word = command_word(args);
    for (const auto& entry : entries) {
      if (!entry.subcommand->check_name(word)) {
        continue;
      }
      kind = entry.command->kind();
      if (entry.command->takes_raw_arguments()) {
        raw_command = entry.command.get();
        std::size_t index = command_index(args);
        verb = raw_verb(args, index);
        // A raw command runs before the options are parsed: its policy
        // file is read from the global options by hand.
        ctx.global.policy_file = raw_policy_option(args, index);
        entry.command->set_positionals(
          {args.begin() + static_cast<std::ptrdiff_t>(index) + 1, args.end()});
      }
      if (entry.command->stops_at_first_positional()) {
        std::size_t split = first_positional(app, *entry.subcommand, args, word);
        to_parse.assign(args.begin(), args.begin() + static_cast<std::ptrdiff_t>(split));
        entry.command->set_positionals(
          {args.begin() + static_cast<std::ptrdiff_t>(split), args.end()});
      }
    }
  }

  // Every command, whatever it is, first reads the policy (failing closed
  // when it cannot) and is refused when pull_only blocks its verb.
  auto execute = [&](Command& command) {
    try {
      load_policy_into(ctx);
      enforce_verb(ctx, verb);
      return command.execute(ctx);
    } catch (const Error& error) {
      print_error(io.err, error);
      return exit_code_for(error.code(), command.kind());
    } catch (const std::exception& e) {
      // Anything else is a bug: say so rather than crash.
      print_error(io.err, Error(Errc::internal, fmt::format("internal error: {}", e.what())));
      return exit_code_for(Errc::internal, command.kind());
    }
  };

  if (raw_command) {
    return execute(*raw_command);
  }

  std::vector<std::string> reversed(to_parse.rbegin(), to_parse.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    io.out << app.help();
    return exit_code::ok;
  } catch (const CLI::CallForAllHelp&) {
    io.out << app.help("", CLI::AppFormatMode::All);
    return exit_code::ok;
  } catch (const CLI::CallForVersion&) {
    io.out << "crun-any " << CRUN_ANY_VERSION << "\n";
    return exit_code::ok;
  } catch (const CLI::ParseError& e) {
    std::string word = command_word(args);
    bool known = std::any_of(entries.begin(), entries.end(), [&](const CommandEntry& entry) {
      return entry.subcommand->check_name(word);
    });
    if (!known && !word.empty()) {
      // CLI11 would say "The following arguments were not expected", listing
      // the words in reverse; docker names the command it does not know.
      fmt::print(io.err, "crun-any: error: unknown command \"{}\"\n",
                 util::escape_unprintable(word));
      fmt::print(io.err, "Run 'crun-any --help' for the commands.\n");
      return exit_code_for(Errc::usage, kind);
    }
    if (!known) {
      word.clear();
    }
    fmt::print(io.err, "crun-any: error: {}\n", util::escape_unprintable(e.what()));
    fmt::print(io.err, "Run 'crun-any {}--help' for usage.\n",
               word.empty() ? "" : util::escape_unprintable(word) + " ");
    return exit_code_for(Errc::usage, kind);
  }

  for (auto& entry : entries) {
    if (entry.subcommand->parsed()) {
      verb = parsed_verb(*entry.subcommand);
      return execute(*entry.command);
    }
  }

  fmt::print(io.err, "crun-any: error: a command is required\n");
  fmt::print(io.err, "Run 'crun-any --help' for usage.\n");
  return exit_code::usage;
}

} // namespace

int run_cli(const std::vector<std::string>& args, const Env& env, Io io)
{
  return run_cli(args, env, io, {});
}

int run_cli(const std::vector<std::string>& args, const Env& env, Io io, EngineOpener engines)
{
  CommandKind kind = CommandKind::other;
  int code = dispatch(args, env, io, std::move(engines), kind);
  // Output that did not reach stdout or stderr is a failure of every
  // command, never exit 0 with the data gone (`>/dev/full`, `>&-`, a reader
  // that went away). A command that failed already has said so.
  if (code != exit_code::ok) {
    return code;
  }
  try {
    flush_or_fail(io.out, "stdout");
    flush_or_fail(io.err, "stderr");
  } catch (const Error& error) {
    // On a broken stderr this message is lost too; the exit code still tells.
    io.err.clear();
    print_error(io.err, error);
    io.err.flush();
    code = exit_code_for(error.code(), kind);
  }
  return code;
}

int main(int argc, char** argv)
{
  // Before anything opens a descriptor: a closed stdin (`<&-`) must read as
  // end of file, not as crun-any's own pipes and eventfds landing on 0.
  util::reserve_standard_descriptors();
  // A closed stdout (`crun-any run ... | head -1`) must be an error code for
  // the writer, not a silent death that leaves a container running: run
  // kills and removes it, then exits 141 as a shell sees for the docker CLI.
  std::signal(SIGPIPE, SIG_IGN);
  try {
    std::vector<std::string> args(argv + 1, argv + argc);
    Env env(util::environment_variables());
    bool out_is_tty = isatty(STDOUT_FILENO) == 1;
    // Over the descriptors, not stdio: a failed write keeps its reason for
    // the frame's check. A terminal sees each write at once, as does stderr.
    FdBuffer out_buffer(STDOUT_FILENO, out_is_tty ? 0 : 64 * 1024);
    FdBuffer err_buffer(STDERR_FILENO, 0);
    std::ostream out(&out_buffer);
    std::ostream err(&err_buffer);
    Io io{out, err, isatty(STDIN_FILENO) == 1, out_is_tty, isatty(STDERR_FILENO) == 1};
    return run_cli(args, env, io);
  } catch (...) {
    // run_cli reports every error itself; only a failure to report one (out
    // of memory, a stream that throws) arrives here.
    std::fputs("crun-any: error: internal error\n", stderr);
    return exit_code::failed;
  }
}

} // namespace crun::cli
