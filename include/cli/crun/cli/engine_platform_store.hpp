#pragma once
// The engine platform cache (core/engine_platform_cache.hpp) on disk:
// $XDG_CACHE_HOME/crun-any/engines.json, else ~/.cache/crun-any/engines.json.
// Best effort both ways: a cache that cannot be read is empty, one that
// cannot be written only costs the next command the engine call.

#include <crun/backends/engine.hpp>
#include <crun/cli/command.hpp>

#include <filesystem>
#include <optional>

namespace crun::cli {

/// The cache's path; std::nullopt when neither XDG_CACHE_HOME nor HOME is
/// set. Never fails.
std::optional<std::filesystem::path> engine_platform_cache_path(const Env& env);

/// `engine`'s native platform: the remembered one when its endpoint is a
/// unix socket whose identity (transport/socket_identity.hpp), backend and
/// version are those it was remembered under; otherwise asked of the engine
/// and remembered (atomically). Throws only as engine.native_platform().
core::Platform native_platform_of(const Context& ctx, backends::Engine& engine);

} // namespace crun::cli
