#pragma once
// Private to policy_files.cpp: where the admin policy lives on this
// platform, kept in a file of its own so that the platform test stays out of
// the policy logic.

#include <filesystem>

namespace crun::cli::policy_detail {

/// The admin policy's path relative to the filesystem root:
/// "etc/crun-any/policy.json" on Linux, "Library/Application
/// Support/crun-any/policy.json" on macOS. Never fails.
std::filesystem::path admin_policy_relative_path();

} // namespace crun::cli::policy_detail
