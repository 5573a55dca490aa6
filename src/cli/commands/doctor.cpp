// `crun-any doctor [--json]`: every backend candidate found, its endpoint and
// where it came from, its kind, versions and health, and why it was chosen
// or rejected, with the fix for each rejection (docs/backends.md).
// Exit 0 when an engine is usable, 4 when none is.

#include <crun/backends/selection/report.hpp>
#include <crun/cli/commands.hpp>
#include <crun/cli/engine_access.hpp>

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
    if (m_json) {
      ctx.io.out << backends::selection::selection_to_json(selection).dump(2) << "\n";
    } else {
      ctx.io.out << backends::selection::render_selection(selection);
    }
    ctx.io.out.flush();
    return selection.chosen ? exit_code::ok : exit_code::no_engine;
  }

private:
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
