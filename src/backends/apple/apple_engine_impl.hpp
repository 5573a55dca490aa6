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
  std::optional<nlohmann::json> inspect_json(const Args& args, const std::string& subject,
                                             std::string_view what);

  AppleCli m_cli;
  AppleVersion m_version;
  ServiceStatus m_status;
  EngineInfo m_info;
};

} // namespace crun::backends::apple
