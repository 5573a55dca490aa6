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

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string_view>

namespace crun::test {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

// Whether `text` is valid UTF-8 (RFC 3629: no overlong form, no surrogate,
// nothing above U+10FFFF), checked here on its own, apart from crun-any's
// escaping.
bool valid_utf8(std::string_view text)
{
  for (std::size_t at = 0; at < text.size();) {
    const auto lead = static_cast<unsigned char>(text[at]);
    std::size_t length = lead < 0x80                    ? 1
                         : lead >= 0xC2 && lead <= 0xDF ? 2
                         : lead >= 0xE0 && lead <= 0xEF ? 3
                         : lead >= 0xF0 && lead <= 0xF4 ? 4
                                                        : 0;
    if (length == 0 || at + length > text.size()) {
      return false;
    }
    std::uint32_t code = length == 1 ? lead : lead & (0x7F >> length);
    for (std::size_t i = 1; i < length; ++i) {
      const auto next = static_cast<unsigned char>(text[at + i]);
      if ((next & 0xC0) != 0x80) {
        return false;
      }
      code = (code << 6) | (next & 0x3F);
    }
    const std::uint32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code < least[length] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
      return false;
    }
    at += length;
  }
  return true;
}

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

// A hostile or mistyped name reaches the terminal escaped: stderr stays valid
// UTF-8 and no escape sequence of the name's gets through.
TEST_P(BadInput, NamesWithBytesThatAreNotTextAreShownEscaped)
{
  const struct {
    std::vector<std::string> args;
    int exit_code;
    std::string shown;
  } rows[] = {
    {{"pull", "\xff\xfeimage"}, 2, "\\xff\\xfeimage"},
    {{"pull", "ima\x1b]0;owned\x07ge"}, 2, "ima\\x1b]0;owned\\x07ge"},
    {{"pull", "bad\x80ref"}, 2, "bad\\x80ref"},
    {{"inspect", "x\xffy"}, 1, "x\\xffy"},
    {{"inspect", "x\x1b[31my"}, 1, "x\\x1b[31my"},
    {{"run", "--rm", "--pull", "never", "x\xffy"}, 125, "x\\xffy"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.shown);
    auto r = crun(row.args);
    EXPECT_EQ(r.exit_code, row.exit_code) << r.describe();
    EXPECT_TRUE(valid_utf8(r.err)) << r.err;
    EXPECT_THAT(r.err, HasSubstr(row.shown));
    EXPECT_THAT(r.err, Not(HasSubstr("\x1b")));
  }
  // A valid character of several bytes is named whole, as itself.
  auto r = crun({"pull", "caf\xc3\xa9"});
  EXPECT_EQ(r.exit_code, 2) << r.describe();
  EXPECT_THAT(r.err, HasSubstr("invalid character \"\xc3\xa9\" in path component"));
}

// Nobody chose the platform (the engine's own, linux/amd64 on the bench):
// the image's platform to pass is named. A platform the user chose is not
// second-guessed.
TEST_P(BadInput, AnImageOnlyForAnotherPlatformSuggestsTheOneToPass)
{
  const std::string missing = "has no linux/amd64 image; it has linux/arm64";
  const std::string hint = "; to run it under emulation, pass --platform linux/arm64";
  auto pulled = crun({"pull", bench.image_arm64});
  EXPECT_EQ(pulled.exit_code, 1) << pulled.describe();
  EXPECT_THAT(pulled.err, HasSubstr(missing + hint));

  const std::string label = unique_name("suggest");
  auto ran = crun({"run", "--rm", "--pull", "always", "--label", "crun-test=" + label,
                   bench.image_arm64, "true"});
  EXPECT_EQ(ran.exit_code, 125) << ran.describe();
  EXPECT_THAT(ran.err, HasSubstr(missing + hint));
  EXPECT_THAT(containers_labelled("crun-test", label), IsEmpty());

  auto chosen = crun({"pull", "--platform", "linux/amd64", bench.image_arm64});
  EXPECT_EQ(chosen.exit_code, 1) << chosen.describe();
  EXPECT_THAT(chosen.err, HasSubstr(missing));
  EXPECT_THAT(chosen.err, Not(HasSubstr("pass --platform")));
}

// As the docker CLI (23+) and Podman: "./sub" is the directory sub of the
// working directory; "sub/x" (which the engines take for a volume name and
// refuse) and a host path with ':' are refused before anything is created.
TEST_P(BadInput, RelativeVolumeSourcesAreTheWorkingDirectorysOrRefused)
{
  auto pulled = crun({"pull", "-q", bench.image_small});
  ASSERT_EQ(pulled.exit_code, 0) << pulled.describe();
  TempDir dir{"crun-volume"};
  std::filesystem::create_directories(dir.path() + "/sub/x");
  std::ofstream(dir.path() + "/sub/file") << "from the host\n";
  ProcessOptions in_dir;
  in_dir.cwd = dir.path();

  auto r = crun({"run", "--rm", "--pull", "never", "-v", "./sub:/data:ro", bench.image_small, "cat",
                 "/data/file"},
                in_dir);
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_EQ(r.out, "from the host\n");

  const std::string label = unique_name("volume");
  for (const auto& [volume, says] :
       {std::pair{std::string("sub/x:/data"),
                  std::string("invalid volume \"sub/x:/data\": the source \"sub/x\" is neither a "
                              "host path nor a volume name; use an absolute path or ./sub/x")},
        std::pair{dir.path() + "/a:b:/data", "the host path \"" + dir.path() +
                                               "/a:b\" contains ':', which -v cannot express"}}) {
    SCOPED_TRACE(volume);
    auto refused = crun({"run", "--rm", "--pull", "never", "--label", "crun-test=" + label, "-v",
                         volume, bench.image_small, "true"},
                        in_dir);
    EXPECT_EQ(refused.exit_code, 125) << refused.describe();
    EXPECT_THAT(refused.err, HasSubstr(says));
  }
  EXPECT_THAT(containers_labelled("crun-test", label), IsEmpty());
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
