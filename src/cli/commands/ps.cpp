// `crun-any ps [-a] [-q] [--filter label=K[=V]]... [--format F]`: the
// containers, as docker lists them; rows in the inspect schema's names for
// --format (docs/inspect-schema.md, "List rows").

#include <crun/cli/commands.hpp>
#include <crun/cli/list_output.hpp>
#include <crun/cli/session.hpp>
#include <crun/core/error.hpp>

#include <CLI/CLI.hpp>

#include <chrono>

namespace crun::cli {
namespace {

// The text of STATUS where the engine gives none (libpod, Apple).
std::string status_text(const backends::ContainerSummary& row)
{
  if (!row.status_text.empty()) {
    return row.status_text;
  }
  if (row.running) {
    return "Up";
  }
  if (row.exit_code) {
    return fmt::format("Exited ({})", *row.exit_code);
  }
  if (row.status.empty()) {
    return "Unknown";
  }
  std::string text = row.status;
  text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  return text;
}

// Docker's COMMAND cell: quoted, cut to 20 characters with an ellipsis.
std::string command_cell(const std::string& command)
{
  std::string cut = command;
  if (cut.size() > 20) {
    cut = cut.substr(0, 19) + "\u2026";
  }
  return fmt::format("\"{}\"", cut);
}

class PsCommand : public Command {
public:
  explicit PsCommand(CLI::App& sub)
  {
    sub.add_flag("-a,--all", m_options.all, "Show all containers (default: running ones)");
    sub.add_flag("-q,--quiet", m_quiet, "Only the IDs");
    sub.add_option("--filter", m_filters, "label=KEY or label=KEY=VALUE (repeatable)")
      ->type_name("FILTER");
    sub.add_option("--format", m_format, "json, or a template like '{{.name}}'")->type_name("F");
  }

  int execute(Context& ctx) override
  {
    for (const auto& filter : m_filters) {
      if (!filter.starts_with("label=") || filter.size() == 6) {
        fail(Errc::usage, "unsupported filter \"{}\": crun-any ps filters by label=KEY[=VALUE]",
             filter);
      }
      m_options.label_filters.push_back(filter.substr(6));
    }
    Session session(ctx, {"ps"});
    auto rows = session.engine().list_containers(m_options);
    if (m_quiet) {
      for (const auto& row : rows) {
        ctx.io.out << short_id(row.id) << "\n";
      }
    } else if (!m_format.empty()) {
      std::vector<nlohmann::json> docs;
      docs.reserve(rows.size());
      for (const auto& row : rows) {
        docs.push_back(backends::to_json(row));
      }
      print_formatted(ctx.io.out, m_format, docs);
    } else {
      auto now = std::chrono::duration_cast<std::chrono::seconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
      std::vector<std::vector<std::string>> cells;
      cells.reserve(rows.size());
      for (const auto& row : rows) {
        cells.push_back({short_id(row.id), row.reference, command_cell(row.command),
                         row.created_unix != 0 ? human_ago(row.created_unix, now) : "",
                         status_text(row), row.name});
      }
      ctx.io.out << render_table({"CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "NAMES"},
                                 cells);
    }
    return exit_code::ok;
  }

private:
  backends::ContainerListOptions m_options;
  bool m_quiet = false;
  std::vector<std::string> m_filters;
  std::string m_format;
};

} // namespace

void add_ps_command(CLI::App& app, std::vector<CommandEntry>& out)
{
  CLI::App* sub = app.add_subcommand("ps", "List containers");
  out.push_back({sub, std::make_unique<PsCommand>(*sub)});
}

} // namespace crun::cli
