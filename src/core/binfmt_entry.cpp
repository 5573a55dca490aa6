#include <crun/core/binfmt_entry.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace crun::core {
namespace {

// ELF identification (the System V gABI): the signature, then EI_CLASS at 4,
// EI_DATA at 5; e_machine is the half-word at 18, after e_ident (16 bytes)
// and e_type (2).
constexpr std::size_t k_class_at = 4;
constexpr std::size_t k_data_at = 5;
constexpr std::size_t k_machine_at = 18;
constexpr std::size_t k_header_bytes = 20;
constexpr int k_class32 = 1;
constexpr int k_class64 = 2;
constexpr int k_little = 1;
constexpr int k_big = 2;

std::string_view trim(std::string_view text)
{
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && blank(text.front())) {
    text.remove_prefix(1);
  }
  while (!text.empty() && blank(text.back())) {
    text.remove_suffix(1);
  }
  return text;
}

int hex_digit(char c)
{
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

// The kernel prints magic and mask as plain hex, two digits a byte.
std::optional<std::vector<std::uint8_t>> hex_bytes(std::string_view text)
{
  if (text.empty() || text.size() % 2 != 0) {
    return std::nullopt;
  }
  std::vector<std::uint8_t> bytes;
  bytes.reserve(text.size() / 2);
  for (std::size_t i = 0; i < text.size(); i += 2) {
    int high = hex_digit(text[i]);
    int low = hex_digit(text[i + 1]);
    if (high < 0 || low < 0) {
      return std::nullopt;
    }
    bytes.push_back(static_cast<std::uint8_t>(high * 16 + low));
  }
  return bytes;
}

struct MagicLines {
  bool extension = false;
  std::optional<std::string_view> offset;
  std::optional<std::string_view> magic;
  std::optional<std::string_view> mask;
};

// The registered magic is what decides the architecture; the mask only
// widens the match (ET_EXEC and ET_DYN, any OS ABI, ppc64le's high byte of
// e_machine). A field byte the mask clears entirely is not pinned, and then
// the entry names no one architecture.
std::optional<std::string> decode_architecture(const MagicLines& lines)
{
  if (lines.extension || !lines.magic || lines.offset != std::string_view("0")) {
    return std::nullopt;
  }
  auto magic = hex_bytes(*lines.magic);
  if (!magic || magic->size() < k_header_bytes) {
    return std::nullopt;
  }
  std::vector<std::uint8_t> mask(magic->size(), 0xff);
  if (lines.mask) {
    auto given = hex_bytes(*lines.mask);
    if (!given || given->size() != magic->size()) {
      return std::nullopt;
    }
    mask = std::move(*given);
  }
  const auto& m = *magic;
  if (m[0] != 0x7f || m[1] != 'E' || m[2] != 'L' || m[3] != 'F') {
    return std::nullopt;
  }
  int elf_data = m[k_data_at];
  std::size_t low_at = elf_data == k_big ? k_machine_at + 1 : k_machine_at;
  if (mask[k_class_at] == 0 || mask[k_data_at] == 0 || mask[low_at] == 0) {
    return std::nullopt;
  }
  unsigned first = m[k_machine_at] & mask[k_machine_at];
  unsigned second = m[k_machine_at + 1] & mask[k_machine_at + 1];
  unsigned machine = elf_data == k_big ? (first << 8U) | second : (second << 8U) | first;
  return elf_architecture(m[k_class_at], elf_data, machine);
}

// A target the CPU runs without an emulator: the 32-bit half of its family.
bool runs_natively(std::string_view target, std::string_view native)
{
  return (target == "386" && native == "amd64") || (target == "arm" && native == "arm64");
}

void say(std::string* detail, std::string text)
{
  if (detail != nullptr) {
    *detail = std::move(text);
  }
}

} // namespace

Parsed<BinfmtEntry> try_parse_binfmt_entry(std::string_view text)
{
  BinfmtEntry entry;
  MagicLines magic;
  bool first = true;
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    std::string_view line = trim(text.substr(0, end));
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (line.empty()) {
      continue;
    }
    if (first) {
      first = false;
      if (line != "enabled" && line != "disabled") {
        return Parsed<BinfmtEntry>::failure(fmt::format(
          "not a binfmt_misc entry: its first line is \"{}\", not \"enabled\" or \"disabled\"",
          line.substr(0, 40)));
      }
      entry.enabled = line == "enabled";
      continue;
    }
    std::size_t space = line.find_first_of(" \t");
    std::string_view key = line.substr(0, space);
    std::string_view value =
      space == std::string_view::npos ? std::string_view() : trim(line.substr(space));
    if (key == "interpreter") {
      entry.interpreter = std::string(value);
    } else if (key == "flags:") {
      entry.flags = std::string(value);
    } else if (key == "offset") {
      magic.offset = value;
    } else if (key == "magic") {
      magic.magic = value;
    } else if (key == "mask") {
      magic.mask = value;
    } else if (key == "extension") {
      magic.extension = true;
    }
    // Other lines (a newer kernel's) say nothing of the architecture.
  }
  if (first) {
    return Parsed<BinfmtEntry>::failure("not a binfmt_misc entry: the text is empty");
  }
  entry.architecture = decode_architecture(magic);
  return entry;
}

