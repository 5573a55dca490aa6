#pragma once
// Whether a local Linux engine can run a foreign platform, read from the
// binfmt_misc directory (/proc/sys/fs/binfmt_misc): the I/O half of the
// emulation rule's detection; core/binfmt_entry.hpp decides.

#include <crun/core/platform.hpp>
#include <crun/core/policy_evaluate.hpp>

#include <filesystem>
#include <string>

namespace crun::transport {

struct EmulatorProbe {
  core::EmulatorState state = core::EmulatorState::unknown;
  /// Why, in one sentence with the fix where there is one, then any file
  /// that was skipped ("; skipped ...: permission denied").
  std::string detail;
};

/// Reads `binfmt_dir`: its `status` ("enabled"; "disabled" turns every entry
/// off; missing: binfmt_misc is not mounted there) and every other regular
/// file but `register` as an entry (core::try_parse_binfmt_entry), then
/// decides with core::emulator_for(). Files that cannot be read or are no
/// entry are skipped and named in the detail; a `status` that cannot be read
/// counts as not mounted. Never throws (except std::bad_alloc): detection
/// that fails is EmulatorState::unknown.
EmulatorProbe probe_binfmt(const core::Platform& target, const core::Platform& native,
                           const std::filesystem::path& binfmt_dir);

} // namespace crun::transport
