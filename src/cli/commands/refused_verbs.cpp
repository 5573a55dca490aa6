// Build-type verbs exist only to be refused: the team's images are built in CI
// and pulled from its registry, never built, committed, imported or loaded on
// a laptop (README.md, Usage: images come from the registry).

#include <crun/cli/commands.hpp>
#include <crun/core/error.hpp>

#include <CLI/CLI.hpp>

namespace crun::cli {
namespace {

constexpr const char* k_refused[] = {"build", "buildx", "builder", "commit", "import", "load"};

class RefusedVerb : public Command {
public:
  explicit RefusedVerb(std::string verb) : m_verb(std::move(verb)) {}

  bool takes_raw_arguments() const override { return true; }

  int execute(Context&) override
  {
    fail(Errc::policy_denied,
         "\"{}\" is refused by the pull_only policy: images come from the team's registry, "
         "pinned by digest, and are never built, committed, imported or loaded locally; "
         "pull the image CI published instead (crun-any pull IMAGE)",
         m_verb);
  }

private:
  std::string m_verb;
};

} // namespace

void add_refused_verbs(CLI::App& app, std::vector<CommandEntry>& out)
{
  for (const char* verb : k_refused) {
    CLI::App* sub = app.add_subcommand(verb, "Refused: images are pulled, never built locally");
    sub->group("Refused by policy");
    sub->allow_extras();
    out.push_back({sub, std::make_unique<RefusedVerb>(verb)});
  }
}

} // namespace crun::cli
