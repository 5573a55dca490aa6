// `crun-any policy show [--json]`: the effective policy, each value with the
// file(s) that set it. `crun-any policy check [--platform P] [--json]
// IMAGE...`: the verdict for each image, every violation, without an engine,
// a pull or a run (exit 0 when all are allowed, 3 when any is refused).

#include <crun/cli/commands.hpp>
#include <crun/cli/session.hpp>
#include <crun/core/error.hpp>
#include <crun/core/policy_merge.hpp>
#include <crun/transport/host_platform.hpp>

#include <CLI/CLI.hpp>
#include <fmt/ostream.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

namespace crun::cli {
namespace {

template <typename T>
void add_rule(nlohmann::json& rules, std::string_view name,
              const std::optional<core::Sourced<T>>& rule,
              const std::function<nlohmann::json(const T&)>& value)
{
  if (rule) {
    rules[std::string(name)] = {{"value", value(rule->value)}, {"sources", rule->sources}};
  }
}

template <typename T>
nlohmann::json strings(const std::vector<T>& items)
{
  nlohmann::json list = nlohmann::json::array();
  for (const auto& item : items) {
    if constexpr (std::is_same_v<T, std::string>) {
      list.push_back(item);
    } else if constexpr (std::is_same_v<T, core::VerbPath>) {
      list.push_back(core::verb_path_str(item));
    } else {
      list.push_back(item.str());
    }
  }
  return list;
}

// Every rule a policy sets, as {"rule": {"value": ..., "sources": [...]}}.
nlohmann::json rules_json(const core::Policy& policy)
{
  nlohmann::json rules = nlohmann::json::object();
  using Prefixes = std::vector<core::RegistryPrefix>;
  using Platforms = std::vector<core::Platform>;
  using Words = std::vector<std::string>;
  auto flag = [](const bool& on) { return nlohmann::json(on); };
  add_rule<Prefixes>(rules, "allowed_registries", policy.allowed_registries,
                     strings<core::RegistryPrefix>);
  add_rule<bool>(rules, "require_digest", policy.require_digest, flag);
  add_rule<bool>(rules, "pull_only", policy.pull_only, flag);
  add_rule<std::vector<core::VerbPath>>(rules, "blocked_verbs", policy.blocked_verbs,
                                        strings<core::VerbPath>);
  add_rule<core::Platform>(rules, "platform", policy.platform,
                           [](const core::Platform& p) { return nlohmann::json(p.str()); });
  add_rule<Platforms>(rules, "platforms", policy.platforms, strings<core::Platform>);
  add_rule<core::EmulationMode>(rules, "emulation", policy.emulation,
                                [](const core::EmulationMode& m) {
                                  return nlohmann::json(std::string(core::emulation_mode_name(m)));
                                });
  add_rule<Words>(rules, "backends", policy.backends, strings<std::string>);
  add_rule<std::string>(rules, "lockfile", policy.lockfile,
                        [](const std::string& path) { return nlohmann::json(path); });
  add_rule<bool>(rules, "require_lock", policy.require_lock, flag);
  add_rule<bool>(rules, "privileged", policy.privileged, flag);
  return rules;
}

std::string value_text(const nlohmann::json& value)
{
  if (value.is_array()) {
    std::vector<std::string> items;
    for (const auto& item : value) {
      items.push_back(item.get<std::string>());
    }
    return fmt::format("{}", fmt::join(items, ", "));
  }
  return value.is_string() ? value.get<std::string>() : value.dump();
}

class PolicyShow : public Command {
public:
  explicit PolicyShow(CLI::App& sub)
  {
    sub.add_flag("--json", m_json, "The files and rules as one JSON object");
  }

  int execute(Context& ctx) override
  {
    static const LoadedPolicy none;
    const LoadedPolicy& loaded = ctx.policy ? ctx.policy->loaded : none;
    nlohmann::json files = nlohmann::json::array();
    for (const auto& file : loaded.files) {
      files.push_back(
        {{"level", core::policy_level_name(file.level)}, {"path", file.path.string()}});
    }
    nlohmann::json rules = rules_json(loaded.effective);
    if (m_json) {
      nlohmann::json doc = {{"files", files}, {"policy", rules}};
      ctx.io.out << doc.dump(2) << "\n";
      return exit_code::ok;
    }
    if (loaded.files.empty()) {
      fmt::print(ctx.io.out, "No policy file: no rule is in effect (crun-any still refuses the "
                             "verbs that make images locally).\n");
      return exit_code::ok;
    }
    fmt::print(ctx.io.out, "Policy files, strongest first:\n");
    for (const auto& file : loaded.files) {
      fmt::print(ctx.io.out, "  {:<9} {}\n", core::policy_level_name(file.level),
                 file.path.string());
    }
    if (rules.empty()) {
      fmt::print(ctx.io.out, "No rule is set by them.\n");
      return exit_code::ok;
    }
    fmt::print(ctx.io.out, "Rules in effect:\n");
    for (const auto& [name, rule] : rules.items()) {
      std::vector<std::string> sources = rule["sources"].get<std::vector<std::string>>();
      fmt::print(ctx.io.out, "  {:<19} {}  (set by {})\n", name, value_text(rule["value"]),
                 core::describe_sources(sources));
    }
    return exit_code::ok;
  }

private:
  bool m_json = false;
};

class PolicyCheck : public Command {
public:
  explicit PolicyCheck(CLI::App& sub)
  {
    sub.add_option("--platform", m_platform, "Platform to check for: os/arch[/variant]")
      ->type_name("P");
    sub.add_flag("--json", m_json, "One JSON object per image, in an array");
    sub.add_option("IMAGE", m_images, "Images to check")->required();
  }

