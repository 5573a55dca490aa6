// Descriptors 0/1/2 closed at start are held by /dev/null: stdin reads end of
// file, a closed stdout or stderr still fails a write, and what the process
// opens next never lands on them. Each case runs in a forked child, whose
// descriptors it may close.
#include <crun/util/standard_descriptors.hpp>

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

namespace crun::util {
namespace {

// The exit status of a child running `check` (0 when it holds).
template <class F>
int in_child(F check)
{
  pid_t pid = ::fork();
  if (pid == 0) {
    ::_exit(check());
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 100;
}

TEST(StandardDescriptors, ClosedOnesAreHeldSoNewDescriptorsLandAbove)
{
  EXPECT_EQ(in_child([] {
              ::close(0);
              ::close(1);
              ::close(2);
              reserve_standard_descriptors();
              char byte = 0;
              if (::read(0, &byte, 1) != 0) {
                return 1; // stdin: end of file at once
              }
              if (::write(1, "x", 1) != -1 || errno != EBADF) {
                return 2; // stdout: still fails, as closed
              }
              if (::write(2, "x", 1) != -1 || errno != EBADF) {
                return 3;
              }
              int fds[2];
              if (::pipe(fds) != 0 || fds[0] <= 2 || fds[1] <= 2) {
                return 4;
              }
              return 0;
            }),
            0);
}

TEST(StandardDescriptors, OpenOnesAreLeftAlone)
{
  EXPECT_EQ(in_child([] {
              int fds[2];
              if (::pipe(fds) != 0 || ::dup2(fds[1], 1) != 1) {
                return 1;
              }
              reserve_standard_descriptors();
              if (::write(1, "x", 1) != 1) {
                return 2;
              }
              char byte = 0;
              return ::read(fds[0], &byte, 1) == 1 && byte == 'x' ? 0 : 3;
            }),
            0);
}

} // namespace
} // namespace crun::util
