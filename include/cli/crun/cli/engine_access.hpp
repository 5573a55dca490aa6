#pragma once
// How a command reaches its engine and the registry: the one place that
// turns global options and environment into a connected backend.

#include <crun/backends/engine.hpp>
#include <crun/backends/pull_flow.hpp>
#include <crun/backends/selection/selection.hpp>
#include <crun/cli/command.hpp>
#include <crun/registry/credentials.hpp>
#include <crun/registry/registry_client.hpp>

#include <chrono>
#include <memory>

namespace crun::cli {

/// How long connecting to the chosen engine and its /_ping may take (the
/// selection has already pinged it, within selection::k_probe_timeout).
inline constexpr std::chrono::milliseconds k_engine_connect_timeout{2000};

/// Selects the backend from the options, the environment and the machine
/// (backends/selection/selection.hpp: --backend > CRUN_ANY_BACKEND > user
/// config > auto-detection; --host names the one endpoint), starting the
/// on-demand Podman service when it is the choice. Finding nothing usable
/// is not an error here: the Selection says why. Throws Error(Errc::usage)
/// for a bad CRUN_ANY_BACKEND, a --host that does not parse (an unknown
/// scheme, an empty path or host) and --host with the apple backend; Error(Errc::invalid_input) for
/// a broken config file or CRUN_ANY_PODMAN_IDLE_TIMEOUT.
backends::selection::Selection select_engine(const Context& ctx);

/// Connects to the engine select_engine() chooses, printing its warnings
/// (and, with -v, its notes) on stderr. Throws
/// Error(Errc::engine_unavailable) when nothing is usable, listing each
/// candidate tried and why it was rejected, within about a second when no
/// podman needs starting (Apple's stopped service among them, with the fix
/// `container system start`); as select_engine(); and as the chosen kind's
/// connect (engine_kinds.hpp: connect_docker, connect_podman,
/// apple::connect_apple), Error(Errc::invalid_input) for a bad
/// CRUN_ANY_TIMEOUT or CRUN_ANY_PULL_IDLE_TIMEOUT among them.
std::unique_ptr<backends::Engine> open_engine(const Context& ctx);

/// The registry side of a pull: the client crun-any reads the registry with,
/// and the credentials the engine is handed for the same registry, both from
/// the user's docker config.json (auths, credsStore, credHelpers) and
/// containers' auth.json.
class RegistryAccess {
public:
  /// Credentials are only looked up when needed. Throws
  /// Error(Errc::invalid_input) for a bad CRUN_ANY_TIMEOUT (call_timeouts.hpp).
  explicit RegistryAccess(const Context& ctx);
  registry::RegistryClient& client() { return m_client; }
  /// The credentials the engine is handed for `ref`'s registry, or
  /// std::nullopt when the user has none for it. A credential store that
  /// fails (a broken helper) counts as none: the pull is then anonymous and
  /// the engine's refusal names the registry; with -v the reason is printed.
  /// Never throws.
  std::optional<registry::Credentials> engine_credentials(const core::ImageRef& ref);

private:
  const Context& m_ctx;
  std::shared_ptr<registry::CredentialStore> m_credentials;
  registry::RegistryClient m_client;
};

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
