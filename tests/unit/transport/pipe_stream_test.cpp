// PipeStream over a real child (/bin/cat, /bin/sh): what is written comes
// back through the child, shutdown_write is the child's end of file,
// shutdown() wakes a blocked reader, and a child that went away is an error,
// never a SIGPIPE.

#include <crun/transport/pipe_stream.hpp>

#include "support/error_of.hpp"

#include <crun/core/error.hpp>
#include <crun/transport/process.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fcntl.h>

#include <chrono>
#include <csignal>
#include <string>
#include <thread>
#include <variant>

namespace crun::transport {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

ChildProcess start(std::vector<std::string> argv)
{
  ProcessSpec spec;
  spec.executable = argv.front();
  spec.argv = std::move(argv);
  spec.env = Env({{"PATH", "/usr/bin:/bin"}});
  spec.in = ChildStream::pipe();
  spec.out = ChildStream::pipe();
  auto started = start_process(spec);
  if (auto* failure = std::get_if<StartFailure>(&started)) {
    throw std::runtime_error("cannot start " + spec.executable + ": " + failure->str());
  }
  return std::move(std::get<ChildProcess>(started));
}

std::string read_to_end(ByteStream& stream)
{
  std::string data;
  char buf[4096];
  while (std::size_t n = stream.read_some(buf, sizeof(buf))) {
    data.append(buf, n);
  }
  return data;
}

// Larger than any pipe buffer, so that writing and reading must overlap.
std::string payload(std::size_t size)
{
  std::string text(size, '\0');
  for (std::size_t i = 0; i < size; ++i) {
    text[i] = static_cast<char>((i * 7919) % 251);
  }
  return text;
}

TEST(PipeStream, BytesWrittenComeBackThroughCatThenEndOfFile)
{
  ChildProcess cat = start({"/bin/cat"});
  PipeStream stream(cat, "cat");
  EXPECT_EQ(cat.stdin_pipe().get(), -1); // taken by the stream
  const std::string input = payload(1 << 20);
  std::thread writer([&] {
    stream.write_all(input);
    stream.shutdown_write();
  });
  std::string output = read_to_end(stream);
  writer.join();
  EXPECT_EQ(output.size(), input.size());
  EXPECT_TRUE(output == input);
  EXPECT_EQ(cat.wait().code, 0);
}

TEST(PipeStream, ShutdownWriteIsTheChildsEndOfFile)
{
  ChildProcess counter = start({"/bin/sh", "-c", "wc -c"});
  PipeStream stream(counter, "wc");
  stream.write_all("12345");
  stream.shutdown_write();
  stream.shutdown_write(); // idempotent
  EXPECT_EQ(read_to_end(stream).find('5') != std::string::npos, true);
  EXPECT_EQ(counter.wait().code, 0);
  Error e = test::error_of([&] { stream.write_all("more"); });
  EXPECT_EQ(e.code(), Errc::engine_error);
  EXPECT_THAT(e.message(), HasSubstr("cannot write to wc: the stream is closed"));
}

TEST(PipeStream, ShutdownWakesABlockedReader)
{
  ChildProcess cat = start({"/bin/cat"}); // says nothing until fed
  PipeStream stream(cat, "cat");
  std::size_t got = 1;
  std::thread reader([&] {
    char buf[16];
    got = stream.read_some(buf, sizeof(buf));
  });
  std::this_thread::sleep_for(50ms);
  stream.shutdown();
  reader.join();
  EXPECT_EQ(got, 0U);
  Error e = test::error_of([&] { stream.write_all("late"); });
  EXPECT_EQ(e.code(), Errc::engine_error);
  cat.stop(1s);
}

TEST(PipeStream, AChildThatWentAwayIsAnErrorNotASigpipe)
{
  // SIGPIPE is left at its default here: it would end the test binary.
  std::signal(SIGPIPE, SIG_DFL);
  ChildProcess quitter = start({"/bin/sh", "-c", "exec 0<&-; echo bye"});
  PipeStream stream(quitter, "sh");
  EXPECT_EQ(read_to_end(stream), "bye\n");
  EXPECT_EQ(quitter.wait().code, 0);
  Error e = test::error_of([&] { stream.write_all(payload(256 * 1024)); });
  EXPECT_EQ(e.code(), Errc::engine_error);
  EXPECT_THAT(e.message(), HasSubstr("the stream is closed"));
}

TEST(PipeStream, DescriptorsAreCloseOnExecAndCloseIsIdempotent)
{
  ChildProcess cat = start({"/bin/cat"});
  PipeStream stream(cat, "cat");
  int fd = stream.native_handle();
  ASSERT_GE(fd, 0);
  EXPECT_TRUE(::fcntl(fd, F_GETFD) & FD_CLOEXEC);
  stream.close();
  stream.close();
  EXPECT_EQ(stream.native_handle(), -1);
  char buf[4];
  EXPECT_EQ(stream.read_some(buf, sizeof(buf)), 0U);
  EXPECT_EQ(cat.wait().code, 0); // closing its stdin ended it
}

} // namespace
} // namespace crun::transport
