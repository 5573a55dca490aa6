// `crun-any inspect [--type image|container] [--raw] [--format F] NAME...`:
// one JSON schema for every engine (docs/inspect-schema.md).

#include <crun/cli/commands.hpp>
#include <crun/cli/session.hpp>
#include <crun/core/error.hpp>
#include <crun/core/format_template.hpp>
#include <crun/util/printable.hpp>

#include <CLI/CLI.hpp>
#include <fmt/ostream.h>
#include <nlohmann/json.hpp>

namespace crun::cli {
namespace {

class InspectCommand : public Command {
public:
  explicit InspectCommand(CLI::App& sub)
  {
    sub.add_option("--type", m_type, "What NAME is: image or container (default: either)")
      ->check(CLI::IsMember({"image", "container"}));
    sub.add_flag("--raw", m_raw, "Print the engine's own JSON");
    sub
      .add_option("-f,--format", m_format, "json, or a template like '{{.platform.architecture}}'")
      ->type_name("F");
    sub.add_option("NAME", m_names, "Images or containers")->required();
  }

  int execute(Context& ctx) override
  {
    // Inspect only reads what the engine has: of the policy, the verb and
    // backends rules apply (an inspected name may be a container's).
    Session session(ctx, {"inspect"});
    backends::Engine* engine = &session.engine();
    nlohmann::json found = nlohmann::json::array();
    std::vector<std::string> missing;
    for (const auto& name : m_names) {
      if (auto doc = lookup(*engine, name)) {
        found.push_back(std::move(*doc));
      } else {
        missing.push_back(name);
      }
    }
    if (m_format.empty() || m_format == "json") {
      if (!found.empty() || missing.empty()) {
        ctx.io.out << found.dump(4) << "\n";
      }
    } else {
      for (const auto& doc : found) {
        ctx.io.out << core::render_template(m_format, doc) << "\n";
      }
    }
    ctx.io.out.flush();
    for (const auto& name : missing) {
      fmt::print(ctx.io.err, "crun-any: error: no such {}: {}\n", what(),
                 util::escape_unprintable(name));
    }
    return missing.empty() ? exit_code::ok : exit_code::failed;
  }

private:
  std::string what() const { return m_type.empty() ? "image or container" : m_type; }

  std::optional<nlohmann::json> lookup(backends::Engine& engine, const std::string& name)
  {
    if (m_type != "container") {
      if (auto image = engine.inspect_image(name)) {
        return m_raw ? image->raw : backends::to_json(*image);
      }
    }
    if (m_type != "image") {
      if (auto container = engine.inspect_container(name)) {
        return m_raw ? container->raw : backends::to_json(*container);
      }
    }
    return std::nullopt;
  }

  std::string m_type;
  bool m_raw = false;
  std::string m_format;
  std::vector<std::string> m_names;
};

} // namespace

void add_inspect_command(CLI::App& app, std::vector<CommandEntry>& out)
{
  CLI::App* sub = app.add_subcommand("inspect", "Show images or containers in one JSON schema");
  out.push_back({sub, std::make_unique<InspectCommand>(*sub)});
}

} // namespace crun::cli
