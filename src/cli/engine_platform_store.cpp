#include <crun/cli/engine_platform_store.hpp>

#include <crun/cli/private_state_file.hpp>
#include <crun/core/engine_platform_cache.hpp>
#include <crun/core/error.hpp>
#include <crun/transport/socket_identity.hpp>

#include <fmt/format.h>

namespace crun::cli {
namespace fs = std::filesystem;
namespace {

// What must stay equal for a remembered platform to hold: the socket file
// (a restarted engine or a recreated VM makes a new one), and the backend
// and version that answered on it. std::nullopt when the endpoint is no
// local socket (tcp, Apple's CLI): then nothing is remembered.
std::optional<std::string> identity_of(const backends::EngineInfo& info)
{
  if (!info.endpoint.starts_with("unix://")) {
    return std::nullopt;
  }
  std::optional<std::string> socket;
  try {
    socket = transport::socket_identity(transport::Endpoint::parse(info.endpoint));
  } catch (const Error&) {
    return std::nullopt;
  }
  if (!socket) {
    return std::nullopt;
  }
  return fmt::format("{} {} {}", info.backend, info.version, *socket);
}

core::EnginePlatformCache read_cache(const Context& ctx, const fs::path& path)
{
  auto text = read_private_state_file(path);
  if (!text) {
    return {};
  }
  try {
    return core::parse_engine_platform_cache(*text, path.string());
  } catch (const Error& error) {
    note_verbose(ctx, "ignoring the engine cache: " + error.message());
    return {};
  }
}

void remember(const Context& ctx, const fs::path& path, core::EnginePlatformEntry entry)
{
  try {
    core::EnginePlatformCache cache = read_cache(ctx, path);
    core::remember_platform(cache, std::move(entry));
    write_private_state_file(path, core::write_engine_platform_cache(cache));
  } catch (const Error& error) {
    note_verbose(ctx, "could not update the engine cache: " + error.message());
  }
}

// A platform the cache can hold: one that reads back as itself.
bool representable(const core::Platform& platform)
{
  try {
    return !platform.os.empty() && core::Platform::parse(platform.str()).str() == platform.str();
  } catch (const Error&) {
    return false;
  }
}

} // namespace

std::optional<fs::path> engine_platform_cache_path(const Env& env)
{
  if (auto cache = env.get("XDG_CACHE_HOME"); cache && cache->starts_with('/')) {
    return fs::path(*cache) / "crun-any" / "engines.json";
  }
  if (auto home = env.get("HOME"); home && !home->empty()) {
    return fs::path(*home) / ".cache" / "crun-any" / "engines.json";
  }
  return std::nullopt;
}

core::Platform native_platform_of(const Context& ctx, backends::Engine& engine)
{
  const backends::EngineInfo& info = engine.info();
  auto path = engine_platform_cache_path(ctx.env);
  auto identity = path ? identity_of(info) : std::nullopt;
  if (!identity) {
    return engine.native_platform();
  }
  if (auto platform = core::remembered_platform(read_cache(ctx, *path), info.endpoint, *identity)) {
    return *platform;
  }
  core::Platform platform = engine.native_platform();
  if (representable(platform)) {
    remember(ctx, *path, {info.endpoint, *identity, platform});
  }
  return platform;
}

} // namespace crun::cli
