#pragma once
// What the Docker and Podman engines share: both speak HTTP through an
// ApiClient, use the same routes to tag, inspect, start, signal and resize
// (http_api.hpp), read the same inspect shapes (http_decode.hpp) and run
// through run_sequence. HttpEngine moves the bytes between those builders and
// decoders; an engine gives it the pure functions where its API differs as an
// HttpDialect, and implements create, attach, wait and remove itself.

#include <crun/backends/api_client.hpp>
#include <crun/backends/engine.hpp>
#include <crun/backends/http_lifecycle.hpp>
#include <crun/backends/run_sequence.hpp>

#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace crun::backends {

/// Where the two HTTP APIs differ, as data: the pure builders and decoders of
/// one engine (docker_api.hpp, podman_api.hpp).
struct HttpDialect {
  /// The prefix of every path (http_api.hpp): "/v1.41", "/v4.3.1/libpod".
  std::string root;
  /// The pull (`credentials` as in Engine::pull), and the decoder of one
  /// line of its answer's stream.
  transport::HttpRequest (*make_pull_request)(
    std::string_view root, const core::ImageRef& ref, const core::Platform& platform,
    const std::optional<registry::Credentials>& credentials);
  ApiClient::PullDecoder decode_pull;
  /// The request that tells the platform the engine runs natively, what it
  /// does (for messages), and the decoder of its answer.
  transport::HttpRequest native_platform_request;
  std::string native_platform_what;
  core::Platform (*decode_native_platform)(const nlohmann::json& doc);
  /// The inspect answers in the unified model; both throw
  /// Error(Errc::protocol) when `doc` is not an object.
  ImageInfo (*decode_image)(const nlohmann::json& doc, std::string_view asked);
  ContainerInfo (*decode_container)(const nlohmann::json& doc);
  /// The Errc of a failure to get a container's command running, from the
  /// engine's message: command_not_found, command_not_executable, or
  /// engine_error when the message says neither.
  Errc (*classify_start_error)(std::string_view message);
  /// Whether images are inspected by their bare ID ("5b0c84...", libpod)
  /// rather than as the "sha256:5b0c84..." the model holds.
  bool inspects_bare_image_ids = false;
  /// How the lifecycle requests are spelt (http_lifecycle.hpp).
  LifecycleSpelling lifecycle{};
};

/// An engine over HTTP: Engine in full, and the parts of ContainerApi both
/// APIs share (start, kill, resize); a subclass adds create, attach, wait and
/// remove.
class HttpEngine : public Engine, protected ContainerApi {
public:
  const EngineInfo& info() const override { return m_info; }
  core::Platform native_platform() override;
  void pull(const core::ImageRef& ref, const core::Platform& platform, PullSink& sink,
            const std::optional<registry::Credentials>& credentials) override;
  void tag(const std::string& source, const core::ImageRef& target) override;
  std::optional<ImageInfo> inspect_image(const std::string& name) override;
  std::optional<ContainerInfo> inspect_container(const std::string& name) override;
  int run(const RunSpec& spec, RunConsole& console, const std::function<void()>& pull) override;
  /// exec_sequence over the exec routes both APIs share (http_exec.cpp).
  int exec(const ExecSpec& spec, RunConsole& console) override;

  // The lifecycle (http_engine_lifecycle.cpp), over http_lifecycle.hpp.
  std::vector<ContainerSummary> list_containers(const ContainerListOptions& options) override;
  bool stop_container(const std::string& name, std::optional<int> timeout) override;
  bool remove_container(const std::string& name, const RemoveOptions& options) override;
  bool container_logs(const std::string& name, const LogsOptions& options,
                      const core::FrameSink& sink) override;
  std::optional<int> wait_container(const std::string& name) override;
  std::vector<ImageSummary> list_images() override;
  std::optional<std::vector<std::string>> remove_image(const std::string& name,
                                                       bool force) override;

protected:
  HttpEngine(ApiClient client, EngineInfo info, HttpDialect dialect);

  const ApiClient& client() const { return m_client; }
  const std::string& root() const { return m_dialect.root; }

  /// Starts the container; a command that cannot run is classified as
  /// rethrow_classified does.
  void start(const std::string& id) override;
  void kill(const std::string& id, int signal) override;
  void resize(const std::string& id, unsigned rows, unsigned cols) override;

  /// Rethrows `error` with the Errc the dialect's classify_start_error gives
  /// its message, or as it is when that is engine_error.
  [[noreturn]] void rethrow_classified(const Error& error) const;
  /// Sends the attach `request` for container `id` and returns the hijacked
  /// stream. Throws as ApiClient::open does.
  std::unique_ptr<transport::RawStream> open_attach(const transport::HttpRequest& request,
                                                    const std::string& id) const;

private:
  ApiClient m_client;
  EngineInfo m_info;
  HttpDialect m_dialect;
  std::optional<core::Platform> m_native;
};

} // namespace crun::backends
