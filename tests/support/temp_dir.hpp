#pragma once
// A fresh directory for one test, removed with its content at scope exit.
// Under /tmp with a short name: unix socket paths must fit in sun_path (108
// bytes), and Podman refuses a runroot longer than 50 characters.

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <system_error>

namespace crun::test {

class TempDir {
public:
  /// "/tmp/<prefix>-XXXXXX"; a test failure (and an empty path) if mkdtemp fails.
  explicit TempDir(const std::string& prefix = "crun-test")
  {
    std::string pattern = "/tmp/" + prefix + "-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) {
      ADD_FAILURE() << "mkdtemp " << pattern << ": " << std::strerror(errno);
      return;
    }
    m_path = pattern;
  }
  ~TempDir()
  {
    if (!m_path.empty()) {
      std::error_code ignored; // a leftover in /tmp is not the test's failure
      std::filesystem::remove_all(m_path, ignored);
    }
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return m_path; }

  /// path()/`name`, created (with its parents) private to the user (0700).
  std::string sub(const std::string& name) const
  {
    std::string dir = m_path + "/" + name;
    std::error_code error;
    std::filesystem::create_directories(dir, error);
    EXPECT_FALSE(error) << "cannot create " << dir << ": " << error.message();
    ::chmod(dir.c_str(), 0700);
    return dir;
  }

private:
  std::string m_path;
};

} // namespace crun::test
