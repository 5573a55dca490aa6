#include <crun/core/binfmt_entry.hpp>

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace crun::core {
namespace {

// An entry as the kernel prints it, for a magic and mask.
std::string entry_text(const std::string& magic, const std::string& mask,
                       const std::string& flags = "PF", const std::string& state = "enabled")
{
  return state + "\ninterpreter /usr/libexec/qemu-binfmt/x-binfmt-P\nflags: " + flags +
         "\noffset 0\nmagic " + magic + "\nmask " + mask + "\n";
}

// Copied from /proc/sys/fs/binfmt_misc/qemu-aarch64 of the development VM
// (tests/fixtures/binfmt/qemu-aarch64).
const std::string k_real_aarch64 = "enabled\n"
                                   "interpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P\n"
                                   "flags: PF\n"
                                   "offset 0\n"
                                   "magic 7f454c460201010000000000000000000200b700\n"
                                   "mask ffffffffffffff00fffffffffffffffffeffffff\n";

TEST(BinfmtEntry, ReadsTheRealAarch64Entry)
{
  auto entry = try_parse_binfmt_entry(k_real_aarch64);
  ASSERT_TRUE(entry) << entry.problem();
  EXPECT_TRUE(entry->enabled);
  EXPECT_EQ(entry->interpreter, "/usr/libexec/qemu-binfmt/aarch64-binfmt-P");
  EXPECT_EQ(entry->flags, "PF");
  EXPECT_EQ(entry->architecture, "arm64");
}

// Magic and mask of QEMU's scripts/qemu-binfmt-conf.sh, in the kernel's
// hex form.
TEST(BinfmtEntry, DecodesQemuMagicsToOciArchitectures)
{
  const struct {
    const char* qemu;
    std::string magic;
    std::string mask;
    std::optional<std::string> architecture;
  } rows[] = {
    {"x86_64", "7f454c4602010100000000000000000002003e00",
     "fffffffffffefe00fffffffffffffffffeffffff", "amd64"},
    {"i386", "7f454c4601010100000000000000000002000300", "fffffffffffefe00fffffffffffffffffeffffff",
     "386"},
    {"arm", "7f454c4601010100000000000000000002002800", "ffffffffffffff00fffffffffffffffffeffffff",
     "arm"},
    {"riscv64", "7f454c460201010000000000000000000200f300",
     "ffffffffffffff00fffffffffffffffffeffffff", "riscv64"},
    // Big endian: e_machine is 00 16, high byte first.
    {"s390x", "7f454c4602020100000000000000000000020016",
     "ffffffffffffff00fffffffffffffffffffeffff", "s390x"},
    // The mask leaves e_machine's high byte open: it is still EM_PPC64.
    {"ppc64le", "7f454c4602010100000000000000000002001500",
     "ffffffffffffff00fffffffffffffffffeffff00", "ppc64le"},
    {"ppc64", "7f454c4602020100000000000000000000020015",
     "ffffffffffffff00fffffffffffffffffffeffff", "ppc64"},
    {"mips64el", "7f454c4602010100000000000000000002000800",
     "ffffffffffffff00fffffffffffffffffeffffff", "mips64le"},
    {"mips", "7f454c4601020100000000000000000000020008", "ffffffffffffff00fffffffffffffffffffeffff",
     "mips"},
    {"loongarch64", "7f454c4602010100000000000000000002000201",
     "ffffffffffffff00fffffffffffffffffeffffff", "loong64"},
    // No OCI name: big-endian arm and aarch64, sparc, x32-style class 1.
    {"armeb", "7f454c4601020100000000000000000000020028",
     "ffffffffffffff00fffffffffffffffffffeffff", std::nullopt},
    {"aarch64_be", "7f454c46020201000000000000000000000200b7",
     "ffffffffffffff00fffffffffffffffffffeffff", std::nullopt},
    {"sparc", "7f454c4601020100000000000000000000020002",
     "ffffffffffffff00fffffffffffffffffffeffff", std::nullopt},
    {"x32", "7f454c4601010100000000000000000002003e00", "fffffffffffefe00fffffffffffffffffeffffff",
     std::nullopt},
  };
  for (const auto& row : rows) {
    auto entry = try_parse_binfmt_entry(entry_text(row.magic, row.mask));
    ASSERT_TRUE(entry) << row.qemu << ": " << entry.problem();
    EXPECT_EQ(entry->architecture, row.architecture) << row.qemu;
  }
}

TEST(BinfmtEntry, ReadsDisabledEntriesAndEmptyFlags)
{
  auto entry =
    try_parse_binfmt_entry(entry_text("7f454c4602020100000000000000000000020016",
                                      "ffffffffffffff00fffffffffffffffffffeffff", "", "disabled"));
  ASSERT_TRUE(entry) << entry.problem();
  EXPECT_FALSE(entry->enabled);
  EXPECT_EQ(entry->flags, "");
  EXPECT_EQ(entry->architecture, "s390x");
}

TEST(BinfmtEntry, AnEntryWithoutMaskMatchesItsMagicExactly)
{
  auto entry = try_parse_binfmt_entry("enabled\ninterpreter /x\nflags: F\noffset 0\nmagic "
                                      "7f454c460201010000000000000000000200b700\n");
  ASSERT_TRUE(entry) << entry.problem();
  EXPECT_EQ(entry->architecture, "arm64");
}

TEST(BinfmtEntry, ExtensionAndNonElfEntriesNameNoArchitecture)
{
  const std::string texts[] = {
    // An extension entry (Wine's .exe): not an ELF emulator.
    "enabled\ninterpreter /usr/bin/wine\nflags: \nextension .exe\n",
    // Windows PE magic ("MZ").
    "enabled\ninterpreter /usr/bin/mono\nflags: \noffset 0\nmagic 4d5a\n",
    // An ELF header at another offset.
    "enabled\ninterpreter /x\nflags: F\noffset 4\nmagic 7f454c460201010000000000000000000200b700\n",
    // Too short to hold e_machine.
    "enabled\ninterpreter /x\nflags: F\noffset 0\nmagic 7f454c4602010100\n",
    // Not hex, odd length, mask of another length.
    "enabled\ninterpreter /x\nflags: F\noffset 0\nmagic 7f454c46zz010100000000000000000002003e00\n",
    "enabled\ninterpreter /x\nflags: F\noffset 0\nmagic 7f454c460201010000000000000000000200b70\n",
    entry_text("7f454c460201010000000000000000000200b700", "ffff"),
    // The mask leaves the class or e_machine open.
    entry_text("7f454c460201010000000000000000000200b700",
               "ffffffff00ffff00fffffffffffffffffeffffff"),
    entry_text("7f454c460201010000000000000000000200b700",
               "ffffffffffffff00fffffffffffffffffeff00ff"),
    // No offset line.
    "enabled\ninterpreter /x\nflags: F\nmagic 7f454c460201010000000000000000000200b700\n",
  };
  for (const auto& text : texts) {
    auto entry = try_parse_binfmt_entry(text);
    ASSERT_TRUE(entry) << text << ": " << entry.problem();
    EXPECT_EQ(entry->architecture, std::nullopt) << text;
  }
}

TEST(BinfmtEntry, TextThatIsNoEntryIsAFailureNotAnException)
{
  for (const std::string& text :
       {std::string(), std::string("\n\n"), std::string("garbage\nmagic 00"),
        std::string("\x7f\x45\x4c\x46\0\xff", 6), std::string(5000, 'x')}) {
    auto entry = try_parse_binfmt_entry(text);
    EXPECT_FALSE(entry);
    EXPECT_NE(entry.problem(), "");
    EXPECT_LT(entry.problem().size(), 200U);
  }
}

TEST(BinfmtEntry, ToleratesOddLinesAfterTheFirst)
{
  auto entry = try_parse_binfmt_entry("enabled\r\n\n  \nflags:\nsomething new 1\ninterpreter\n");
  ASSERT_TRUE(entry) << entry.problem();
  EXPECT_TRUE(entry->enabled);
  EXPECT_EQ(entry->flags, "");
  EXPECT_EQ(entry->interpreter, "");
  EXPECT_EQ(entry->architecture, std::nullopt);
}

BinfmtEntry entry_for(std::string architecture, std::string flags, bool enabled = true)
{
  return {enabled, "/usr/libexec/qemu-binfmt/" + architecture + "-binfmt-P", std::move(flags),
          std::move(architecture)};
}

const Platform k_amd64{"linux", "amd64", ""};

struct Decision {
  EmulatorState state;
  std::string detail;
};

Decision decide(const Platform& target, bool mounted, const std::vector<BinfmtEntry>& entries,
                const Platform& native = k_amd64)
{
  Decision decision{};
  decision.state = emulator_for(target, native, mounted, entries, &decision.detail);
  return decision;
}

TEST(EmulatorFor, TheNativeArchitectureAndItsThirtyTwoBitHalfNeedNoEmulator)
{
  EXPECT_EQ(decide({"linux", "x86_64", ""}, false, {}).state, EmulatorState::present);
  EXPECT_EQ(decide({"linux", "amd64", "v3"}, false, {}).state, EmulatorState::present);
  EXPECT_EQ(decide({"", "", ""}, false, {}).state, EmulatorState::present);
  auto i386 = decide({"linux", "386", ""}, false, {});
  EXPECT_EQ(i386.state, EmulatorState::present);
  EXPECT_EQ(i386.detail, "386 runs natively on amd64: no emulator is needed");
  EXPECT_EQ(decide({"linux", "arm", "v7"}, false, {}, {"linux", "arm64", ""}).state,
            EmulatorState::present);
  // Not the other way round.
  EXPECT_EQ(decide({"linux", "arm64", ""}, true, {}, {"linux", "arm", "v7"}).state,
            EmulatorState::absent);
}

TEST(EmulatorFor, AnotherOsOnALinuxEngineIsAbsent)
{
  auto windows = decide({"windows", "amd64", ""}, true, {entry_for("amd64", "PF")});
  EXPECT_EQ(windows.state, EmulatorState::absent);
  EXPECT_EQ(windows.detail, "windows images do not run on a linux engine: no emulator runs "
                            "another operating system's containers");
  EXPECT_EQ(decide({"windows", "amd64", ""}, true, {}, {"windows", "amd64", ""}).state,
            EmulatorState::present);
  EXPECT_EQ(decide({"linux", "amd64", ""}, true, {}, {"windows", "amd64", ""}).state,
            EmulatorState::unknown);
  EXPECT_EQ(decide({"windows", "arm64", ""}, true, {}, {"windows", "amd64", ""}).state,
            EmulatorState::unknown);
}

TEST(EmulatorFor, UnmountedBinfmtMiscIsUnknown)
{
  auto decision = decide({"linux", "arm64", ""}, false, {entry_for("arm64", "PF")});
  EXPECT_EQ(decision.state, EmulatorState::unknown);
  EXPECT_NE(decision.detail.find("binfmt_misc is not mounted"), std::string::npos)
    << decision.detail;
  EXPECT_NE(decision.detail.find("runs elsewhere"), std::string::npos) << decision.detail;
}

TEST(EmulatorFor, AnEnabledEntryWithFIsPresent)
{
  auto decision =
    decide({"linux", "aarch64", ""}, true, {entry_for("riscv64", "PF"), entry_for("arm64", "OCF")});
  EXPECT_EQ(decision.state, EmulatorState::present);
  EXPECT_EQ(decision.detail, "binfmt_misc emulates arm64 with "
                             "/usr/libexec/qemu-binfmt/arm64-binfmt-P (flag F: it works in every "
                             "container)");
  // An F entry wins over one without, in either order.
  EXPECT_EQ(
    decide({"linux", "arm64", ""}, true, {entry_for("arm64", "P"), entry_for("arm64", "F")}).state,
    EmulatorState::present);
}

TEST(EmulatorFor, AnEntryWithoutFIsUnknownAndSaysHowToReRegister)
{
  auto decision = decide({"linux", "s390x", ""}, true, {entry_for("s390x", "P")});
  EXPECT_EQ(decision.state, EmulatorState::unknown);
  EXPECT_NE(decision.detail.find("without the F flag"), std::string::npos) << decision.detail;
  EXPECT_NE(decision.detail.find("must then exist inside the container"), std::string::npos);
  EXPECT_NE(decision.detail.find("docker run --privileged --rm tonistiigi/binfmt --install s390x"),
            std::string::npos)
    << decision.detail;
}

TEST(EmulatorFor, NoEnabledEntryIsAbsent)
{
  auto none = decide({"linux", "riscv64", ""}, true,
                     {entry_for("arm64", "PF"), {true, "/usr/bin/wine", "", std::nullopt}});
  EXPECT_EQ(none.state, EmulatorState::absent);
  EXPECT_EQ(none.detail, "no binfmt_misc entry handles riscv64 binaries: install one with `docker "
                         "run --privileged --rm tonistiigi/binfmt --install riscv64`");
  auto disabled = decide({"linux", "arm64", ""}, true, {entry_for("arm64", "PF", false)});
  EXPECT_EQ(disabled.state, EmulatorState::absent);
  EXPECT_NE(disabled.detail.find("no enabled binfmt_misc entry handles arm64"), std::string::npos)
    << disabled.detail;
  EXPECT_NE(disabled.detail.find("/usr/libexec/qemu-binfmt/arm64-binfmt-P is disabled"),
            std::string::npos)
    << disabled.detail;
}

TEST(EmulatorFor, ANullDetailIsAllowed)
{
  EXPECT_EQ(emulator_for({"linux", "arm64", ""}, k_amd64, true, {}, nullptr),
            EmulatorState::absent);
}

} // namespace
} // namespace crun::core
