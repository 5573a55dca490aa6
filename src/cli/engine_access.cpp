#include <crun/cli/engine_access.hpp>

#include "console/terminal.hpp"

#include <crun/backends/call_timeouts.hpp>
#include <crun/backends/selection/engine_kinds.hpp>
#include <crun/backends/selection/host_lookup.hpp>
#include <crun/backends/selection/podman_service.hpp>
#include <crun/backends/selection/report.hpp>
#include <crun/cli/color_choice.hpp>
#include <crun/cli/progress.hpp>
#include <crun/core/error.hpp>
#include <crun/registry/config_credential_store.hpp>
#include <crun/registry/credential_helper.hpp>
#include <crun/transport/endpoint.hpp>
#include <crun/transport/file_reader.hpp>
#include <crun/util/printable.hpp>

#include <unistd.h>

namespace crun::cli {
namespace {

void print_notes(const Context& ctx, const backends::selection::Selection& selection)
{
  using Level = backends::selection::Note::Level;
  for (const auto& note : selection.notes) {
    if (note.level == Level::warning) {
      ctx.io.err << "crun-any: warning: " << util::escape_unprintable(note.text) << "\n";
    } else if (ctx.global.verbosity > 0) {
      ctx.io.err << "crun-any: " << util::escape_unprintable(note.text) << "\n";
    }
  }
}

} // namespace

backends::selection::Selection select_engine(const Context& ctx)
{
  namespace sel = backends::selection;
  if (!ctx.global.host.empty()) {
    // A --host that names no endpoint at all is bad input, not an engine
    // that does not answer.
    try {
      (void)transport::Endpoint::parse(ctx.global.host);
    } catch (Error& error) {
      throw Error(Errc::usage,
                  fmt::format("invalid --host {}: {}", ctx.global.host, error.message()));
    }
  }
  transport::DiskFileReader files;
  sel::SystemHostLookup host(ctx.env);
  auto prober = std::make_shared<sel::EngineProber>(ctx.env);
  sel::DetachedPodmanStarter starter(ctx.env, prober);
  sel::SelectionInput input;
  input.backend_flag = ctx.global.backend;
  input.host_flag = ctx.global.host;
  return sel::select_backend(input, sel::SelectionSeams{ctx.env, files, host, prober, &starter});
}

std::unique_ptr<backends::Engine> open_engine(const Context& ctx)
{
  namespace sel = backends::selection;
  sel::Selection selection = select_engine(ctx);
  print_notes(ctx, selection);
  const sel::Assessment* chosen = selection.chosen_candidate();
  if (!chosen) {
    fail(Errc::engine_unavailable, "{}", sel::unavailable_message(selection));
  }
  // What answered decides the adapter: its kind's row connects it.
  try {
    return sel::engine_kind(chosen->kind).connect(*chosen, ctx.env, k_engine_connect_timeout);
  } catch (Error& error) {
    error.add_context(fmt::format("connecting to the {} engine at {} (from {})",
                                  sel::engine_kind_name(chosen->kind), chosen->candidate.uri,
                                  chosen->candidate.source));
    throw;
  }
}

RegistryAccess::RegistryAccess(const Context& ctx)
  : m_ctx(ctx), m_credentials(std::make_shared<registry::ConfigCredentialStore>(
                  ctx.env, std::make_shared<transport::DiskFileReader>(),
                  std::make_shared<registry::SpawnHelperRunner>(ctx.env))),
    // A registry request's connect, head and body: CRUN_ANY_TIMEOUT each.
    m_client(ctx.env, m_credentials, backends::call_timeout(ctx.env))
{
}

std::optional<registry::Credentials> RegistryAccess::engine_credentials(const core::ImageRef& ref)
{
  try {
    return m_credentials->find(ref);
  } catch (const Error& error) {
    if (m_ctx.global.verbosity > 0) {
      m_ctx.io.err << "crun-any: warning: no credentials for " << ref.domain()
                   << " given to the engine: " << util::escape_unprintable(error.message()) << "\n";
    }
  }
  return std::nullopt;
}

ProgressSink::ProgressSink(const Context& ctx, std::string_view mode)
{
  ProgressOutput output;
  output.err_is_tty = ctx.io.err_is_tty;
  output.dumb_terminal = is_dumb_terminal(ctx.env);
  output.color = use_color(ctx.global.no_color, ctx.env, ctx.io.err_is_tty);
  // Asked before every redraw: a resized terminal gets rows of its new width.
  if (ctx.io.err_is_tty) {
    output.width = [] {
      const auto size = window_size(STDERR_FILENO);
      return size ? size->cols : 0U;
    };
  }
  m_renderer = make_progress_renderer(parse_progress_mode(mode), ctx.io.err, std::move(output));
}

ProgressSink::~ProgressSink() = default;

void ProgressSink::on_event(const core::PullEvent& event)
{
  m_renderer->on_event(event);
}

void ProgressSink::finish(const std::string& digest)
{
  m_renderer->finish(digest);
}

} // namespace crun::cli
