#include <crun/cli/pull_record_store.hpp>

#include <crun/cli/lock_store.hpp>
#include <crun/core/error.hpp>
#include <crun/core/lock_file.hpp>

#include <fmt/ostream.h>

#include <sys/stat.h>

#include <fstream>
#include <sstream>

namespace crun::cli {
namespace fs = std::filesystem;
namespace {

void note(const Context& ctx, const std::string& text)
{
  if (ctx.global.verbosity > 0) {
    fmt::print(ctx.io.err, "crun-any: {}\n", text);
  }
}

} // namespace

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
  std::ifstream in(*path, std::ios::binary);
  if (!in) {
    return {};
  }
  std::ostringstream text;
  text << in.rdbuf();
  try {
    return core::parse_pull_record(text.str(), path->string());
  } catch (const Error& error) {
    note(ctx, "ignoring the pull record: " + error.message());
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
    std::error_code error;
    fs::create_directories(path->parent_path(), error);
    // Only the user may enter: the record names what they pulled.
    ::chmod(path->parent_path().c_str(), 0700);
    core::PullRecord record = read_pull_record(ctx);
    core::add_pull(record, {pulled.ref.repository(), core::lock_platform_key(platform),
                            pulled.manifest_digest, *id});
    write_file_atomically(*path, core::write_pull_record(record));
  } catch (const Error& error) {
    note(ctx, "could not update the pull record: " + error.message());
  }
}

} // namespace crun::cli
