// The man pages (roff, man(7) macros): crun-any(1) and crun-any-CMD(1).

#include "shell_data.hpp"

#include <crun/cli/command_tree.hpp>
#include <crun/core/exit_codes.hpp>
#include <crun/docgen/command_docs.hpp>
#include <crun/docgen/generators.hpp>

#include <fmt/format.h>

#include <stdexcept>
#include <string_view>

namespace crun::docgen {
namespace {

struct NameText {
  std::string_view name;
  std::string_view text;
};

// The variables crun-any reads (README.md, Environment).
constexpr NameText k_environment[] = {
  {"CRUN_ANY_BACKEND", "The engine when --backend is not given: auto, docker, podman or apple."},
  {"CRUN_ANY_PLATFORM",
   "The platform when --platform is not given (then DOCKER_DEFAULT_PLATFORM)."},
  {"DOCKER_DEFAULT_PLATFORM", "The platform when neither --platform nor CRUN_ANY_PLATFORM is set."},
  {"CRUN_ANY_POLICY", "An extra policy file, as --policy (it may only tighten)."},
  {"CRUN_ANY_LOCKFILE", "The lock file, as --lockfile."},
  {"CRUN_ANY_TIMEOUT",
   "Seconds (1-86400, default 30) each short engine call and registry request may take."},
  {"CRUN_ANY_PULL_IDLE_TIMEOUT", "Seconds (default 300) an engine's pull stream may stay silent."},
  {"CRUN_ANY_PODMAN_IDLE_TIMEOUT",
   "Seconds (1-86400, default 60) the Podman service crun-any starts stays up when idle."},
  {"NO_COLOR", "Set and not empty: never colour the output (as --no-color)."},
  {"CLICOLOR_FORCE",
   "Set, not empty and not 0: colour even when the output is no terminal (after NO_COLOR)."},
  {"CLICOLOR", "0: no colour."},
  {"TERM", "dumb: no colour, and --progress auto shows plain lines."},
  {"DOCKER_HOST, DOCKER_CONTEXT", "The Docker engine's endpoint, as the docker CLI reads them."},
  {"DOCKER_CONFIG, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH",
   "Docker's configuration directory (registry credentials) and TLS settings."},
  {"CONTAINER_HOST, CONTAINER_CONNECTION", "The Podman service's endpoint, as podman reads them."},
  {"CONTAINERS_REGISTRIES_CONF, REGISTRY_AUTH_FILE",
   "Registries (insecure ones) and credentials, as containers' tools read them."},
  {"SSL_CERT_FILE", "Extra certificate authorities for registries."},
  {"XDG_CONFIG_HOME, XDG_CACHE_HOME, XDG_RUNTIME_DIR",
   "Where the user's configuration, the engine cache and Podman's socket are."},
};

// The files crun-any reads and writes (docs/policy.md, docs/lockfile.md).
constexpr NameText k_files[] = {
  {"/etc/crun-any/policy.json",
   "The admin policy (macOS: /Library/Application Support/crun-any/policy.json). It must be owned "
   "by root and not writable by others; nothing can replace or loosen it."},
  {".crun-any.json", "The project policy, the first found walking up from the working directory."},
  {"~/.config/crun-any/config.json",
   "The user's preferences and policy ($XDG_CONFIG_HOME/crun-any/config.json); it may only "
   "tighten."},
  {"crun-any.lock",
   "The lock file: each image's tag and its digests, found walking up (docs/lockfile.md)."},
  {"~/.cache/crun-any/engines.json",
   "Each engine's native platform, remembered ($XDG_CACHE_HOME); always safe to delete."},
};

// Text for roff: backslashes and hyphens escaped, a line that would start
// with a control character made literal.
std::string escape(std::string_view text)
{
  std::string out;
  bool line_start = true;
  for (char c : text) {
    if (line_start && (c == '.' || c == '\'')) {
      out += "\\&";
    }
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-') {
      out += "\\-";
    } else {
      out += c;
    }
    line_start = c == '\n';
  }
  return out;
}

// Paragraphs separated by blank lines, as .PP blocks.
std::string paragraphs(std::string_view text)
{
  std::string out;
  while (!text.empty()) {
    auto end = text.find("\n\n");
    out += ".PP\n" + escape(text.substr(0, end)) + "\n";
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 2);
  }
  return out;
}

std::string option_heading(const OptionModel& option)
{
  std::string heading;
  for (const auto& name : option.names) {
    heading += (heading.empty() ? "" : ", ") + fmt::format("\\fB{}\\fR", escape(name));
  }
  if (option.takes_value) {
    heading += fmt::format(" \\fI{}\\fR", escape(option.type_name));
  }
  return heading;
}

std::string options_section(std::string_view title, const std::vector<OptionModel>& options)
{
  std::string out = fmt::format(".SH {}\n", title);
  for (const auto& option : options) {
    out += ".TP\n" + option_heading(option) + "\n" + escape(option.help) + "\n";
    if (!option.values.empty()) {
      std::string values;
      for (const auto& value : option.values) {
        values += (values.empty() ? "" : ", ") + value;
      }
      out += ".br\n" + escape("Values: " + values) + "\n";
    }
  }
  return out;
}

