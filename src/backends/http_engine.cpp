#include <crun/backends/http_engine.hpp>

#include <crun/backends/http_api.hpp>
#include <crun/core/error.hpp>
#include <crun/core/signal_names.hpp>

namespace crun::backends {

HttpEngine::HttpEngine(ApiClient client, EngineInfo info, HttpDialect dialect)
  : m_client(std::move(client)), m_info(std::move(info)), m_dialect(std::move(dialect))
{
}

core::Platform HttpEngine::native_platform()
{
  if (!m_native) {
    m_native = m_client.call_json(m_dialect.native_platform_request, m_dialect.native_platform_what,
                                  m_dialect.decode_native_platform);
  }
  return *m_native;
}

void HttpEngine::pull(const core::ImageRef& ref, const core::Platform& platform, PullSink& sink,
                      const std::optional<registry::Credentials>& credentials)
{
  m_client.stream_pull(m_dialect.make_pull_request(root(), ref, platform, credentials),
                       fmt::format("pull {} for {}", ref.str(), platform.str()),
                       m_dialect.decode_pull,
                       [&](const core::PullEvent& event) { sink.on_event(event); });
}

void HttpEngine::tag(const std::string& source, const core::ImageRef& target)
{
  m_client.call(make_tag_request(root(), source, target),
                fmt::format("tag {} as {}", source, target.str()));
}

std::optional<ImageInfo> HttpEngine::inspect_image(const std::string& name)
{
  return m_client.find_json(
    make_image_inspect_request(root(), name), fmt::format("inspect image {}", name),
    [&](const nlohmann::json& doc) { return m_dialect.decode_image(doc, name); });
}

std::optional<ContainerInfo> HttpEngine::inspect_container(const std::string& name)
{
  auto found =
    m_client.find_json(make_container_inspect_request(root(), name),
                       fmt::format("inspect container {}", name), m_dialect.decode_container);
  if (!found) {
    return std::nullopt;
  }
  ContainerInfo& info = *found;
  // The container's platform is its image's.
  std::string image = info.image_id;
  if (m_dialect.inspects_bare_image_ids && image.starts_with("sha256:")) {
    image.erase(0, 7);
  }
  if (auto image_info = inspect_image(image)) {
    info.platform = image_info->platform;
  }
  return found;
}

int HttpEngine::run(const RunSpec& spec, RunConsole& console, const std::function<void()>& pull)
{
  RunOptions options;
  options.engine_cli = m_info.backend;
  return run_sequence(*this, spec, console, pull, options);
}

void HttpEngine::start(const std::string& id)
{
  try {
    // "the container", not its ID: the failure is told to whoever ran it,
    // as docker's CLI does ("unable to find user x: ...").
    m_client.call(make_start_request(root(), id), "start the container");
  } catch (const Error& error) {
    rethrow_classified(error);
  }
}

void HttpEngine::kill(const std::string& id, int signal)
{
  m_client.call(make_kill_request(root(), id, core::signal_name(signal)),
                fmt::format("signal container {}", id));
}

void HttpEngine::resize(const std::string& id, unsigned rows, unsigned cols)
{
  m_client.call(make_resize_request(root(), id, rows, cols),
                fmt::format("resize container {}", id));
}

void HttpEngine::rethrow_classified(const Error& error) const
{
  Errc code = m_dialect.classify_start_error(error.message());
  if (code == Errc::engine_error) {
    throw error;
  }
  throw Error(code, error.message());
}

std::unique_ptr<transport::RawStream> HttpEngine::open_attach(const transport::HttpRequest& request,
                                                              const std::string& id) const
{
  // The head within the call timeout; the stream then has no deadline: it
  // lasts as long as the container runs, silent or not.
  auto call = m_client.open(request, fmt::format("attach to container {}", id));
  return call.connection->upgrade();
}

} // namespace crun::backends
