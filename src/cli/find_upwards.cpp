#include <crun/cli/find_upwards.hpp>

#include <crun/core/error.hpp>

#include <sys/stat.h>

#include <cerrno>
#include <system_error>

namespace crun::cli {
namespace fs = std::filesystem;

bool entry_exists(const fs::path& path)
{
  struct stat info{};
  if (::lstat(path.c_str(), &info) == 0) {
    return true;
  }
  return errno != ENOENT && errno != ENOTDIR;
}

std::optional<fs::path> find_upwards(std::string_view name, fs::path start, UpwardMatch match)
{
  if (start.empty()) {
    std::error_code error;
    start = fs::current_path(error);
    if (error) {
      fail(Errc::internal, "cannot read the working directory: {}", error.message());
    }
  }
  for (fs::path dir = start;; dir = dir.parent_path()) {
    fs::path candidate = dir / name;
    std::error_code error;
    bool found = match == UpwardMatch::regular_file ? fs::is_regular_file(candidate, error)
                                                    : entry_exists(candidate);
    if (found) {
      return candidate;
    }
    if (dir == dir.parent_path()) {
      return std::nullopt;
    }
  }
}

} // namespace crun::cli
