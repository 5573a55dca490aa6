#include <crun/transport/file_reader.hpp>

#include <fstream>
#include <iterator>

namespace crun::transport {

std::optional<std::string> DiskFileReader::read(const std::string& path) const
{
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return std::nullopt;
  }
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) {
    return std::nullopt;
  }
  return content;
}

} // namespace crun::transport
