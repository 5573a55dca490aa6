// The generated completions and man pages (build/share, written by
// crun-any-docgen) against the live CLI11 tree: every command and option is
// offered by bash, zsh and fish and appears in its man page, every command
// has its docs entry, and `crun-any CMD --help` says what the page says.
// The shells and groff run for real; a file that was not regenerated after
// the tree changed fails here.

#include <crun/backends/run_spec.hpp>
#include <crun/cli/command_tree.hpp>
#include <crun/cli/progress.hpp>
#include <crun/docgen/command_docs.hpp>

#include <CLI/CLI.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using ::testing::Contains;
using ::testing::EndsWith;
using ::testing::IsSupersetOf;
using ::testing::UnorderedElementsAreArray;

// One command of the live tree (the refused build-type verbs have no
// completion nor page of their own).
struct LiveCommand {
  std::vector<std::string> path;
  CLI::App* app;
};

std::string join(const std::vector<std::string>& words, const std::string& separator = " ")
{
  std::string text;
  for (const auto& word : words) {
    text += (text.empty() ? "" : separator) + word;
  }
  return text;
}

void walk(CLI::App* app, const std::vector<std::string>& path, std::vector<LiveCommand>& out)
{
  out.push_back({path, app});
  for (CLI::App* sub : app->get_subcommands({})) {
    if (sub->get_group() == "Refused by policy") {
      continue;
    }
    std::vector<std::string> sub_path = path;
    sub_path.push_back(sub->get_name());
    walk(sub, sub_path, out);
  }
}

std::vector<std::string> option_names(const CLI::App* app)
{
  std::vector<std::string> names;
  for (const CLI::Option* option : app->get_options()) {
    for (const auto& name : option->get_snames()) {
      names.push_back("-" + name);
    }
    for (const auto& name : option->get_lnames()) {
      names.push_back("--" + name);
    }
  }
  return names;
}

std::string quote(const std::string& text)
{
  std::string quoted = "'";
  for (char c : text) {
    quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return quoted + "'";
}

// The standard output of `command` run by /bin/sh; a failed exit fails the test.
std::string capture(const std::string& command)
{
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) {
    ADD_FAILURE() << "cannot run " << command;
    return out;
  }
  std::array<char, 4096> buffer{};
  std::size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
    out.append(buffer.data(), n);
  }
  int status = pclose(pipe);
  EXPECT_EQ(status, 0) << command << "\n" << out;
  return out;
}

std::vector<std::string> lines_of(const std::string& text)
{
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) {
      end = text.size();
    }
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

std::string share(const std::string& relative)
{
  return std::string(CRUN_DOCGEN_SHARE) + "/" + relative;
}

struct Shell {
  const char* name;
  const char* runner; // the interpreter and its options
  const char* script; // under share/completions
};

const Shell k_shells[] = {
  {"bash", "bash --norc --noprofile", "crun-any.bash"},
  {"zsh", "zsh -f", "_crun-any"},
  {"fish", "fish --no-config", "crun-any.fish"},
};

// The candidates `shell` offers for `line`, the cursor at its end.
std::vector<std::string> complete(const Shell& shell, const std::string& line)
{
  std::string driver = std::string(CRUN_DOCGEN_TEST_DIR) + "/complete." + shell.name;
  return lines_of(
    capture(fmt::format("{} {} {} {}", shell.runner, quote(driver),
                        quote(share(std::string("completions/") + shell.script)), quote(line))));
}

// A man page as man(1) shows it, without formatting, on lines long enough
// that nothing wraps; runs of blanks made one space.
std::string rendered_page(const std::string& page)
{
  std::string text = capture("groff -man -Tutf8 -rLL=2000n -rHY=0 -P-cbou " +
                             quote(share("man/man1/" + page + ".1")) + " 2>&1");
  return std::regex_replace(text, std::regex("[ \t\n]+"), " ");
}

std::string page_name(const std::vector<std::string>& path)
{
  return path.empty() ? "crun-any" : "crun-any-" + join(path, "-");
}

std::string normalised(const std::string& text)
{
  return std::regex_replace(text, std::regex("[ \t\n]+"), " ");
}

bool has_word(const std::string& text, const std::string& word)
{
  std::string pattern = "(^|[ ,(])" +
                        std::regex_replace(word, std::regex(R"([-\[\]().*+?^$|\\])"), R"(\$&)") +
                        "($|[ ,.)])";
  return std::regex_search(text, std::regex(pattern));
}

class GeneratedDocs : public ::testing::Test {
protected:
  void SetUp() override
  {
    tree = crun::cli::make_command_tree(global);
    walk(tree.app.get(), {}, commands);
  }
  crun::cli::GlobalOptions global;
  crun::cli::CommandTree tree;
  std::vector<LiveCommand> commands;
};

