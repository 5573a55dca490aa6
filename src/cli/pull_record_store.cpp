#include <crun/cli/pull_record_store.hpp>

#include <crun/cli/private_state_file.hpp>
#include <crun/core/error.hpp>
#include <crun/core/lock_file.hpp>

namespace crun::cli {
namespace fs = std::filesystem;

std::optional<fs::path> pull_record_path(const Env& env)
{
  if (auto state = env.get("XDG_STATE_HOME"); state && !state->empty()) {
    return fs::path(*state) / "crun-any" / "pulls.json";
  }
  if (auto home = env.get("HOME"); home && !home->empty()) {
    return fs::path(*home) / ".local" / "state" / "crun-any" / "pulls.json";
  }
  return std::nullopt;
}

core::PullRecord read_pull_record(const Context& ctx)
{
  auto path = pull_record_path(ctx.env);
  if (!path) {
    return {};
  }
  auto text = read_private_state_file(*path);
  if (!text) {
    return {};
  }
  try {
    return core::parse_pull_record(*text, path->string());
  } catch (const Error& error) {
    note_verbose(ctx, "ignoring the pull record: " + error.message());
    return {};
  }
}

void remember_pull(const Context& ctx, const backends::PulledImage& pulled,
                   const core::Platform& platform)
{
  auto path = pull_record_path(ctx.env);
  auto id = core::Digest::try_parse(pulled.image.id);
  if (!path || !id) {
    return;
  }
  try {
    core::PullRecord record = read_pull_record(ctx);
    core::add_pull(record, {pulled.ref.repository(), core::lock_platform_key(platform),
                            pulled.manifest_digest, *id});
    write_private_state_file(*path, core::write_pull_record(record));
  } catch (const Error& error) {
    note_verbose(ctx, "could not update the pull record: " + error.message());
  }
}

} // namespace crun::cli
