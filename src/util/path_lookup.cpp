#include <crun/util/path_lookup.hpp>

#include <sys/stat.h>
#include <unistd.h>

namespace crun::util {

std::vector<std::string> path_candidates(std::string_view name, std::string_view search_path)
{
  std::vector<std::string> candidates;
  if (name.empty() || name == "." || name == ".." || name.find('/') != std::string_view::npos) {
    return candidates;
  }
  std::size_t start = 0;
  for (;;) {
    auto end = search_path.find(':', start);
    auto dir = search_path.substr(start, end == std::string_view::npos ? end : end - start);
    if (dir.starts_with('/')) {
      std::string candidate(dir);
      if (!candidate.ends_with('/')) {
        candidate += '/';
      }
      candidate += name;
      candidates.push_back(std::move(candidate));
    }
    if (end == std::string_view::npos) {
      return candidates;
    }
    start = end + 1;
  }
}

bool is_executable_file(const std::string& path)
{
  struct stat st{};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

std::optional<std::string> find_executable(std::string_view name, std::string_view search_path)
{
  if (name.find('/') != std::string_view::npos) {
    std::string path(name);
    if (path.starts_with('/') && is_executable_file(path)) {
      return path;
    }
    return std::nullopt;
  }
  for (auto& candidate : path_candidates(name, search_path)) {
    if (is_executable_file(candidate)) {
      return std::move(candidate);
    }
  }
  return std::nullopt;
}

} // namespace crun::util
