// `crun-any rmi [-f] IMAGE...`: removes each, printing what the engine did
// as docker does ("Untagged: ...", "Deleted: ..."); a missing one is an
// error line and exit 1.

#include <crun/cli/commands.hpp>
#include <crun/cli/list_output.hpp>
#include <crun/cli/session.hpp>

#include <CLI/CLI.hpp>

namespace crun::cli {
namespace {

class RmiCommand : public Command {
public:
  explicit RmiCommand(CLI::App& sub)
  {
    sub.add_flag("-f,--force", m_force, "Remove it even when in use or tagged more than once");
    sub.add_option("IMAGE", m_names, "Images (references or IDs)")->required();
  }

  int execute(Context& ctx) override
  {
    Session session(ctx, {"rmi"});
    backends::Engine& engine = session.engine();
    return for_each_name(ctx, m_names, "image", [&](const std::string& name) {
      auto lines = engine.remove_image(name, m_force);
      if (!lines) {
        return false;
      }
      for (const auto& line : *lines) {
        ctx.io.out << line << "\n";
      }
      ctx.io.out.flush();
      return true;
    });
  }

private:
  bool m_force = false;
  std::vector<std::string> m_names;
};

} // namespace

void add_rmi_command(CLI::App& app, std::vector<CommandEntry>& out)
{
  CLI::App* sub = app.add_subcommand("rmi", "Remove local images");
  out.push_back({sub, std::make_unique<RmiCommand>(*sub)});
}

} // namespace crun::cli