TEST_F(GeneratedDocs, EachShellOffersEveryCommand)
{
  for (const auto& shell : k_shells) {
    for (const auto& command : commands) {
      if (command.path.empty()) {
        continue;
      }
      std::vector<std::string> parent(command.path.begin(), command.path.end() - 1);
      std::string line = "crun-any " + join(parent) + (parent.empty() ? "" : " ");
      EXPECT_THAT(complete(shell, line), ::testing::Contains(command.path.back()))
        << shell.name << ": `" << line << "<TAB>` does not offer " << join(command.path)
        << " (regenerate: cmake --build build)";
    }
  }
}

TEST_F(GeneratedDocs, EachShellOffersEveryOptionOfEveryCommand)
{
  for (const auto& shell : k_shells) {
    for (const auto& command : commands) {
      std::string line = "crun-any " + join(command.path) + (command.path.empty() ? "-" : " -");
      auto offered = complete(shell, line);
      for (const auto& name : option_names(command.app)) {
        EXPECT_THAT(offered, ::testing::Contains(name))
          << shell.name << ": `" << line << "<TAB>` does not offer " << name;
      }
    }
  }
}

TEST_F(GeneratedDocs, EachShellOffersTheValuesOfTheParsers)
{
  std::vector<std::string> backends(crun::cli::backend_names().begin(),
                                    crun::cli::backend_names().end());
  auto pulls = crun::backends::pull_policy_names();
  auto modes = crun::cli::progress_mode_names();
  for (const auto& shell : k_shells) {
    EXPECT_THAT(complete(shell, "crun-any --backend "), UnorderedElementsAreArray(backends))
      << shell.name;
    EXPECT_THAT(complete(shell, "crun-any run --pull "),
                UnorderedElementsAreArray(std::vector<std::string>(pulls.begin(), pulls.end())))
      << shell.name;
    EXPECT_THAT(complete(shell, "crun-any pull --progress "),
                UnorderedElementsAreArray(std::vector<std::string>(modes.begin(), modes.end())))
      << shell.name;
    EXPECT_THAT(complete(shell, "crun-any inspect --type "),
                UnorderedElementsAreArray({"image", "container"}))
      << shell.name;
    EXPECT_THAT(complete(shell, "crun-any run --platform linux/arm"),
                IsSupersetOf({"linux/arm64", "linux/arm/v7"}))
      << shell.name;
    EXPECT_THAT(complete(shell, "crun-any ps --format "), ::testing::ElementsAre("json"))
      << shell.name;
    EXPECT_THAT(complete(shell, "crun-any ru"), ::testing::ElementsAre("run")) << shell.name;
    EXPECT_THAT(complete(shell, "crun-any run --pl"), ::testing::ElementsAre("--platform"))
      << shell.name;
    EXPECT_THAT(complete(shell, "crun-any policy "), UnorderedElementsAreArray({"show", "check"}))
      << shell.name;
    // A positional with a fixed set (an IsMember check), and only in its place.
    EXPECT_THAT(complete(shell, "crun-any completion "),
                UnorderedElementsAreArray({"bash", "zsh", "fish"}))
      << shell.name;
    EXPECT_THAT(complete(shell, "crun-any completion bash "), ::testing::IsEmpty()) << shell.name;
  }
}

TEST_F(GeneratedDocs, NoShellOffersCrunAnyOptionsToTheContainersCommand)
{
  for (const auto& shell : k_shells) {
    EXPECT_THAT(complete(shell, "crun-any run alpine:3.20 -"), ::testing::IsEmpty()) << shell.name;
    EXPECT_THAT(complete(shell, "crun-any run -v /a:/b --rm alpine:3.20 ls --"),
                ::testing::IsEmpty())
      << shell.name;
    EXPECT_THAT(complete(shell, "crun-any exec web -"), ::testing::IsEmpty()) << shell.name;
    // Before the image they are crun-any's, and -v is run's --volume.
    EXPECT_THAT(complete(shell, "crun-any run -v /a:/b --r"), ::testing::Contains("--rm"))
      << shell.name;
  }
}

