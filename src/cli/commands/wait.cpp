// `crun-any wait CONTAINER...`: blocks until each has stopped and prints its
// exit code, as docker wait does; a missing one is an error line and exit 1.

#include <crun/cli/commands.hpp>
#include <crun/cli/list_output.hpp>
#include <crun/cli/session.hpp>

#include <CLI/CLI.hpp>

namespace crun::cli {
namespace {

class WaitCommand : public Command {
public:
  explicit WaitCommand(CLI::App& sub)
  {
    sub.add_option("CONTAINER", m_names, "Containers (names or IDs)")->required();
  }

  int execute(Context& ctx) override
  {
    Session session(ctx, {"wait"});
    backends::Engine& engine = session.engine();
    return for_each_name(ctx, m_names, "container", [&](const std::string& name) {
      auto code = engine.wait_container(name);
      if (!code) {
        return false;
      }
      ctx.io.out << *code << "\n";
      ctx.io.out.flush();
      return true;
    });
  }

private:
  std::vector<std::string> m_names;
};

} // namespace

void add_wait_command(CLI::App& app, std::vector<CommandEntry>& out)
{
  CLI::App* sub = app.add_subcommand("wait", "Wait for containers to stop; print their exit codes");
  out.push_back({sub, std::make_unique<WaitCommand>(*sub)});
}

} // namespace crun::cli