std::string exit_rows(std::span<const cli::ExitStatusDoc> rows)
{
  std::string out;
  for (const auto& row : rows) {
    std::string code =
      row.code == exit_code::run_signal_base ? "128+N" : fmt::format("{}", row.code);
    out += ".TP\n.B " + escape(code) + "\n" + escape(row.meaning) + "\n";
  }
  return out;
}

std::string exit_status_section(const CommandModel& command)
{
  std::string out = ".SH EXIT STATUS\n";
  bool is_run = !command.path.empty() && (command.path[0] == "run" || command.path[0] == "exec");
  if (command.path.empty() || !is_run) {
    out += exit_rows(cli::exit_status_docs());
  }
  if (command.path.empty() || is_run) {
    out += ".PP\n";
    out += command.path.empty()
             ? escape("run and exec exit with the container's (command's) own code, or:\n")
             : escape("The container's (command's) own exit code, or:\n");
    out += exit_rows(cli::run_exit_status_docs());
  }
  out += ".PP\n" + escape("Output that cannot be written is an error: 1 (125 for run and exec).\n");
  return out;
}

std::string name_list(std::span<const NameText> items)
{
  std::string out;
  for (const auto& item : items) {
    out += ".TP\n.B " + escape(item.name) + "\n" + escape(item.text) + "\n";
  }
  return out;
}

void collect_pages(const CommandModel& command, std::vector<const CommandModel*>& out)
{
  for (const auto& sub : command.subcommands) {
    if (!sub.refused) {
      out.push_back(&sub);
      collect_pages(sub, out);
    }
  }
}

} // namespace

std::string man_page(const CommandModel& root, const CommandModel& command)
{
  std::string path = join_words(command.path);
  const CommandDoc* doc = find_command_doc(path);
  if (!doc) {
    throw std::invalid_argument(fmt::format(
      "`{}` has no entry in tools/docgen/command_docs.cpp (its description and examples)",
      command.display_name()));
  }
  std::string page = command.page_name();
  std::string upper;
  for (char c : page) {
    upper += static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  }
  std::string out =
    fmt::format(".\\\" Generated by crun-any-docgen from the command tree: do not edit.\n"
                ".TH {} 1 \"\" \"crun-any {}\" \"User Commands\"\n",
                escape(upper), CRUN_ANY_VERSION);
  std::string summary = command.path.empty()
                          ? "one pull, run and inspect over Docker, Podman and Apple's container"
                          : command.help;
  out += ".SH NAME\n" + escape(page) + " \\- " + escape(summary) + "\n";
  out += ".SH SYNOPSIS\n.B " + escape(command.usage) + "\n";
  out += ".SH DESCRIPTION\n";
  out += paragraphs(command.path.empty() ? std::string(cli::program_description()) : command.help);
  out += paragraphs(doc->description);
  if (!command.positionals.empty()) {
    out += ".SH ARGUMENTS\n";
    for (const auto& positional : command.positionals) {
      out += ".TP\n\\fI" + escape(positional.name) + "\\fR" + (positional.many ? "..." : "") +
             "\n" + escape(positional.help) + "\n";
    }
  }
  out += options_section(command.path.empty() ? "GLOBAL OPTIONS" : "OPTIONS", command.options);
  if (!command.path.empty()) {
    out += ".PP\n" + escape("The global options of crun-any(1) are accepted too.") + "\n";
  }
  std::vector<const CommandModel*> pages;
  collect_pages(command, pages);
  if (!pages.empty()) {
    out += ".SH COMMANDS\n";
    for (const CommandModel* sub : pages) {
      out += ".TP\n.BR " + escape(sub->page_name()) + " (1)\n" + escape(sub->help) + "\n";
    }
  }
  if (command.path.empty()) {
    std::string refused;
    for (const auto& sub : command.subcommands) {
      if (sub.refused) {
        refused += (refused.empty() ? "" : ", ") + sub.path.back();
      }
    }
    if (!refused.empty()) {
      out += ".SH REFUSED COMMANDS\n.PP\n" +
             escape("These exist only to be refused (exit 3): images are pulled, never made "
                    "locally: " +
                    refused + ".") +
             "\n";
    }
  }
  out += exit_status_section(command);
  if (command.path.empty()) {
    out += ".SH ENVIRONMENT\n" + name_list(k_environment);
    out += ".SH FILES\n" + name_list(k_files);
  }
  out += ".SH EXAMPLES\n";
  for (const auto& example : doc->examples) {
    out += ".PP\n" + escape(example.what) + "\n.PP\n.RS 4\n.EX\n" + escape(example.command) +
           "\n.EE\n.RE\n";
  }
  // Page names neither hyphenated nor spread out.
  out += ".SH SEE ALSO\n.nh\n.ad l\n";
  std::string see;
  std::vector<const CommandModel*> all_pages{&root};
  collect_pages(root, all_pages);
  for (const CommandModel* other : all_pages) {
    if (other != &command) {
      see += (see.empty() ? "" : ",\n") + fmt::format(".BR {} (1)", escape(other->page_name()));
    }
  }
  out += see + "\n";
  return out;
}

} // namespace crun::docgen
