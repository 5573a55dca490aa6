#include <crun/backends/podman/podman_engine.hpp>

#include "libpod_json.hpp"

#include <crun/backends/api_client.hpp>
#include <crun/backends/podman/podman_api.hpp>
#include <crun/backends/probe.hpp>
#include <crun/backends/run_sequence.hpp>
#include <crun/core/error.hpp>
#include <crun/core/signal_names.hpp>

namespace crun::backends::podman {
namespace {

// The libpod wait, adapted to run_sequence's order (wait registered before
// start). Podman 4.3.1 answers a wait on a container that has not started
// yet at once, with 0, and sends the wait's head only with its result; so
// nothing can be registered ahead. The request goes out in result(), which
// run_sequence calls after start: a container that has exited by then is
// answered with its recorded exit code (observed on 4.3.1), and since the
// engine is never asked to auto-remove an attached run, it is still there to
// be asked about.
class PodmanWait : public PendingWait {
public:
  PodmanWait(const ApiClient& client, transport::HttpRequest request, std::string what)
    : m_client(client), m_request(std::move(request)), m_what(std::move(what))
  {
  }

  int result() override
  {
    auto call = m_client.open(m_request, m_what, false);
    return decode_wait(call.connection->read_body_all(4096));
  }

private:
  const ApiClient& m_client;
  transport::HttpRequest m_request;
  std::string m_what;
};

std::string without_sha256(const std::string& id)
{
  return id.starts_with("sha256:") ? id.substr(7) : id;
}

class PodmanEngine : public Engine, private ContainerApi {
public:
  PodmanEngine(ApiClient client, EngineInfo info) : m_client(std::move(client)), m_info(std::move(info)) {}

  const EngineInfo& info() const override { return m_info; }

  core::Platform native_platform() override
  {
    if (!m_native) {
      m_native = decode_info_platform(
        m_client.call_json(make_info_request(m_info.api_version), "read the engine's host platform"));
    }
    return *m_native;
  }

  void pull(const core::ImageRef& ref, const core::Platform& platform, PullSink& sink,
            const std::string& registry_auth) override
  {
    m_client.stream_pull(make_pull_request(api(), ref, platform, registry_auth),
                         fmt::format("pull {} for {}", ref.str(), platform.str()),
                         core::decode_libpod_pull, [&](const core::PullEvent& event) { sink.on_event(event); });
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
    if (auto image = inspect_image(without_sha256(info.image_id))) {
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
    // Podman 4.3.1 ignores image_arch when the name is present locally and
    // runs whatever platform the name points to (observed: a linux/amd64
    // image created for image_arch=arm64). So the local image's platform is
    // checked here, and the container is created from that image's ID, so
    // that what runs is what was checked even if the tag moves meanwhile.
    auto image = inspect_image(spec.image_name);
    if (!image) {
      fail(Errc::not_found, "image {} is not present locally", spec.image_name);
    }
    if (!image->platform.matches(spec.platform)) {
      fail(Errc::not_found, "the local image {} is for {}, not {}", spec.image_name,
           image->platform.str(), spec.platform.str());
    }
    nlohmann::json doc;
    try {
      doc = m_client.call_json(make_create_request(api(), spec, without_sha256(image->id)),
                               fmt::format("create a container from {}", spec.image.str()));
    } catch (const Error& error) {
      // libpod 4.3.1 says "image not known" with HTTP 500 (the image went
      // away since the check): a missing image all the same.
      if (error.code() != Errc::not_found && is_image_unknown(error.message())) {
        throw Error(Errc::not_found, error.message());
      }
      throw;
    }
    std::string id = string_field(doc, "Id");
    if (id.empty()) {
      fail(Errc::protocol, "the engine created a container but sent no ID: {}", doc.dump());
    }
    return id;
  }

  std::unique_ptr<transport::RawStream> attach(const std::string& id, const RunSpec& spec) override
  {
    try {
      auto call = m_client.open(make_attach_request(api(), id, spec.interactive),
                                fmt::format("attach to container {}", id));
      return call.connection->upgrade();
    } catch (const Error& error) {
      // Attaching to a created container makes libpod prepare it, which runs
      // the runtime's create step: a command that cannot run fails here
      // (HTTP 500 "preparing container ... for attach: runc: ... exec:
      // \"nope\": executable file not found"), not at start as on Docker.
      throw_classified(error);
    }
  }

  // Rethrows a failure to get the container's command running as
  // command_not_found / command_not_executable where the message says so.
  [[noreturn]] static void throw_classified(const Error& error)
  {
    Errc code = classify_start_error(error.message());
    if (code == Errc::engine_error) {
      throw error;
    }
    throw Error(code, error.message());
  }

  std::unique_ptr<PendingWait> wait(const std::string& id, const RunSpec&) override
  {
    return std::make_unique<PodmanWait>(m_client, make_wait_request(api(), id),
                                        fmt::format("wait for container {}", id));
  }

  void start(const std::string& id) override
  {
    try {
      m_client.call(make_start_request(api(), id), fmt::format("start container {}", id));
    } catch (const Error& error) {
      throw_classified(error);
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
    std::string body;
    try {
      body = m_client.call(make_remove_request(api(), id), fmt::format("remove container {}", id));
    } catch (const Error& error) {
      // Gone already (removed by the engine or by hand): nothing is left behind.
      if (error.code() == Errc::not_found) {
        return;
      }
      throw;
    }
    // 4.x answers 200 with one report per container; an error may sit in it.
    std::string report_error = decode_remove_error(body);
    if (!report_error.empty() && report_error.find("no such container") == std::string::npos) {
      fail(Errc::engine_error, "cannot remove container {}: {}", id, report_error);
    }
  }

  ApiClient m_client;
  EngineInfo m_info;
  std::optional<core::Platform> m_native;
};

} // namespace

std::unique_ptr<Engine> connect_podman(const transport::Endpoint& endpoint,
                                       std::chrono::milliseconds timeout)
{
  ProbeResult probe = probe_engine(endpoint, timeout);
  if (probe.kind != ProbeResult::Kind::podman) {
    fail(Errc::engine_error,
         "the engine at {} is no Podman service ({} answered without a Libpod-Api-Version "
         "header): use --backend docker",
         endpoint.str(), probe.server.empty() ? "it" : probe.server);
  }
  ApiClient client(endpoint, timeout);
  EngineInfo info;
  info.backend = "podman";
  info.endpoint = endpoint.str();
  info.api_version = check_libpod_version(probe.libpod_version);
  // The Libpod-Api-Version header is the Podman version.
  info.version = probe.libpod_version;
  return std::make_unique<PodmanEngine>(std::move(client), std::move(info));
}

} // namespace crun::backends::podman
