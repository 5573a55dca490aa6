// crun-any's stdout and stderr buffers keep the reason of a failed write,
// however long before the final flush it came.
#include <crun/cli/fd_buffer.hpp>

#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <ostream>
#include <string>

namespace crun::cli {
namespace {

TEST(FdBuffer, WritesEverythingThroughAtTheFlush)
{
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  {
    FdBuffer buffer(fds[1], 16);
    std::ostream out(&buffer);
    out << "short " << std::string(40, 'x') << " end\n";
    out.flush();
    EXPECT_TRUE(out.good());
    EXPECT_EQ(buffer.error(), 0);
  }
  ::close(fds[1]);
  std::string data(128, '\0');
  ssize_t n = ::read(fds[0], data.data(), data.size());
  ::close(fds[0]);
  EXPECT_EQ(data.substr(0, static_cast<std::size_t>(n)),
            "short " + std::string(40, 'x') + " end\n");
}

TEST(FdBuffer, AFullDeviceFailsTheStreamAndSaysWhy)
{
  int full = ::open("/dev/full", O_WRONLY | O_CLOEXEC);
  ASSERT_GE(full, 0);
  FdBuffer buffer(full, 8);
  std::ostream out(&buffer);
  out << std::string(100, 'x'); // fails mid-way, long before the flush
  out << "more";
  out.flush();
  EXPECT_TRUE(out.bad());
  EXPECT_EQ(buffer.error(), ENOSPC);
  ::close(full);
}

TEST(FdBuffer, AReaderThatWentAwayIsEpipe)
{
  std::signal(SIGPIPE, SIG_IGN); // as crun-any's main does
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  ::close(fds[0]);
  FdBuffer buffer(fds[1], 0);
  std::ostream out(&buffer);
  out << "lost\n";
  EXPECT_TRUE(out.bad());
  EXPECT_EQ(buffer.error(), EPIPE);
  ::close(fds[1]);
}

} // namespace
} // namespace crun::cli
