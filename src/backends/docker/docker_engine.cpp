#include <crun/backends/docker/docker_engine.hpp>

#include <crun/backends/docker/docker_api.hpp>
#include <crun/backends/http_api.hpp>
#include <crun/backends/http_decode.hpp>
#include <crun/backends/http_engine.hpp>
#include <crun/backends/probe.hpp>
#include <crun/core/error.hpp>

namespace crun::backends::docker {
namespace {

class DockerWait : public PendingWait {
public:
  explicit DockerWait(OpenCall call) : m_call(std::move(call)) {}

  int result() override
  {
    // No deadline: the body comes when the container exits, however long
    // it runs.
    WaitResult result = decode_wait(m_call.connection->read_body_all(1024 * 1024));
    if (!result.error.empty()) {
      fail(Errc::engine_error, "the engine could not finish the container: {}", result.error);
    }
    return result.status_code;
  }

private:
  OpenCall m_call;
};

HttpDialect docker_dialect(const std::string& api)
{
  std::string root = api_root(api);
  return HttpDialect{
    .root = root,
    .make_pull_request = make_pull_request,
    .decode_pull = core::decode_docker_pull,
    .native_platform_request = make_version_request(root),
    .native_platform_what = "read the engine's version",
    .decode_native_platform = decode_version_platform,
    .decode_image = decode_image,
    .decode_container = decode_container,
    .classify_start_error = classify_start_error,
  };
}

class DockerEngine : public HttpEngine {
public:
  DockerEngine(ApiClient client, const EngineInfo& info)
    : HttpEngine(std::move(client), info, docker_dialect(info.api_version))
  {
  }

private:
  CreatedContainer create(const RunSpec& spec) override
  {
    return client().call_json(make_create_request(root(), spec),
                              fmt::format("create a container from {}", spec.image.str()),
                              decode_create);
  }

  std::unique_ptr<transport::ByteStream> attach(const std::string& id, const RunSpec& spec) override
  {
    return open_attach(make_attach_request(root(), id, spec.attach_stdin(), spec.attach_stdout(),
                                           spec.attach_stderr()),
                       id);
  }

  std::unique_ptr<PendingWait> wait(const std::string& id, const RunSpec& spec) override
  {
    // Docker flushes the wait's head once the wait is registered (API >= 1.30),
    // so returning here means no exit can be missed.
    auto call = client().open(make_wait_request(root(), id, spec.remove),
                              fmt::format("wait for container {}", id));
    return std::make_unique<DockerWait>(std::move(call));
  }

  void remove(const std::string& id) override
  {
    try {
      client().call(make_remove_request(root(), id), fmt::format("remove container {}", id));
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
};

} // namespace

std::unique_ptr<Engine> connect_docker(const transport::Endpoint& endpoint,
                                       const ApiTimeouts& timeouts,
                                       const std::optional<ProbeResult>& pinged)
{
  ProbeResult probe = pinged ? *pinged : probe_engine(endpoint, timeouts.connect);
  ApiClient client(endpoint, timeouts);
  EngineInfo info;
  info.backend = "docker";
  info.endpoint = endpoint.str();
  info.api_version = negotiate_api_version(probe.api_version);
  info.version = server_version(probe.server);
  return std::make_unique<DockerEngine>(std::move(client), std::move(info));
}

} // namespace crun::backends::docker
