// `crun-any version [--json]`: what this binary is, how it was built, and
// the versions of the contracts scripts rely on (docs/versioning.md).

#include "build_info.hpp"

#include <crun/cli/commands.hpp>
#include <crun/core/contract_versions.hpp>
#include <crun/core/platform.hpp>
#include <crun/transport/host_platform.hpp>

#include <CLI/CLI.hpp>
#include <fmt/ostream.h>
#include <nlohmann/json.hpp>

namespace crun::cli {
namespace {

std::string compiler()
{
#if defined(__clang__)
  return fmt::format("clang {}.{}.{}", __clang_major__, __clang_minor__, __clang_patchlevel__);
#elif defined(__GNUC__)
  return fmt::format("gcc {}.{}.{}", __GNUC__, __GNUC_MINOR__, __GNUC_PATCHLEVEL__);
#else
  return "unknown";
#endif
}

class VersionCommand : public Command {
public:
  explicit VersionCommand(CLI::App& sub) { sub.add_flag("--json", m_json, "Print JSON"); }

  int execute(Context& ctx) override
  {
    core::Platform host = transport::host_platform();
    if (m_json) {
      nlohmann::json doc = {
        {"version", CRUN_ANY_VERSION},
        {"git", build_git_describe()},
        {"build_type", build_type()},
        {"platform", {{"os", host.os}, {"architecture", host.architecture}}},
        {"compiler", compiler()},
        {"exit_codes", core::k_exit_codes_version},
        {"inspect_schema", core::k_inspect_schema_version},
        {"lock_format", core::k_lock_format_version},
      };
      if (!host.variant.empty()) {
        doc["platform"]["variant"] = host.variant;
      }
      ctx.io.out << doc.dump() << "\n";
    } else {
      fmt::print(ctx.io.out,
                 "crun-any {}\n git: {}\n build type: {}\n platform: {}\n compiler: {}\n"
                 " contracts: exit codes {}, inspect schema {}, lock format {}\n",
                 CRUN_ANY_VERSION, build_git_describe(), build_type(), host.str(), compiler(),
                 core::k_exit_codes_version, core::k_inspect_schema_version,
                 core::k_lock_format_version);
    }
    return exit_code::ok;
  }

private:
  bool m_json = false;
};

} // namespace

void add_version_command(CLI::App& app, std::vector<CommandEntry>& out)
{
  CLI::App* sub = app.add_subcommand("version", "Show the version of crun-any");
  out.push_back({sub, std::make_unique<VersionCommand>(*sub)});
}

} // namespace crun::cli
