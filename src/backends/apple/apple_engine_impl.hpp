#pragma once
// The Engine over Apple's `container` CLI (apple_engine.hpp), shared by
// apple_engine.cpp (probe, pull, tag, inspect) and apple_run.cpp (run).

#include "apple_cli.hpp"

#include <crun/backends/apple/apple_engine.hpp>
#include <crun/backends/apple/apple_version.hpp>
#include <crun/backends/engine.hpp>

namespace crun::backends::apple {

/// How long a pull, or a detached run (which may fetch what `image pull`
/// left out), may take before its child is killed.
inline constexpr std::chrono::minutes k_pull_timeout{30};

class AppleEngine : public Engine {
public:
  AppleEngine(AppleCli cli, AppleVersion version, ServiceStatus status);

  const EngineInfo& info() const override { return m_info; }
  core::Platform native_platform() override;
  void pull(const core::ImageRef& ref, const core::Platform& platform, PullSink& sink,
            const std::optional<registry::Credentials>& credentials) override;
  void tag(const std::string& source, const core::ImageRef& target) override;
  std::optional<ImageInfo> inspect_image(const std::string& name) override;
  std::optional<ContainerInfo> inspect_container(const std::string& name) override;
  int run(const RunSpec& spec, RunConsole& console, const std::function<void()>& pull) override;
  /// `container exec` as the foreground child (apple_exec.cpp).
  int exec(const ExecSpec& spec, RunConsole& console) override;

  // The lifecycle (apple_lifecycle_engine.cpp, apple_lifecycle.hpp).
  std::vector<ContainerSummary> list_containers(const ContainerListOptions& options) override;
  bool stop_container(const std::string& name, std::optional<int> timeout) override;
  bool remove_container(const std::string& name, const RemoveOptions& options) override;
  bool container_logs(const std::string& name, const LogsOptions& options,
                      const core::FrameSink& sink) override;
  /// Refused: Apple has no wait and keeps no exit code (apple/container#1501).
  std::optional<int> wait_container(const std::string& name) override;
  std::vector<ImageSummary> list_images() override;
  std::optional<std::vector<std::string>> remove_image(const std::string& name,
                                                       bool force) override;

  /// Whether the local image `name` holds a variant for `platform`.
  bool has_local_image(const std::string& name, const core::Platform& platform);
  /// `container delete --force ID`; a container already gone is no error.
  void remove_container(const std::string& id);
  /// `container kill [--signal SIG] ID`; failures are ignored (it may have
  /// ended meanwhile).
  void kill_container(const std::string& id, std::optional<std::string> signal) noexcept;

  const AppleCli& cli() const { return m_cli; }
  const AppleVersion& version() const { return m_version; }

private:
  /// Runs `args` for `subject`; false when the CLI says there is no such
  /// container or image. Throws classify_failure's Error otherwise.
  bool run_unless_missing(const Args& args, const std::string& subject, std::string_view what);
  std::optional<nlohmann::json> inspect_json(const Args& args, const std::string& subject,
                                             std::string_view what);

  AppleCli m_cli;
  AppleVersion m_version;
  ServiceStatus m_status;
  EngineInfo m_info;
};

} // namespace crun::backends::apple
