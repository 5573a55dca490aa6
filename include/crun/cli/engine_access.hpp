#pragma once
// How a command reaches its engine and the registry: the one place that
// turns global options and environment into a connected backend.

#include <crun/backends/engine.hpp>
#include <crun/backends/pull_flow.hpp>
#include <crun/cli/command.hpp>
#include <crun/registry/registry_client.hpp>

#include <chrono>
#include <memory>

namespace crun::cli {

/// How long connecting to an engine and its /_ping may take: with no engine
/// at the socket, crun-any says so within this time.
inline constexpr std::chrono::milliseconds k_engine_connect_timeout{2000};

/// Connects to the engine the options and environment select (--backend >
/// CRUN_ANY_BACKEND > auto; --host > DOCKER_HOST > docker context > default
/// socket). Throws Error(Errc::engine_unavailable) naming the endpoint and
/// where it came from when nothing answers; Error(Errc::usage) for a backend
/// this build cannot drive yet.
std::unique_ptr<backends::Engine> open_engine(const Context& ctx);

/// A registry client with the user's credentials (docker config, auth.json).
/// Never fails.
registry::RegistryClient open_registry(const Context& ctx);

/// A PullSink that renders progress on stderr in `mode`
/// (auto|tty|plain|json|none), and its finish.
class ProgressSink : public backends::PullSink {
public:
  ProgressSink(const Context& ctx, std::string_view mode);
  ~ProgressSink() override;
  void on_event(const core::PullEvent& event) override;
  void finish(const std::string& digest);

private:
  std::unique_ptr<class ProgressRenderer> m_renderer;
};

} // namespace crun::cli
