// `crun-any stop [-t N] CONTAINER...`: stops each, printing its name as
// docker does; a missing one is an error line and exit 1.

#include <crun/cli/commands.hpp>
#include <crun/cli/list_output.hpp>
#include <crun/cli/session.hpp>

#include <CLI/CLI.hpp>

namespace crun::cli {
namespace {

class StopCommand : public Command {
public:
  explicit StopCommand(CLI::App& sub)
  {
    sub.add_option("-t,--time", m_timeout, "Seconds to wait before killing it")
      ->type_name("N")
      ->check(CLI::NonNegativeNumber);
    sub.add_option("CONTAINER", m_names, "Containers (names or IDs)")->required();
  }

  int execute(Context& ctx) override
  {
    Session session(ctx, {"stop"});
    backends::Engine& engine = session.engine();
    return for_each_name(ctx, m_names, "container", [&](const std::string& name) {
      if (!engine.stop_container(name, m_timeout)) {
        return false;
      }
      ctx.io.out << name << "\n";
      ctx.io.out.flush();
      return true;
    });
  }

private:
  std::optional<int> m_timeout;
  std::vector<std::string> m_names;
};

} // namespace

void add_stop_command(CLI::App& app, std::vector<CommandEntry>& out)
{
  CLI::App* sub = app.add_subcommand("stop", "Stop running containers");
  out.push_back({sub, std::make_unique<StopCommand>(*sub)});
}

} // namespace crun::cli
