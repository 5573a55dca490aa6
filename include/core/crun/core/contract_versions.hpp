#pragma once
// The versions of crun-any's three contracts with the scripts that use it,
// in one place (docs/versioning.md says what a bump of each part means and
// where each is read). `crun-any version --json` reports all three.

#include <string_view>

namespace crun::core {

/// The exit-code table (exit_codes.hpp, README.md), semantic versioning:
/// a code that changes meaning is a major bump, a new code a minor one.
inline constexpr std::string_view k_exit_codes_version = "1.0.0";

/// The unified inspect JSON (docs/inspect-schema.md), semantic versioning;
/// every inspect object carries it as `schema_version`.
inline constexpr std::string_view k_inspect_schema_version = "1.0.0";

/// The lock file's format (docs/lockfile.md): one integer, the file's
/// `version`, raised only when an older crun-any could not read the file.
inline constexpr int k_lock_format_version = 1;

} // namespace crun::core
