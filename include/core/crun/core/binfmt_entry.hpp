#pragma once
// Linux's binfmt_misc, as the emulation rule reads it (docs/policy.md,
// `emulation`): one entry of /proc/sys/fs/binfmt_misc/<name> parsed from its
// text, and what a set of entries says of whether a local engine can run a
// platform, so that a missing emulator is refused before any pull instead
// of failing later with "exec format error". Pure: the reading of the
// directory is transport/binfmt_probe.hpp's.

#include <crun/core/parsed.hpp>
#include <crun/core/platform.hpp>
#include <crun/core/policy_evaluate.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crun::core {

/// One binfmt_misc entry, as the kernel prints it:
///   enabled
///   interpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P
///   flags: PF
///   offset 0
///   magic 7f454c460201010000000000000000000200b700
///   mask ffffffffffffff00fffffffffffffffffeffffff
struct BinfmtEntry {
  /// The first line: "enabled" (true) or "disabled".
  bool enabled = false;
  /// The interpreter's path, as registered; empty when the text has none.
  std::string interpreter;
  /// The flag letters after "flags:" ("PF", "POCF"; may be empty). 'F' means
  /// the kernel opened the interpreter at registration.
  std::string flags;
  /// The OCI architecture of the ELF binaries the entry matches ("arm64",
  /// "s390x"), decoded from its magic and mask; none for an extension entry,
  /// a magic that is not an ELF header at offset 0, a machine without an
  /// OCI name (sparc, big-endian arm) or one the mask leaves open.
  std::optional<std::string> architecture;

  bool operator==(const BinfmtEntry&) const = default;
};

/// Parses the text of one entry. A failure (saying why) only when the first
/// line is neither "enabled" nor "disabled" (not an entry: `register`, a
/// stray file); any other line that does not read leaves its field empty
/// (an unreadable magic gives no architecture). Never throws (except
/// std::bad_alloc).
Parsed<BinfmtEntry> try_parse_binfmt_entry(std::string_view text);

/// The OCI architecture that an ELF header's class (EI_CLASS: 1 = 32-bit,
/// 2 = 64-bit), data (EI_DATA: 1 = little, 2 = big endian) and e_machine
/// name: 0x3e/64/little -> "amd64", 0xb7/64/little -> "arm64", 0x16/64/big ->
/// "s390x", ... ; none for the others. Never fails.
std::optional<std::string> elf_architecture(int elf_class, int elf_data, unsigned machine);

/// Whether a Linux engine with these binfmt_misc `entries` can run `target`,
/// the engine's own platform being `native`:
/// - present: the same architecture, or one the CPU runs itself (386 on
///   amd64, arm on arm64); or an enabled entry for it with the F flag (the
///   interpreter is open already, so it works in any container);
/// - absent: another OS on a Linux engine (windows/amd64), or no enabled
///   entry for the architecture;
/// - unknown: binfmt_misc not mounted (`binfmt_mounted` false: crun-any may
///   run in a container while the engine runs elsewhere), an entry without
///   F (its interpreter must exist inside each container), or an engine
///   that is not Linux's.
/// Empty fields of `target` are `native`'s. When `detail` is not null it is
/// set to one sentence saying why, with the fix where there is one. Never
/// throws (except std::bad_alloc).
EmulatorState emulator_for(const Platform& target, const Platform& native, bool binfmt_mounted,
                           const std::vector<BinfmtEntry>& entries, std::string* detail);

} // namespace crun::core