TEST_F(GeneratedDocs, EachShellCompletesFilesForAFileOption)
{
  fs::path dir = fs::temp_directory_path() / ("crun-docgen-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "team-policy.json") << "{}\n";
  for (const auto& shell : k_shells) {
    // zsh's _files offers the path's components; bash and fish the path.
    EXPECT_THAT(complete(shell, "crun-any --policy " + (dir / "team-").string()),
                Contains(EndsWith("team-policy.json")))
      << shell.name;
    EXPECT_THAT(complete(shell, "crun-any run --env-file " + (dir / "te").string()),
                Contains(EndsWith("team-policy.json")))
      << shell.name;
  }
  fs::remove_all(dir);
}

TEST_F(GeneratedDocs, EachCommandAndOptionIsInTheManPageOfItsCommand)
{
  std::string main_page = rendered_page("crun-any");
  for (const auto& command : commands) {
    std::string text = rendered_page(page_name(command.path));
    for (const auto& name : option_names(command.app)) {
      EXPECT_TRUE(has_word(text, name)) << page_name(command.path) << "(1) lacks " << name;
    }
    for (const CLI::Option* option : command.app->get_options()) {
      EXPECT_THAT(text, ::testing::HasSubstr(normalised(option->get_description())))
        << page_name(command.path) << "(1)";
    }
    if (!command.path.empty()) {
      EXPECT_THAT(main_page, ::testing::HasSubstr(page_name(command.path) + "(1)"));
    }
  }
  for (CLI::App* sub : tree.app->get_subcommands({})) {
    if (sub->get_group() == "Refused by policy") {
      EXPECT_TRUE(has_word(main_page, sub->get_name()))
        << "crun-any(1) lacks the refused verb " << sub->get_name();
    }
  }
}

TEST_F(GeneratedDocs, EachCommandHasItsEntryAndEachEntryItsCommand)
{
  std::set<std::string> paths;
  for (const auto& command : commands) {
    std::string path = join(command.path);
    paths.insert(path);
    const auto* doc = crun::docgen::find_command_doc(path);
    ASSERT_NE(doc, nullptr) << "`crun-any " << path
                            << "` has no entry in tools/docgen/command_docs.cpp";
    EXPECT_FALSE(doc->description.empty()) << path;
    EXPECT_FALSE(doc->examples.empty()) << path;
  }
  for (const auto& doc : crun::docgen::command_docs()) {
    EXPECT_TRUE(paths.count(std::string(doc.path))) << "an entry for no command: " << doc.path;
  }
}

TEST_F(GeneratedDocs, TheExitStatusTableIsTheFootersOne)
{
  std::string footer = tree.app->get_footer();
  std::string page = rendered_page("crun-any");
  for (auto rows : {crun::cli::exit_status_docs(), crun::cli::run_exit_status_docs()}) {
    for (const auto& row : rows) {
      std::string code =
        row.code == crun::exit_code::run_signal_base ? "128+N" : std::to_string(row.code);
      EXPECT_THAT(footer, ::testing::HasSubstr(code + " ")) << "--help's footer lacks " << code;
      EXPECT_THAT(page, ::testing::HasSubstr(code + " " + std::string(row.meaning)));
    }
  }
}

// What `crun-any CMD --help` prints: each option line's names and help, and
// each positional's help, are in the man page as man(1) renders it.
TEST_F(GeneratedDocs, HelpAndManPageNeverDisagree)
{
  std::regex option_line(R"(^  (-\S+)(?: \S.*?)?(?:\s{2,}(\S.*))?$)");
  std::regex positional_line(R"(^  ([A-Z]+)\b.*?\s{2,}(\S.*)$)");
  for (const auto& command : commands) {
    std::string help = capture(std::string(CRUN_ANY_BIN) + " " + join(command.path) + " --help");
    std::string page = rendered_page(page_name(command.path));
    auto lines = lines_of(help);
    ASSERT_FALSE(lines.empty());
    EXPECT_THAT(page, ::testing::HasSubstr(normalised(lines[1].substr(lines[1].find(':') + 2))))
      << "the usage line of " << join(command.path);
    std::string section;
    int checked = 0;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const std::string& line = lines[i];
      if (!line.empty() && line.back() == ':' && line.front() != ' ') {
        section = line;
        continue;
      }
      std::smatch match;
      if (section == "Options:" && std::regex_match(line, match, option_line)) {
        std::string names = match[1].str();
        std::string text = match[2].str();
        if (text.empty() && i + 1 < lines.size()) {
          text = lines[i + 1].substr(lines[i + 1].find_first_not_of(' '));
        }
        std::size_t start = 0;
        while (start < names.size()) {
          auto comma = names.find(',', start);
          std::string name = names.substr(start, comma - start);
          EXPECT_TRUE(has_word(page, name)) << page_name(command.path) << "(1) lacks " << name;
          start = comma == std::string::npos ? names.size() : comma + 1;
        }
        EXPECT_THAT(page, ::testing::HasSubstr(normalised(text))) << names;
        ++checked;
      } else if (section == "Positionals:" && std::regex_match(line, match, positional_line)) {
        EXPECT_THAT(page, ::testing::HasSubstr(normalised(match[2].str()))) << match[1];
      }
    }
    EXPECT_GE(checked, 1) << "no option line read from `" << join(command.path) << " --help`";
  }
}

} // namespace
