#include "private_files.hpp"

#include <crun/core/error.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

namespace crun::backends::apple {

TempDir::TempDir()
{
  std::string base = std::filesystem::temp_directory_path().string() + "/crun-any-apple-XXXXXX";
  if (::mkdtemp(base.data()) == nullptr) {
    fail(Errc::internal, "cannot create a temporary directory in {}",
         std::filesystem::temp_directory_path().string());
  }
  m_path = base;
}

TempDir::~TempDir()
{
  std::error_code ignored;
  std::filesystem::remove_all(m_path, ignored);
}

void write_private_file(const std::string& path, const std::string& text)
{
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    fail(Errc::internal, "cannot create {}: {}", path, std::strerror(errno));
  }
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      int error = errno;
      ::close(fd);
      fail(Errc::internal, "cannot write {}: {}", path, std::strerror(error));
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) {
    fail(Errc::internal, "cannot write {}: {}", path, std::strerror(errno));
  }
}

} // namespace crun::backends::apple