std::optional<std::string> elf_architecture(int elf_class, int elf_data, unsigned machine)
{
  const bool b32 = elf_class == k_class32;
  const bool b64 = elf_class == k_class64;
  const bool little = elf_data == k_little;
  const bool big = elf_data == k_big;
  switch (machine) {
  case 0x03: // EM_386
    return b32 && little ? std::optional<std::string>("386") : std::nullopt;
  case 0x3e: // EM_X86_64 (x32, its 32-bit ABI, has no OCI name)
    return b64 && little ? std::optional<std::string>("amd64") : std::nullopt;
  case 0x28: // EM_ARM (OCI's arm is little-endian)
    return b32 && little ? std::optional<std::string>("arm") : std::nullopt;
  case 0xb7: // EM_AARCH64
    return b64 && little ? std::optional<std::string>("arm64") : std::nullopt;
  case 0x15: // EM_PPC64
    if (b64 && (little || big)) {
      return little ? "ppc64le" : "ppc64";
    }
    return std::nullopt;
  case 0x16: // EM_S390
    return b64 && big ? std::optional<std::string>("s390x") : std::nullopt;
  case 0xf3: // EM_RISCV
    return b64 && little ? std::optional<std::string>("riscv64") : std::nullopt;
  case 0x08: // EM_MIPS (n32 shares o32's header: both read as mips/mipsle)
    if ((b32 || b64) && (little || big)) {
      return std::string(b64 ? "mips64" : "mips") + (little ? "le" : "");
    }
    return std::nullopt;
  case 0x102: // EM_LOONGARCH
    return b64 && little ? std::optional<std::string>("loong64") : std::nullopt;
  default: return std::nullopt;
  }
}

EmulatorState emulator_for(const Platform& target, const Platform& native, bool binfmt_mounted,
                           const std::vector<BinfmtEntry>& entries, std::string* detail)
{
  const Platform engine = native.normalized();
  Platform wanted = target.normalized();
  if (wanted.os.empty()) {
    wanted.os = engine.os;
  }
  if (wanted.architecture.empty()) {
    wanted.architecture = engine.architecture;
  }
  const std::string& arch = wanted.architecture;
  if (wanted.os != engine.os) {
    if (engine.os == "linux") {
      // No binfmt_misc entry turns a Linux kernel into another OS's.
      say(detail, fmt::format("{} images do not run on a linux engine: no emulator runs another "
                              "operating system's containers",
                              wanted.os));
      return EmulatorState::absent;
    }
    say(detail,
        fmt::format("whether a {} engine runs {} images is not detected", engine.os, wanted.os));
    return EmulatorState::unknown;
  }
  if (arch == engine.architecture) {
    say(detail, fmt::format("{} is the engine's own architecture: no emulator is needed", arch));
    return EmulatorState::present;
  }
  if (runs_natively(arch, engine.architecture)) {
    say(detail,
        fmt::format("{} runs natively on {}: no emulator is needed", arch, engine.architecture));
    return EmulatorState::present;
  }
  if (engine.os != "linux") {
    say(detail, fmt::format("emulation of {} on a {} engine is not detected (binfmt_misc is "
                            "Linux's)",
                            arch, engine.os));
    return EmulatorState::unknown;
  }
  if (!binfmt_mounted) {
    say(detail,
        fmt::format("binfmt_misc is not mounted here, so whether the engine can emulate {} is not "
                    "known (crun-any may run in a container while the engine runs elsewhere)",
                    arch));
    return EmulatorState::unknown;
  }
  const BinfmtEntry* without_f = nullptr;
  const BinfmtEntry* disabled = nullptr;
  for (const auto& entry : entries) {
    if (entry.architecture != arch) {
      continue;
    }
    if (!entry.enabled) {
      disabled = disabled != nullptr ? disabled : &entry;
    } else if (entry.flags.find('F') != std::string::npos) {
      say(detail, fmt::format("binfmt_misc emulates {} with {} (flag F: it works in every "
                              "container)",
                              arch, entry.interpreter));
      return EmulatorState::present;
    } else {
      without_f = without_f != nullptr ? without_f : &entry;
    }
  }
  if (without_f != nullptr) {
    // Without F the kernel opens the interpreter at each exec, by its path in
    // the container's mount namespace, where it is rarely present.
    say(detail,
        fmt::format("binfmt_misc emulates {} with {} but without the F flag: the interpreter must "
                    "then exist inside the container; re-register it with F: `docker run "
                    "--privileged --rm tonistiigi/binfmt --install {}`",
                    arch, without_f->interpreter, arch));
    return EmulatorState::unknown;
  }
  say(detail,
      fmt::format("no {}binfmt_misc entry handles {} binaries{}: install one with `docker run "
                  "--privileged --rm tonistiigi/binfmt --install {}`",
                  disabled != nullptr ? "enabled " : "", arch,
                  disabled != nullptr
                    ? fmt::format(" (the one for {} is disabled)", disabled->interpreter)
                    : std::string(),
                  arch));
  return EmulatorState::absent;
}

} // namespace crun::core
