// `crun-any rm [-f] [-v] CONTAINER...`: removes each, printing its name as
// docker does; a missing one is an error line and exit 1.

#include <crun/cli/commands.hpp>
#include <crun/cli/list_output.hpp>
#include <crun/cli/session.hpp>

#include <CLI/CLI.hpp>

namespace crun::cli {
namespace {

class RmCommand : public Command {
public:
  explicit RmCommand(CLI::App& sub)
  {
    sub.add_flag("-f,--force", m_options.force, "Kill and remove a running container");
    sub.add_flag("-v,--volumes", m_options.volumes, "Remove its anonymous volumes too");
    sub.add_option("CONTAINER", m_names, "Containers (names or IDs)")->required();
  }

  int execute(Context& ctx) override
  {
    Session session(ctx, {"rm"});
    backends::Engine& engine = session.engine();
    return for_each_name(ctx, m_names, "container", [&](const std::string& name) {
      if (!engine.remove_container(name, m_options)) {
        return false;
      }
      ctx.io.out << name << "\n";
      ctx.io.out.flush();
      return true;
    });
  }

private:
  backends::RemoveOptions m_options;
  std::vector<std::string> m_names;
};

} // namespace

void add_rm_command(CLI::App& app, std::vector<CommandEntry>& out)
{
  CLI::App* sub = app.add_subcommand("rm", "Remove containers");
  out.push_back({sub, std::make_unique<RmCommand>(*sub)});
}

} // namespace crun::cli
