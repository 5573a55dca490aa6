#pragma once
// A FileReader over a map, for unit tests of logic that reads files
// (docker contexts, credentials, selection): a missing path reads as absent.

#include <crun/transport/file_reader.hpp>

#include <map>
#include <optional>
#include <string>

namespace crun::test {

class FakeFiles final : public transport::FileReader {
public:
  std::optional<std::string> read(const std::string& path) const override
  {
    auto it = files.find(path);
    if (it == files.end()) {
      return std::nullopt;
    }
    return it->second;
  }
  std::map<std::string, std::string> files;
};

} // namespace crun::test
