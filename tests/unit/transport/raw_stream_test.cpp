#include <crun/transport/raw_stream.hpp>

#include "support/error_of.hpp"

#include <crun/core/error.hpp>

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>

namespace crun::transport {
namespace {

using namespace std::chrono_literals;

// A connected pair: [0] for the RawStream, [1] plays the engine.
struct SocketPair {
  SocketPair() { EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0); }
  ~SocketPair()
  {
    if (fds[1] >= 0) {
      ::close(fds[1]);
    }
  }
  void close_engine()
  {
    ::close(fds[1]);
    fds[1] = -1;
  }
  int fds[2] = {-1, -1};
};

TEST(RawStream, ReturnsReadAheadBytesBeforeTheSocket)
{
  SocketPair pair;
  RawStream stream(pair.fds[0], "ahead", "unix:///test.sock");
  ASSERT_EQ(::send(pair.fds[1], "socket", 6, 0), 6);
  char buf[3];
  std::string data;
  while (data.size() < 11) {
    std::size_t got = stream.read_some(buf, sizeof(buf));
    ASSERT_GT(got, 0u);
    data.append(buf, got);
  }
  EXPECT_EQ(data, "aheadsocket");
}

TEST(RawStream, ReadReturnsZeroAtEof)
{
  SocketPair pair;
  RawStream stream(pair.fds[0], "", "unix:///test.sock");
  pair.close_engine();
  char buf[8];
  EXPECT_EQ(stream.read_some(buf, sizeof(buf)), 0u);
}

TEST(RawStream, WritingToAClosedEngineThrowsInsteadOfRaisingSigpipe)
{
  SocketPair pair;
  RawStream stream(pair.fds[0], "", "unix:///test.sock");
  pair.close_engine();
  auto error = crun::test::error_of([&] { stream.write_all("input"); });
  EXPECT_EQ(error.code(), Errc::engine_error);
  EXPECT_EQ(error.message(),
            "cannot write to the engine at unix:///test.sock: the stream is closed (broken pipe)");
}

TEST(RawStream, MakesTheSocketBlockingAndCloseOnExec)
{
  SocketPair pair;
  ::fcntl(pair.fds[0], F_SETFL, ::fcntl(pair.fds[0], F_GETFL) | O_NONBLOCK);
  RawStream stream(pair.fds[0], "", "unix:///test.sock");
  EXPECT_EQ(::fcntl(stream.native_handle(), F_GETFL) & O_NONBLOCK, 0);
  EXPECT_NE(::fcntl(stream.native_handle(), F_GETFD) & FD_CLOEXEC, 0);
}

TEST(RawStream, ShutdownWakesABlockedReader)
{
  SocketPair pair;
  RawStream stream(pair.fds[0], "", "unix:///test.sock");
  std::size_t got = 99;
  std::thread reader([&] {
    char buf[8];
    got = stream.read_some(buf, sizeof(buf));
  });
  std::this_thread::sleep_for(50ms);
  stream.shutdown();
  reader.join();
  EXPECT_EQ(got, 0u);
}

TEST(RawStream, CloseIsIdempotent)
{
  SocketPair pair;
  RawStream stream(pair.fds[0], "x", "unix:///test.sock");
  stream.close();
  stream.close();
  EXPECT_EQ(stream.native_handle(), -1);
  char buf[4];
  EXPECT_EQ(stream.read_some(buf, sizeof(buf)), 1u); // the read-ahead is still there
  EXPECT_EQ(stream.read_some(buf, sizeof(buf)), 0u);
  EXPECT_THROW(stream.write_all("x"), Error);
}

} // namespace
} // namespace crun::transport
