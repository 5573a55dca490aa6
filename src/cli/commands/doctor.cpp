// `crun-any doctor [--json]`: every backend candidate found, its endpoint and
// where it came from, its kind, versions and health, and why it was chosen
// or rejected, with the fix for each rejection (docs/backends.md).
// Exit 0 when an engine is usable, 4 when none is. With an engine, it also
// counts the containers crun-any started (label io.crun-any.platform) that
// are not running: the leftovers `crun-any rm` would clear.

#include <crun/backends/engine.hpp>
#include <crun/backends/selection/engine_kinds.hpp>
#include <crun/backends/selection/report.hpp>
#include <crun/cli/commands.hpp>
#include <crun/cli/engine_access.hpp>
#include <crun/core/error.hpp>
#include <crun/core/run_labels.hpp>
#include <crun/util/printable.hpp>

#include <CLI/CLI.hpp>

namespace crun::cli {
namespace {

class DoctorCommand : public Command {
public:
  explicit DoctorCommand(CLI::App& sub) { sub.add_flag("--json", m_json, "Print JSON"); }

  int execute(Context& ctx) override
  {
    // The same selection every other command makes, so what doctor says is
    // what `pull` would use (the on-demand Podman service included).
    auto selection = select_engine(ctx);
    Leftovers leftovers = count_leftovers(ctx, selection);
    if (m_json) {
      auto doc = backends::selection::selection_to_json(selection);
      if (selection.chosen) {
        doc["leftover_containers"] =
          leftovers.count ? nlohmann::json(*leftovers.count) : nlohmann::json(nullptr);
        if (!leftovers.error.empty()) {
          doc["leftover_containers_error"] = leftovers.error;
        }
      }
      ctx.io.out << doc.dump(2) << "\n";
    } else {
      ctx.io.out << backends::selection::render_selection(selection);
      if (selection.chosen) {
        if (leftovers.count) {
          ctx.io.out << "leftover containers started by crun-any: " << *leftovers.count
                     << " (crun-any ps -a --filter label=" << core::k_run_label_platform << ")\n";
        } else {
          ctx.io.out << "leftover containers started by crun-any: unknown ("
                     << util::escape_unprintable(leftovers.error) << ")\n";
        }
      }
    }
    ctx.io.out.flush();
    return selection.chosen ? exit_code::ok : exit_code::no_engine;
  }

private:
  struct Leftovers {
    std::optional<std::size_t> count;
    std::string error;
  };

  // The containers of the chosen engine carrying crun-any's label that are
  // not running. A failure is reported, never the doctor's own failure.
  static Leftovers count_leftovers(const Context& ctx,
                                   const backends::selection::Selection& selection)
  {
    namespace sel = backends::selection;
    const sel::Assessment* chosen = selection.chosen_candidate();
    if (!chosen) {
      return {};
    }
    try {
      auto engine =
        sel::engine_kind(chosen->kind).connect(*chosen, ctx.env, k_engine_connect_timeout);
      backends::ContainerListOptions options;
      options.all = true;
      options.label_filters = {std::string(core::k_run_label_platform)};
      std::size_t count = 0;
      for (const auto& row : engine->list_containers(options)) {
        count += row.running ? 0 : 1;
      }
      return {count, ""};
    } catch (const Error& error) {
      return {std::nullopt, error.message()};
    }
  }

  bool m_json = false;
};

} // namespace

void add_doctor_command(CLI::App& app, std::vector<CommandEntry>& out)
{
  CLI::App* sub = app.add_subcommand(
    "doctor", "Show every engine found, its health, and why it was chosen or rejected");
  out.push_back({sub, std::make_unique<DoctorCommand>(*sub)});
}

} // namespace crun::cli
