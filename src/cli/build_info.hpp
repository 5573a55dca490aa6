#pragma once
// What `crun-any version` says about the build, from a source generated at
// build time (cmake/BuildInfo.cmake), so that only that file is recompiled
// when the commit changes.

#include <string_view>

namespace crun::cli {

/// `git describe --always --dirty --tags` of the source tree, or "unknown"
/// when it was built outside a git checkout (from a tarball).
std::string_view build_git_describe() noexcept;

/// CMAKE_BUILD_TYPE (Debug, Release, ...), or "unspecified".
std::string_view build_type() noexcept;

} // namespace crun::cli
