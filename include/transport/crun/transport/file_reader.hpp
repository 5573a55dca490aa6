#pragma once
// The seam through which configuration files are read, so that resolving an
// endpoint from ~/.docker stays pure and testable with an in-memory fake.

#include <optional>
#include <string>

namespace crun::transport {

class FileReader {
public:
  virtual ~FileReader() = default;
  /// The whole content of the file at `path`; std::nullopt when it does not
  /// exist or cannot be read (a missing file is an answer, not a failure).
  /// Never throws.
  virtual std::optional<std::string> read(const std::string& path) const = 0;
};

/// Reads the real file system.
class DiskFileReader final : public FileReader {
public:
  /// See FileReader::read. Never throws (except std::bad_alloc).
  std::optional<std::string> read(const std::string& path) const override;
};

} // namespace crun::transport
