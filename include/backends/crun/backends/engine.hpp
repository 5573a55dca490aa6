#pragma once
// One container engine behind one interface. Docker and Podman implement it
// over their HTTP APIs, Apple over its CLI. Methods block; progress goes to
// the sink as it arrives. Failures throw crun::Error (error.hpp).

#include <crun/backends/exec_spec.hpp>
#include <crun/backends/lifecycle.hpp>
#include <crun/backends/model.hpp>
#include <crun/backends/run_spec.hpp>
#include <crun/core/image_ref.hpp>
#include <crun/core/platform.hpp>
#include <crun/core/pull_events.hpp>
#include <crun/registry/credentials.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace crun::backends {

struct EngineInfo {
  std::string backend;     ///< "docker", "podman", "apple"
  std::string endpoint;    ///< "unix:///var/run/docker.sock"
  std::string version;     ///< the engine's own version, "20.10.24"
  std::string api_version; ///< the API version every path uses, "1.41"
};

/// Receives a pull's progress events as they arrive.
class PullSink {
public:
  virtual ~PullSink() = default;
  virtual void on_event(const core::PullEvent& event) = 0;
};

class RunConsole;

class Engine {
public:
  virtual ~Engine() = default;

  /// What the engine said when we connected. Never fails.
  virtual const EngineInfo& info() const = 0;

  /// The platform the engine runs without emulation. Asked of the engine on
  /// first use only (Podman takes most of a second to answer), then kept.
  /// Throws as any API call does.
  virtual core::Platform native_platform() = 0;

  /// Pulls `ref` (which should carry a digest) for `platform`, streaming
  /// progress to `sink`. `credentials` are the user's for `ref`'s registry,
  /// or std::nullopt for an anonymous pull; each engine hands them to the
  /// registry its own way (the HTTP engines as X-Registry-Auth,
  /// registry_auth.hpp) and never puts them in a message. Throws
  /// Error(Errc::engine_error) when the engine or the registry refuses,
  /// including errors reported inside a 200 stream;
  /// Error(Errc::engine_unavailable) when the engine goes away.
  virtual void pull(const core::ImageRef& ref, const core::Platform& platform, PullSink& sink,
                    const std::optional<registry::Credentials>& credentials) = 0;

  /// Gives the local image `source` (a name or ID) the name `target`
  /// (which has a tag), as `docker tag` does. Throws Error(Errc::not_found)
  /// when `source` is absent; Error(Errc::engine_error) otherwise.
  virtual void tag(const std::string& source, const core::ImageRef& target) = 0;

  /// The local image `name` (a reference or an ID); std::nullopt when the
  /// engine has none. Throws Error(Errc::engine_error / protocol) otherwise.
  virtual std::optional<ImageInfo> inspect_image(const std::string& name) = 0;

  /// The container `name` (a name or ID); std::nullopt when absent.
  virtual std::optional<ContainerInfo> inspect_container(const std::string& name) = 0;

  /// Runs a container as `spec` says and returns its exit status (or, for a
  /// detached run, 0 once it has started and its ID is printed); `pull` is
  /// called when the image is missing and the pull policy allows pulling.
  /// See run_sequence.hpp for the order, the clean-up and the errors.
  virtual int run(const RunSpec& spec, RunConsole& console, const std::function<void()>& pull) = 0;

  // The lifecycle after `run -d` (lifecycle.hpp). Each names a container or
  // image by name or ID. The defaults refuse: Error(Errc::usage) "the
  // <backend> backend cannot <what>", for an engine that lacks the verb.

  /// The containers `options` selects, newest first. Throws as any API call.
  virtual std::vector<ContainerSummary> list_containers(const ContainerListOptions& options);
  /// Stops `name` (SIGTERM, then SIGKILL after `timeout` seconds, else the
  /// engine's default); false when there is no such container. Throws
  /// Error(Errc::engine_error) when the engine refuses.
  virtual bool stop_container(const std::string& name, std::optional<int> timeout);
  /// Removes `name`; false when there is no such container. Throws
  /// Error(Errc::engine_error) when the engine refuses (a running container
  /// without `force`).
  virtual bool remove_container(const std::string& name, const RemoveOptions& options);
  /// Streams `name`'s logs to `sink`, stdout and stderr apart, as they
  /// arrive (memory stays at one buffer); with `follow`, until the container
  /// ends. False when there is no such container. Throws
  /// Error(Errc::usage) for an option the engine lacks; as any call else.
  virtual bool container_logs(const std::string& name, const LogsOptions& options,
                              const core::FrameSink& sink);
  /// Blocks until `name` is not running and returns its exit code;
  /// std::nullopt when there is no such container. Throws as any call.
  virtual std::optional<int> wait_container(const std::string& name);
  /// The local images. Throws as any API call.
  virtual std::vector<ImageSummary> list_images();
  /// Removes the image `name` (untags a name that has other tags) and
  /// returns what the engine did, docker's lines ("Untagged: x:1",
  /// "Deleted: sha256:..."); std::nullopt when there is no such image.
  /// Throws Error(Errc::engine_error) when the engine refuses (in use,
  /// several tags and no `force`).
  virtual std::optional<std::vector<std::string>> remove_image(const std::string& name, bool force);
  // --- exec (crun-any exec) ---
  /// Runs `spec.command` in the running container `spec.container` and
  /// returns its exit code (0 for -d once started). See exec_sequence.hpp
  /// for the order and the errors: not_found (no such container),
  /// engine_error (not running), command_not_found / command_not_executable.
  virtual int exec(const ExecSpec& spec, RunConsole& console) = 0;
};

} // namespace crun::backends
