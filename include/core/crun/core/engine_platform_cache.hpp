#pragma once
// What crun-any remembers of each engine it spoke to: its native platform,
// under the engine's identity (backend, version and the socket file's
// identity, which a restarted engine changes). Asking it costs a call that
// is slow on Podman (/libpod/info runs conmon and the OCI runtime: about
// 0.3 s), and it is needed by every `run` and `pull`. Pure: the file is the
// CLI's (cli/engine_platform_store.hpp).

#include <crun/core/platform.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crun::core {

struct EnginePlatformEntry {
  std::string endpoint; ///< "unix:///run/podman/podman.sock"
  std::string identity; ///< what must be equal for the entry to hold (opaque)
  Platform platform;    ///< what the engine said it runs natively

  bool operator==(const EnginePlatformEntry&) const = default;
};

struct EnginePlatformCache {
  /// Least recently written first; one entry per endpoint, at most
  /// k_max_engine_platforms.
  std::vector<EnginePlatformEntry> entries;
};

/// How many engines the cache keeps: the least recently written go first.
inline constexpr std::size_t k_max_engine_platforms = 32;

/// Reads a cache written by write_engine_platform_cache(). Throws
/// Error(Errc::invalid_input) naming `file` when it is not one (the caller
/// then asks the engine, as if it were empty).
EnginePlatformCache parse_engine_platform_cache(std::string_view text, std::string_view file);

/// The cache as JSON, one entry per line, with a trailing newline. Never
/// fails.
std::string write_engine_platform_cache(const EnginePlatformCache& cache);

/// The platform remembered for `endpoint` when it was remembered under the
/// same `identity`; std::nullopt otherwise. Never fails.
std::optional<Platform> remembered_platform(const EnginePlatformCache& cache,
                                            std::string_view endpoint, std::string_view identity);

/// Remembers `entry`, replacing the endpoint's previous one and dropping the
/// oldest beyond k_max_engine_platforms. Never fails.
void remember_platform(EnginePlatformCache& cache, EnginePlatformEntry entry);

} // namespace crun::core
