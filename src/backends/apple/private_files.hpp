#pragma once
// The private files the Apple adapter hands `container` (a run's cidfile,
// the --env-file of a run or an exec): a directory only this user can
// enter, removed with what it holds.

#include <string>

namespace crun::backends::apple {

class TempDir {
public:
  /// Creates it under the system's temporary directory. Throws
  /// Error(Errc::internal) naming that directory when it cannot.
  TempDir();
  /// Removes it and its files; never fails.
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return m_path; }

private:
  std::string m_path;
};

/// Writes `text` to a new file at `path` that only this user can read.
/// Throws Error(Errc::internal) naming the file when it cannot be written.
void write_private_file(const std::string& path, const std::string& text);

} // namespace crun::backends::apple
