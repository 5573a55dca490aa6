#include <crun/transport/binfmt_probe.hpp>

#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace crun::transport {
namespace {

using core::EmulatorState;

const core::Platform k_amd64{"linux", "amd64", ""};
const core::Platform k_arm64{"linux", "arm64", ""};

std::string fixture(const std::string& name)
{
  std::ifstream in(CRUN_TEST_FIXTURES "/binfmt/" + name, std::ios::binary);
  EXPECT_TRUE(in) << "missing fixture " << name;
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write(const std::string& path, const std::string& text)
{
  std::ofstream out(path, std::ios::binary);
  out << text;
  ASSERT_TRUE(out) << "cannot write " << path;
}

// A binfmt_misc directory as the kernel shows it: status, register, and
// the real qemu-aarch64 entry (edited by `edit` when given).
class BinfmtProbe : public ::testing::Test {
protected:
  void mount(const std::string& status = "enabled\n") const
  {
    write(m_dir.path() + "/status", status);
    write(m_dir.path() + "/register", "");
  }
  void add_aarch64(const std::string& from = "enabled", const std::string& to = "enabled") const
  {
    std::string text = fixture("qemu-aarch64");
    text.replace(text.find(from), from.size(), to);
    write(m_dir.path() + "/qemu-aarch64", text);
  }
  EmulatorProbe probe(const core::Platform& target = k_arm64) const
  {
    return probe_binfmt(target, k_amd64, m_dir.path());
  }

  test::TempDir m_dir{"crun-binfmt"};
};

TEST_F(BinfmtProbe, TheRealEntryWithFMakesArm64Present)
{
  mount();
  add_aarch64();
  auto result = probe();
  EXPECT_EQ(result.state, EmulatorState::present) << result.detail;
  EXPECT_EQ(result.detail, "binfmt_misc emulates arm64 with "
                           "/usr/libexec/qemu-binfmt/aarch64-binfmt-P (flag F: it works in every "
                           "container)");
}

TEST_F(BinfmtProbe, NoEntryForTheArchitectureIsAbsent)
{
  mount();
  auto empty = probe();
  EXPECT_EQ(empty.state, EmulatorState::absent) << empty.detail;
  EXPECT_NE(empty.detail.find("no binfmt_misc entry handles arm64"), std::string::npos)
    << empty.detail;
  add_aarch64();
  auto other = probe({"linux", "s390x", ""});
  EXPECT_EQ(other.state, EmulatorState::absent) << other.detail;
}

TEST_F(BinfmtProbe, NoStatusFileIsNotMounted)
{
  add_aarch64();
  auto result = probe();
  EXPECT_EQ(result.state, EmulatorState::unknown) << result.detail;
  EXPECT_NE(result.detail.find("binfmt_misc is not mounted"), std::string::npos) << result.detail;
  // A directory that does not exist at all: the same, no exception.
  auto missing = probe_binfmt(k_arm64, k_amd64, m_dir.path() + "/nowhere");
  EXPECT_EQ(missing.state, EmulatorState::unknown) << missing.detail;
  // The native architecture needs nothing, mounted or not.
  EXPECT_EQ(probe(k_amd64).state, EmulatorState::present);
}

TEST_F(BinfmtProbe, GloballyDisabledTurnsEveryEntryOff)
{
  mount("disabled\n");
  add_aarch64();
  auto result = probe();
  EXPECT_EQ(result.state, EmulatorState::absent) << result.detail;
  EXPECT_NE(result.detail.find("is disabled"), std::string::npos) << result.detail;
  EXPECT_NE(result.detail.find("binfmt_misc is disabled as a whole"), std::string::npos)
    << result.detail;
}

TEST_F(BinfmtProbe, ADisabledEntryIsAbsent)
{
  mount();
  add_aarch64("enabled", "disabled");
  auto result = probe();
  EXPECT_EQ(result.state, EmulatorState::absent) << result.detail;
  EXPECT_NE(result.detail.find("no enabled binfmt_misc entry handles arm64"), std::string::npos)
    << result.detail;
}

TEST_F(BinfmtProbe, AnEntryWithoutFIsUnknown)
{
  mount();
  add_aarch64("flags: PF", "flags: P");
  auto result = probe();
  EXPECT_EQ(result.state, EmulatorState::unknown) << result.detail;
  EXPECT_NE(result.detail.find("tonistiigi/binfmt --install arm64"), std::string::npos)
    << result.detail;
}

TEST_F(BinfmtProbe, FilesThatAreNoEntryAreSkippedAndNamed)
{
  mount();
  add_aarch64();
  write(m_dir.path() + "/stray", "not an entry\n");
  std::filesystem::create_directory(m_dir.path() + "/subdir");
  auto result = probe();
  EXPECT_EQ(result.state, EmulatorState::present) << result.detail;
  EXPECT_NE(result.detail.find("; skipped " + m_dir.path() + "/stray: not a binfmt_misc entry"),
            std::string::npos)
    << result.detail;
  EXPECT_EQ(result.detail.find("subdir"), std::string::npos) << result.detail;
}

TEST_F(BinfmtProbe, UnreadableFilesAreSkippedAndNamed)
{
  if (::geteuid() == 0) {
    GTEST_SKIP() << "root reads files whatever their mode";
  }
  mount();
  add_aarch64();
  ::chmod((m_dir.path() + "/qemu-aarch64").c_str(), 0);
  auto result = probe();
  EXPECT_EQ(result.state, EmulatorState::absent) << result.detail;
  EXPECT_NE(result.detail.find("skipped " + m_dir.path() + "/qemu-aarch64: permission denied"),
            std::string::npos)
    << result.detail;
}

} // namespace
} // namespace crun::transport
