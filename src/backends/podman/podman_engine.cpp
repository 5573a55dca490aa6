#include <crun/backends/podman/podman_engine.hpp>

#include <crun/backends/http_decode.hpp>
#include <crun/backends/http_engine.hpp>
#include <crun/backends/podman/podman_api.hpp>
#include <crun/backends/probe.hpp>
#include <crun/core/error.hpp>

#include <chrono>
#include <thread>

namespace crun::backends::podman {
namespace {

// The libpod wait, adapted to run_sequence's order (wait registered before
// start). Podman 4.3.1 answers a wait on a container that has not started
// yet at once, with 0, and sends the wait's head only with its result; so
// nothing can be registered ahead. The request goes out in result(), which
// run_sequence calls after start. Under --rm the engine removes the
// container when it exits (so that it goes even if crun-any is killed), and
// a container that exited quickly may be gone by then: the wait answers 404
// (observed on 4.3.1), and the exit code is read from the container's
// `died` event instead, as podman-remote does.
class PodmanWait : public PendingWait {
public:
  PodmanWait(const ApiClient& client, std::string root, std::string id)
    : m_client(client), m_root(std::move(root)), m_id(std::move(id))
  {
  }

  int result() override
  {
    // No deadline on the head or the body: the wait lasts as long as the
    // container runs.
    try {
      auto call = m_client.open(make_wait_request(m_root, m_id),
                                fmt::format("wait for container {}", m_id), HeadWait::unbounded);
      return decode_wait(call.connection->read_body_all(4096));
    } catch (const Error& error) {
      if (error.code() != Errc::not_found) {
        throw;
      }
    }
    return exit_code_from_events();
  }

private:
  int exit_code_from_events()
  {
    // The event is written before the removal, so it is there once the
    // container is gone; a journald log may show it a moment later.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
    while (true) {
      std::string body = m_client.call(make_died_events_request(m_root, m_id),
                                       fmt::format("read the events of container {}", m_id));
      if (auto code = decode_died_exit_code(body)) {
        return *code;
      }
      if (std::chrono::steady_clock::now() >= deadline) {
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    fail(Errc::engine_error,
         "container {} was removed before its exit code could be read, and the engine's "
         "events have no `died` event for it (is events_logger \"none\" in containers.conf?)",
         m_id);
  }

  const ApiClient& m_client;
  std::string m_root;
  std::string m_id;
};

std::string without_sha256(const std::string& id)
{
  return id.starts_with("sha256:") ? id.substr(7) : id;
}

HttpDialect podman_dialect(const std::string& api)
{
  std::string root = api_root(api);
  return HttpDialect{
    .root = root,
    .make_pull_request = make_pull_request,
    .decode_pull = core::decode_libpod_pull,
    .native_platform_request = make_info_request(root),
    .native_platform_what = "read the engine's host platform",
    .decode_native_platform = decode_info_platform,
    .decode_image = decode_image,
    .decode_container = decode_container,
    .classify_start_error = classify_start_error,
    .inspects_bare_image_ids = true,
    .lifecycle = {.stop_timeout = "timeout", .wait_condition = "", .image_list_digests = false},
  };
}

class PodmanEngine : public HttpEngine {
public:
  PodmanEngine(ApiClient client, const EngineInfo& info)
    : HttpEngine(std::move(client), info, podman_dialect(info.api_version))
  {
  }

private:
  CreatedContainer create(const RunSpec& spec) override
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
    try {
      return client().call_json(make_create_request(root(), spec, without_sha256(image->id)),
                                fmt::format("create a container from {}", spec.image.str()),
                                decode_create);
    } catch (const Error& error) {
      // libpod 4.3.1 says "image not known" with HTTP 500 (the image went
      // away since the check): a missing image all the same.
      if (error.code() == Errc::engine_error && is_image_unknown(error.message())) {
        throw Error(Errc::not_found, error.message());
      }
      throw;
    }
  }

  std::unique_ptr<transport::ByteStream> attach(const std::string& id, const RunSpec& spec) override
  {
    try {
      return open_attach(make_attach_request(root(), id, spec.attach_stdin(), spec.attach_stdout(),
                                             spec.attach_stderr()),
                         id);
    } catch (const Error& error) {
      // Attaching to a created container makes libpod prepare it, which runs
      // the runtime's create step: a command that cannot run fails here
      // (HTTP 500 "preparing container ... for attach: runc: ... exec:
      // \"nope\": executable file not found"), not at start as on Docker;
      // so does a --user or --workdir the image cannot satisfy.
      rethrow_classified(Error(error.code(), reword_attach_error(error.message(), id)));
    }
  }

  std::unique_ptr<PendingWait> wait(const std::string& id, const RunSpec&) override
  {
    return std::make_unique<PodmanWait>(client(), std::string(root()), id);
  }

  void remove(const std::string& id) override
  {
    std::string body;
    try {
      body = client().call(make_remove_request(root(), id), fmt::format("remove container {}", id));
    } catch (const Error& error) {
      // Gone already (removed by the engine or by hand), or the engine's own
      // removal under --rm is finishing: nothing is left behind.
      if (error.code() == Errc::not_found ||
          error.message().find("already been removed") != std::string::npos) {
        return;
      }
      throw;
    }
    // 4.x answers 200 with one report per container; an error may sit in it.
    std::string report_error = decode_remove_error(body);
    // Under --rm the engine may be removing it at the same moment.
    bool gone = report_error.find("no such container") != std::string::npos ||
                report_error.find("already been removed") != std::string::npos;
    if (!report_error.empty() && !gone) {
      fail(Errc::engine_error, "cannot remove container {}: {}", id, report_error);
    }
  }
};

} // namespace

std::unique_ptr<Engine> connect_podman(const transport::Endpoint& endpoint,
                                       const ApiTimeouts& timeouts,
                                       const std::optional<ProbeResult>& pinged)
{
  ProbeResult probe = pinged ? *pinged : probe_engine(endpoint, timeouts.connect);
  if (probe.kind != ProbeResult::Kind::podman) {
    fail(Errc::engine_error,
         "the engine at {} is no Podman service ({} answered without a Libpod-Api-Version "
         "header): use --backend docker",
         endpoint.str(), probe.server.empty() ? "it" : probe.server);
  }
  ApiClient client(endpoint, timeouts);
  EngineInfo info;
  info.backend = "podman";
  info.endpoint = endpoint.str();
  info.api_version = check_libpod_version(probe.libpod_version);
  // The Libpod-Api-Version header is the Podman version.
  info.version = probe.libpod_version;
  return std::make_unique<PodmanEngine>(std::move(client), std::move(info));
}

} // namespace crun::backends::podman
