#include <crun/backends/cidfile.hpp>

#include <crun/core/error.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace crun::backends {

void check_cidfile_absent(const std::string& path)
{
  std::error_code error;
  if (std::filesystem::symlink_status(path, error).type() !=
      std::filesystem::file_type::not_found) {
    fail(Errc::usage,
         "--cidfile {}: the container ID file exists already; make sure the other container "
         "is not running, or delete {}",
         path, path);
  }
}

void write_cidfile(const std::string& path, const std::string& id)
{
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    fail(Errc::file_error, "--cidfile {}: cannot create it: {}", path, std::strerror(errno));
  }
  std::size_t done = 0;
  while (done < id.size()) {
    ssize_t n = ::write(fd, id.data() + done, id.size() - done);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      int saved = errno;
      ::close(fd);
      fail(Errc::file_error, "--cidfile {}: cannot write it: {}", path, std::strerror(saved));
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) {
    fail(Errc::file_error, "--cidfile {}: cannot write it: {}", path, std::strerror(errno));
  }
}

} // namespace crun::backends
