// Bad input and unreachable parts, as a user meets them (issue 11): each gets
// its own message and exit code, and nothing is created on the way. Driven
// through the real binary on each engine of the bench.
#include "support/bench_fixtures.hpp"
#include "support/temp_dir.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace crun::test {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

// A loopback port nothing listens on: bound, then closed.
int closed_port()
{
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof(address);
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), size), 0);
  EXPECT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size), 0);
  ::close(fd);
  return ntohs(address.sin_port);
}

class BadInput : public EngineTest {};

TEST_P(BadInput, ARegistryThatCannotBeReachedIsNotAMissingEngine)
{
  const std::string image = "127.0.0.1:" + std::to_string(closed_port()) + "/app/x:1";
  auto pulled = crun({"pull", image});
  EXPECT_EQ(pulled.exit_code, 1) << pulled.describe();
  EXPECT_THAT(pulled.err, HasSubstr("cannot reach the registry 127.0.0.1:"));
  EXPECT_THAT(pulled.err, Not(HasSubstr("engine")));
  EXPECT_THAT(pulled.err, Not(HasSubstr("while while")));

  const std::string label = unique_name("unreachable");
  auto ran = crun({"run", "--rm", "--label", "crun-test=" + label, image, "true"});
  EXPECT_EQ(ran.exit_code, 125) << ran.describe();
  EXPECT_THAT(ran.err, HasSubstr("cannot reach the registry 127.0.0.1:"));
  EXPECT_THAT(ran.err, Not(HasSubstr("is the engine running")));
  EXPECT_THAT(containers_labelled("crun-test", label), IsEmpty());
}

TEST_P(BadInput, AnEnvFileThatIsADirectoryOrHasAHugeLineIsRefusedBeforeCreate)
{
  TempDir dir{"crun-envfile"};
  std::filesystem::create_directories(dir.path() + "/env.d");
  const std::string huge = dir.path() + "/huge.env";
  std::ofstream(huge) << "A=" << std::string(70000, 'x') << "\n";
  const std::string label = unique_name("envfile");
  for (const auto& [file, says] :
       {std::pair{dir.path() + "/env.d", std::string("it is a directory")},
        std::pair{huge, std::string("line 1: longer than 64 KiB")}}) {
    SCOPED_TRACE(file);
    auto r = crun({"run", "--rm", "--pull", "never", "--label", "crun-test=" + label, "--env-file",
                   file, bench.image_small, "true"});
    EXPECT_EQ(r.exit_code, 125) << r.describe();
    EXPECT_THAT(r.err, HasSubstr(file));
    EXPECT_THAT(r.err, HasSubstr(says));
  }
  EXPECT_THAT(containers_labelled("crun-test", label), IsEmpty());
}

TEST_P(BadInput, BytesThatAreNotUtf8ReachTheContainerAsReplacementCharacters)
{
  if (is_apple()) {
    GTEST_SKIP() << "Apple's CLI gets arguments as they are, not JSON";
  }
  auto pulled = crun({"pull", "-q", bench.image_small});
  ASSERT_EQ(pulled.exit_code, 0) << pulled.describe();
  auto r = crun({"run", "--rm", "--pull", "never", "-e", std::string("A=caf\xe9"), "--label",
                 std::string("l=\xff"), bench.image_small, "sh", "-c", "echo \"$A\""});
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_EQ(r.out, "caf\xef\xbf\xbd\n"); // U+FFFD, as the docker CLI sends it
  EXPECT_THAT(r.err, Not(HasSubstr("json.exception")));
}

INSTANTIATE_TEST_SUITE_P(Engines, BadInput, bench_engines(), backend_name);

TEST(BadHost, AHostThatNamesNoEndpointIsBadInput)
{
  for (const std::string host : {"foo://x", "unix://", "tcp://", "ssh://user@host"}) {
    SCOPED_TRACE(host);
    auto r = run_crun_any({"--host", host, "pull", "alpine"});
    EXPECT_EQ(r.exit_code, 2) << r.describe();
    EXPECT_THAT(r.err, HasSubstr("invalid --host " + host));
    auto ran = run_crun_any({"--host", host, "run", "alpine"});
    EXPECT_EQ(ran.exit_code, 125) << ran.describe();
  }
}

} // namespace
} // namespace crun::test
