// Linux has close_range(2) (5.9+), which also copes with a soft limit of a
// million descriptors; elsewhere, and on older kernels, a close() loop.

#include <crun/util/close_descriptors.hpp>

#include <unistd.h>

#if defined(__linux__)
#include <sys/syscall.h>
#endif

namespace crun::util {

void close_descriptors_except(int keep, int limit) noexcept
{
#if defined(__linux__) && defined(SYS_close_range)
  bool ranged = true;
  if (keep > 3) {
    ranged = ::syscall(SYS_close_range, 3u, static_cast<unsigned>(keep - 1), 0u) == 0;
  }
  if (ranged && ::syscall(SYS_close_range, static_cast<unsigned>(keep + 1), ~0u, 0u) == 0) {
    return;
  }
#endif
  for (int fd = 3; fd < limit; ++fd) {
    if (fd != keep) {
      ::close(fd);
    }
  }
}

} // namespace crun::util
