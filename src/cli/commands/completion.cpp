// `crun-any completion bash|zsh|fish`: prints the completion script shipped
// with this crun-any, as `docker completion` does, for a shell set up by hand
// (`source <(crun-any completion bash)`). The scripts are generated from the
// command tree at build time (tools/docgen) and installed beside the binary;
// this command finds them from the binary's own path, so it prints exactly
// what `cmake --install`, the .deb or Homebrew put in place.

#include <crun/cli/commands.hpp>
#include <crun/core/error.hpp>
#include <crun/transport/executable_path.hpp>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <filesystem>
#include <fstream>

namespace crun::cli {
namespace {

namespace fs = std::filesystem;

// Under the prefix (the binary's directory's parent): the installed paths
// first (Debian's zsh directory, then the common one), then the build tree's.
std::vector<std::string> script_paths(const std::string& shell)
{
  if (shell == "bash") {
    return {"share/bash-completion/completions/crun-any", "share/completions/crun-any.bash"};
  }
  if (shell == "zsh") {
    return {"share/zsh/vendor-completions/_crun-any", "share/zsh/site-functions/_crun-any",
            "share/completions/_crun-any"};
  }
  return {"share/fish/vendor_completions.d/crun-any.fish", "share/completions/crun-any.fish"};
}

class CompletionCommand : public Command {
public:
  explicit CompletionCommand(CLI::App& sub)
  {
    sub.add_option("SHELL", m_shell, "The shell: bash, zsh or fish")
      ->required()
      ->check(CLI::IsMember({"bash", "zsh", "fish"}));
  }

  int execute(Context& ctx) override
  {
    auto exe = transport::executable_path();
    if (!exe) {
      fail(Errc::not_found,
           "cannot tell where this crun-any is installed, so its {} completion script cannot "
           "be found; source the one installed with it instead (docs/completions-and-man.md)",
           m_shell);
    }
    const fs::path prefix = fs::path(*exe).parent_path().parent_path();
    std::vector<std::string> tried;
    for (const auto& relative : script_paths(m_shell)) {
      const fs::path path = prefix / relative;
      std::ifstream in(path, std::ios::binary);
      if (!in) {
        tried.push_back(path.string());
        continue;
      }
      ctx.io.out << in.rdbuf();
      if (in.bad()) {
        fail(Errc::file_error, "cannot read {}", path.string());
      }
      return exit_code::ok;
    }
    fail(Errc::not_found,
         "no {} completion script is installed with this crun-any (looked for {}); install "
         "crun-any with `cmake --install`, its .deb or Homebrew, which put the scripts there",
         m_shell, fmt::join(tried, ", "));
  }

private:
  std::string m_shell;
};

} // namespace

void add_completion_command(CLI::App& app, std::vector<CommandEntry>& out)
{
  CLI::App* sub =
    app.add_subcommand("completion", "Print the completion script for bash, zsh or fish");
  out.push_back({sub, std::make_unique<CompletionCommand>(*sub)});
}

} // namespace crun::cli
