// `crun-any logs [-f] [--tail N] [-t] CONTAINER`: the container's output,
// its stdout on stdout and its stderr on stderr, streamed (memory stays at
// one buffer) and, with -f, until the container ends. A reader that goes
// away ends it (flush_or_fail). Ctrl-C ends crun-any by the signal, as it
// ends docker logs -f.

#include <crun/cli/commands.hpp>
#include <crun/cli/fd_buffer.hpp>
#include <crun/cli/list_output.hpp>
#include <crun/cli/session.hpp>

#include <CLI/CLI.hpp>

#include <charconv>

namespace crun::cli {
namespace {

class LogsCommand : public Command {
public:
  explicit LogsCommand(CLI::App& sub)
  {
    sub.add_flag("-f,--follow", m_options.follow, "Follow until the container ends");
    sub.add_option("-n,--tail", m_tail, "The last N lines only (or \"all\")")->type_name("N");
    sub.add_flag("-t,--timestamps", m_options.timestamps, "Prefix each line with its time");
    sub.add_option("CONTAINER", m_name, "A container (name or ID)")->required();
  }

  int execute(Context& ctx) override
  {
    if (!m_tail.empty() && m_tail != "all") {
      int lines = -1;
      auto [end, ec] = std::from_chars(m_tail.data(), m_tail.data() + m_tail.size(), lines);
      if (ec != std::errc() || end != m_tail.data() + m_tail.size() || lines < 0) {
        fail(Errc::usage, "--tail takes a number of lines or \"all\", not \"{}\"", m_tail);
      }
      m_options.tail = lines;
    }
    Session session(ctx, {"logs"});
    backends::Engine& engine = session.engine();
    return for_each_name(ctx, {m_name}, "container", [&](const std::string& name) {
      return engine.container_logs(
        name, m_options, [&](core::Stream stream, std::string_view piece) {
          bool err = stream != core::Stream::out;
          std::ostream& to = err ? ctx.io.err : ctx.io.out;
          to.write(piece.data(), static_cast<std::streamsize>(piece.size()));
          flush_or_fail(to, err ? "stderr" : "stdout");
        });
    });
  }

private:
  backends::LogsOptions m_options;
  std::string m_tail;
  std::string m_name;
};

} // namespace

void add_logs_command(CLI::App& app, std::vector<CommandEntry>& out)
{
  CLI::App* sub = app.add_subcommand("logs", "Show a container's output");
  out.push_back({sub, std::make_unique<LogsCommand>(*sub)});
}

} // namespace crun::cli