  int execute(Context& ctx) override
  {
    Session session(ctx, {"policy", "check"});
    // No engine: the platform is the chosen one, the policy's, or what an
    // engine on this machine runs natively.
    auto choice = core::choose_platform(m_platform, ctx.env,
                                        [] { return transport::host_container_platform(); });
    const core::Policy& policy = effective_policy(ctx);
    core::Platform platform = choice.explicit_choice || !policy.platform
                                ? choice.platform
                                : policy.platform->value.normalized();
    const std::string platform_name = platform.str();
    nlohmann::json docs = nlohmann::json::array();
    std::size_t refused = 0;
    for (const auto& image : m_images) {
      core::ImageRef ref = core::ImageRef::parse(image);
      core::PolicyVerdict verdict = session.judge(ref, platform);
      refused += verdict.allowed() ? 0 : 1;
      if (m_json) {
        nlohmann::json violations = nlohmann::json::array();
        for (const auto& v : verdict.violations) {
          violations.push_back({{"rule", v.rule}, {"file", v.file}, {"message", v.message}});
        }
        docs.push_back({{"image", image},
                        {"platform", platform_name},
                        {"allowed", verdict.allowed()},
                        {"violations", violations}});
        continue;
      }
      fmt::print(ctx.io.out, "{} {} {}\n", image, platform_name,
                 verdict.allowed() ? "allowed" : "refused");
      for (const auto& v : verdict.violations) {
        fmt::print(ctx.io.out, "  - {}\n", v.message);
      }
    }
    if (m_json) {
      ctx.io.out << docs.dump(2) << "\n";
    }
    ctx.io.out.flush();
    if (refused > 0) {
      fail(Errc::policy_denied, "{} of {} images are refused by the policy for {}", refused,
           m_images.size(), platform.str());
    }
    return exit_code::ok;
  }

private:
  std::optional<std::string> m_platform;
  bool m_json = false;
  std::vector<std::string> m_images;
};

// `policy` alone is no command: it needs show or check.
class PolicyGroup : public Command {
public:
  PolicyGroup(CLI::App& sub, Command& show, Command& check)
    : m_sub(sub), m_show(show), m_check(check)
  {
  }

  int execute(Context& ctx) override
  {
    if (m_sub.get_subcommand("show")->parsed()) {
      return m_show.execute(ctx);
    }
    if (m_sub.get_subcommand("check")->parsed()) {
      return m_check.execute(ctx);
    }
    fail(Errc::usage, "policy needs a subcommand: crun-any policy show [--json] | policy check "
                      "[--platform P] IMAGE...");
  }

private:
  CLI::App& m_sub;
  Command& m_show;
  Command& m_check;
};

} // namespace

void add_policy_command(CLI::App& app, std::vector<CommandEntry>& out)
{
  CLI::App* sub =
    app.add_subcommand("policy", "Show the effective policy, or check images against it");
  sub->require_subcommand(0, 1);
  CLI::App* show_sub =
    sub->add_subcommand("show", "The effective policy and the file of each rule");
  CLI::App* check_sub =
    sub->add_subcommand("check", "Whether images are allowed, without pulling or running them");
  // The group owns its two parts; they live as long as the entry does.
  struct Owned : PolicyGroup {
    Owned(CLI::App& sub, std::unique_ptr<Command> show, std::unique_ptr<Command> check)
      : PolicyGroup(sub, *show, *check), m_show(std::move(show)), m_check(std::move(check))
    {
    }
    std::unique_ptr<Command> m_show;
    std::unique_ptr<Command> m_check;
  };
  out.push_back({sub, std::make_unique<Owned>(*sub, std::make_unique<PolicyShow>(*show_sub),
                                              std::make_unique<PolicyCheck>(*check_sub))});
}

} // namespace crun::cli
