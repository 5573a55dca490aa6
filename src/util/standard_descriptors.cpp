#include <crun/util/standard_descriptors.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

namespace crun::util {

void reserve_standard_descriptors() noexcept
{
  for (int fd = 0; fd <= 2; ++fd) {
    if (::fcntl(fd, F_GETFD) != -1 || errno != EBADF) {
      continue;
    }
    // open() returns the lowest free descriptor: `fd` itself, since the
    // lower ones are open by now. Anything else is not ours to keep.
    int opened = ::open("/dev/null", O_RDONLY);
    if (opened >= 0 && opened != fd) {
      ::close(opened);
    }
  }
}

} // namespace crun::util
