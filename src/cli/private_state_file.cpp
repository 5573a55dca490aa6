#include <crun/cli/private_state_file.hpp>

#include <crun/cli/lock_store.hpp>

#include <fmt/ostream.h>

#include <sys/stat.h>

#include <fstream>
#include <sstream>

namespace crun::cli {

std::optional<std::string> read_private_state_file(const std::filesystem::path& path)
{
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return std::move(text).str();
}

void write_private_state_file(const std::filesystem::path& path, const std::string& text)
{
  std::error_code error;
  std::filesystem::create_directories(path.parent_path(), error);
  // Only the user may enter: what it holds names what they pulled and ran.
  ::chmod(path.parent_path().c_str(), 0700);
  write_file_atomically(path, text);
}

void note_verbose(const Context& ctx, const std::string& text)
{
  if (ctx.global.verbosity > 0) {
    fmt::print(ctx.io.err, "crun-any: {}\n", text);
  }
}

} // namespace crun::cli
