#include <crun/cli/engine_access.hpp>

#include <crun/backends/docker/docker_engine.hpp>
#include <crun/cli/progress.hpp>
#include <crun/core/error.hpp>
#include <crun/registry/config_credential_store.hpp>
#include <crun/registry/credential_helper.hpp>
#include <crun/transport/docker_endpoint.hpp>

namespace crun::cli {
namespace {

// How long a registry request may take to connect and answer.
constexpr std::chrono::milliseconds k_registry_timeout{30000};

std::string chosen_backend(const Context& ctx)
{
  if (!ctx.global.backend.empty()) {
    return ctx.global.backend;
  }
  auto from_env = ctx.env.get("CRUN_ANY_BACKEND");
  if (!from_env) {
    return "auto";
  }
  if (*from_env != "auto" && *from_env != "docker" && *from_env != "podman" &&
      *from_env != "apple") {
    fail(Errc::usage, "invalid CRUN_ANY_BACKEND \"{}\": use auto, docker, podman or apple",
         *from_env);
  }
  return *from_env;
}

} // namespace

std::unique_ptr<backends::Engine> open_engine(const Context& ctx)
{
  std::string backend = chosen_backend(ctx);
  if (backend == "podman" || backend == "apple") {
    fail(Errc::usage, "the {} backend is not available in this build of crun-any yet; use "
                      "--backend docker",
         backend);
  }
  transport::DiskFileReader files;
  transport::DockerEndpointFlags flags;
  if (!ctx.global.host.empty()) {
    flags.host = ctx.global.host;
  }
  auto resolved = transport::resolve_docker_endpoint(ctx.env, files, flags);
  for (const auto& warning : resolved.warnings) {
    ctx.io.err << "crun-any: warning: " << warning << "\n";
  }
  try {
    return backends::docker::connect_docker(resolved.endpoint, k_engine_connect_timeout);
  } catch (Error& error) {
    error.add_context(fmt::format("connecting to the docker engine at {} (from {})",
                                  resolved.endpoint.str(), resolved.source));
    throw;
  }
}

registry::RegistryClient open_registry(const Context& ctx)
{
  auto store = std::make_shared<registry::ConfigCredentialStore>(
    ctx.env, std::make_shared<transport::DiskFileReader>(),
    std::make_shared<registry::SpawnHelperRunner>(ctx.env));
  return registry::RegistryClient(ctx.env, store, k_registry_timeout);
}

ProgressSink::ProgressSink(const Context& ctx, std::string_view mode)
  : m_renderer(make_progress_renderer(parse_progress_mode(mode), ctx.io.err, ctx.io.err_is_tty,
                                      !ctx.global.no_color))
{
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
