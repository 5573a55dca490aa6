#pragma once
// Where the running crun-any binary is, to find the files installed beside
// it (share/...), whatever the prefix it was installed under.

#include <optional>
#include <string>

namespace crun::transport {

/// The absolute path of the running executable, symbolic links resolved;
/// nullopt when the system cannot tell (no /proc, a deleted binary). Never
/// throws.
std::optional<std::string> executable_path() noexcept;

} // namespace crun::transport
