#include <crun/transport/socket_identity.hpp>

#include <gtest/gtest.h>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string>

namespace crun::transport {
namespace {

// Binds a unix socket at `path` (replacing any file there), as an engine
// does when it starts; returns the listening descriptor.
int bind_socket(const std::string& path)
{
  ::unlink(path.c_str());
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  EXPECT_GE(fd, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0) << path;
  return fd;
}

class SocketIdentity : public ::testing::Test {
protected:
  void SetUp() override
  {
    char pattern[] = "/tmp/crun-sockid-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    m_dir = pattern;
  }
  void TearDown() override
  {
    ::unlink((m_dir + "/engine.sock").c_str());
    ::rmdir(m_dir.c_str());
  }
  std::string m_dir;
};

TEST_F(SocketIdentity, IsStableForOneSocketAndNewWhenTheSocketIsMadeAgain)
{
  std::string path = m_dir + "/engine.sock";
  Endpoint endpoint = Endpoint::parse("unix://" + path);
  int first = bind_socket(path);
  auto before = socket_identity(endpoint);
  ASSERT_TRUE(before.has_value());
  EXPECT_EQ(socket_identity(endpoint), before);

  // The engine restarts: it removes its socket and binds a new one.
  ::close(first);
  ::usleep(10'000);
  int second = bind_socket(path);
  auto after = socket_identity(endpoint);
  ::close(second);
  ASSERT_TRUE(after.has_value());
  EXPECT_NE(after, before);
}

TEST_F(SocketIdentity, NoneForTcpOrAMissingSocket)
{
  EXPECT_EQ(socket_identity(Endpoint::parse("tcp://127.0.0.1:2375")), std::nullopt);
  EXPECT_EQ(socket_identity(Endpoint::parse("unix://" + m_dir + "/none.sock")), std::nullopt);
}

} // namespace
} // namespace crun::transport
