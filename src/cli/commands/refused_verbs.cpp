// The verbs that make image content locally exist only to be refused: the
// team's images are built in CI and pulled from its registry, never built,
// committed, imported or loaded on a laptop (docs/policy.md, pull_only).
// The frame has already refused what the policy's pull_only blocks, naming
// the file; what reaches execute() is refused by crun-any itself: a verb of
// the built-in list (default_blocked_verbs) always, as crun-any implements
// none of them, and any other words under these names as unknown.

#include <crun/cli/commands.hpp>
#include <crun/core/error.hpp>
#include <crun/core/policy.hpp>
#include <crun/core/policy_evaluate.hpp>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <set>

namespace crun::cli {
namespace {

} // namespace

void refuse_verb(const core::VerbPath& verb)
{
  for (const auto& blocked : core::default_blocked_verbs()) {
    if (core::verb_blocked(verb, {blocked})) {
      fail(Errc::policy_denied,
           "\"{}\" is refused by the pull_only policy (crun-any's built-in rule, whatever "
           "the policy files say): images come from the team's registry, pinned by digest, "
           "and are never built, committed, imported or loaded locally; pull the image CI "
           "published instead (crun-any pull IMAGE)",
           core::verb_path_str(blocked));
    }
  }
  fail(Errc::usage,
       "crun-any has no `{}` command: it pulls, runs and inspects images from the registry; "
       "use the engine's own CLI for anything else",
       core::verb_path_str(verb));
}

namespace {

class RefusedVerb : public Command {
public:
  explicit RefusedVerb(std::string verb) : m_verb(std::move(verb)) {}

  bool takes_raw_arguments() const override { return true; }
  void set_positionals(std::vector<std::string> args) override { m_args = std::move(args); }

  int execute(Context&) override
  {
    core::VerbPath verb{m_verb};
    for (const auto& arg : m_args) {
      if (arg.starts_with("-")) {
        break;
      }
      verb.push_back(arg);
    }
    refuse_verb(verb);
  }

private:
  std::string m_verb;
  std::vector<std::string> m_args;
};

// The first words of the built-in list: build, buildx, ..., image,
// container, artifact, clean.
std::vector<std::string> refused_words()
{
  std::vector<std::string> words;
  std::set<std::string> seen;
  for (const auto& verb : core::default_blocked_verbs()) {
    if (!verb.empty() && seen.insert(verb.front()).second) {
      words.push_back(verb.front());
    }
  }
  return words;
}

} // namespace

void add_refused_verbs(CLI::App& app, std::vector<CommandEntry>& out)
{
  for (const auto& verb : refused_words()) {
    // A word that is also a command of its own (`images`, whose `images
    // load` is refused) is refused by that command (refuse_verb).
    if (std::any_of(out.begin(), out.end(), [&](const CommandEntry& entry) {
          return entry.subcommand->get_name() == verb;
        })) {
      continue;
    }
    CLI::App* sub = app.add_subcommand(verb, "Refused: images are pulled, never made locally");
    sub->group("Refused by policy");
    sub->allow_extras();
    out.push_back({sub, std::make_unique<RefusedVerb>(verb)});
  }
}

} // namespace crun::cli
