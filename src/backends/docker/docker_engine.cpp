#include <crun/backends/docker/docker_engine.hpp>

#include <crun/backends/api_client.hpp>
#include <crun/backends/docker/docker_api.hpp>
#include <crun/backends/probe.hpp>
#include <crun/core/error.hpp>
#include <crun/core/signal_names.hpp>

namespace crun::backends::docker {
namespace {

class DockerWait : public PendingWait {
public:
  explicit DockerWait(OpenCall call) : m_call(std::move(call)) {}

  int result() override
  {
    WaitResult result = decode_wait(m_call.connection->read_body_all(1024 * 1024));
    if (!result.error.empty()) {
      fail(Errc::engine_error, "the engine could not finish the container: {}", result.error);
    }
    return result.status_code;
  }

private:
  OpenCall m_call;
};

class DockerEngine : public Engine, private ContainerApi {
public:
  DockerEngine(ApiClient client, EngineInfo info) : m_client(std::move(client)), m_info(std::move(info)) {}

  const EngineInfo& info() const override { return m_info; }

  core::Platform native_platform() override
  {
    if (!m_native) {
      auto version = m_client.call_json(make_version_request(api()), "read the engine's version");
      core::Platform native{version.value("Os", "linux"), version.value("Arch", ""), ""};
      m_native = native.normalized();
    }
    return *m_native;
  }

  void pull(const core::ImageRef& ref, const core::Platform& platform, PullSink& sink,
            const std::string& registry_auth) override
  {
    m_client.stream_pull(make_pull_request(api(), ref, platform, registry_auth),
                         fmt::format("pull {} for {}", ref.str(), platform.str()),
                         core::decode_docker_pull, [&](const core::PullEvent& event) { sink.on_event(event); });
  }

  void tag(const std::string& source, const core::ImageRef& target) override
  {
    m_client.call(make_tag_request(api(), source, target),
                  fmt::format("tag {} as {}", source, target.str()));
  }

  std::optional<ImageInfo> inspect_image(const std::string& name) override
  {
    auto doc = m_client.find_json(make_image_inspect_request(api(), name),
                                  fmt::format("inspect image {}", name));
    return doc ? std::optional(decode_image(*doc, name)) : std::nullopt;
  }

  std::optional<ContainerInfo> inspect_container(const std::string& name) override
  {
    auto doc = m_client.find_json(make_container_inspect_request(api(), name),
                                  fmt::format("inspect container {}", name));
    if (!doc) {
      return std::nullopt;
    }
    ContainerInfo info = decode_container(*doc);
    // The container's platform is its image's.
    if (auto image = inspect_image(info.image_id)) {
      info.platform = image->platform;
    }
    return info;
  }

  int run(const RunSpec& spec, RunConsole& console, const std::function<void()>& pull) override
  {
    return run_sequence(*this, spec, console, pull);
  }

private:
  const std::string& api() const { return m_info.api_version; }

  std::string create(const RunSpec& spec) override
  {
    auto doc = m_client.call_json(make_create_request(api(), spec),
                                  fmt::format("create a container from {}", spec.image.str()));
    for (const auto& warning : doc.value("Warnings", nlohmann::json::array())) {
      if (warning.is_string()) {
        m_warnings.push_back(warning.get<std::string>());
      }
    }
    std::string id = doc.value("Id", "");
    if (id.empty()) {
      fail(Errc::protocol, "the engine created a container but sent no ID: {}", doc.dump());
    }
    return id;
  }

  std::unique_ptr<transport::RawStream> attach(const std::string& id, const RunSpec& spec) override
  {
    auto call = m_client.open(make_attach_request(api(), id, spec.interactive),
                              fmt::format("attach to container {}", id));
    return call.connection->upgrade();
  }

  std::unique_ptr<PendingWait> wait(const std::string& id, const RunSpec& spec) override
  {
    // Docker flushes the wait's head once the wait is registered (API >= 1.30),
    // so returning here means no exit can be missed.
    auto call = m_client.open(make_wait_request(api(), id, spec.remove),
                              fmt::format("wait for container {}", id));
    return std::make_unique<DockerWait>(std::move(call));
  }

  void start(const std::string& id) override
  {
    try {
      m_client.call(make_start_request(api(), id), fmt::format("start container {}", id));
    } catch (const Error& error) {
      Errc code = classify_start_error(error.message());
      if (code == Errc::engine_error) {
        throw;
      }
      throw Error(code, error.message());
    }
  }

  void kill(const std::string& id, int signal) override
  {
    m_client.call(make_kill_request(api(), id, core::signal_name(signal)),
                  fmt::format("signal container {}", id));
  }

  void resize(const std::string& id, unsigned rows, unsigned cols) override
  {
    m_client.call(make_resize_request(api(), id, rows, cols),
                  fmt::format("resize container {}", id));
  }

  void remove(const std::string& id) override
  {
    try {
      m_client.call(make_remove_request(api(), id), fmt::format("remove container {}", id));
    } catch (const Error& error) {
      // Gone already (auto-removed), or its removal is under way: either way
      // it will not be left behind.
      if (error.code() == Errc::not_found ||
          error.message().find("already in progress") != std::string::npos) {
        return;
      }
      throw;
    }
  }

  ApiClient m_client;
  EngineInfo m_info;
  std::optional<core::Platform> m_native;
  std::vector<std::string> m_warnings;
};

// "20.10.24+dfsg1" from the Server header "Docker/20.10.24+dfsg1 (linux)".
std::string server_version(std::string_view server)
{
  auto slash = server.find('/');
  if (slash == std::string_view::npos) {
    return {};
  }
  auto rest = server.substr(slash + 1);
  return std::string(rest.substr(0, rest.find(' ')));
}

} // namespace

std::unique_ptr<Engine> connect_docker(const transport::Endpoint& endpoint,
                                       std::chrono::milliseconds timeout)
{
  ProbeResult probe = probe_engine(endpoint, timeout);
  ApiClient client(endpoint, timeout);
  EngineInfo info;
  info.backend = "docker";
  info.endpoint = endpoint.str();
  info.api_version = negotiate_api_version(probe.api_version);
  info.version = server_version(probe.server);
  return std::make_unique<DockerEngine>(std::move(client), std::move(info));
}

} // namespace crun::backends::docker
