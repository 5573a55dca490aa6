#pragma once
// The labels crun-any puts on every container it starts (io.crun-any.*), so
// that `ps --filter label=io.crun-any.platform` lists them and `doctor`
// counts the ones left behind; and the check that keeps a user's --label from
// forging them.

#include <crun/core/platform.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace crun::core {

/// The prefix of crun-any's own labels.
inline constexpr std::string_view k_run_label_prefix = "io.crun-any.";
/// The label every container crun-any starts carries (its platform).
inline constexpr std::string_view k_run_label_platform = "io.crun-any.platform";

/// What the policy said of a run: no policy file in effect, admitted, or
/// admitted with warnings.
enum class RunVerdict { no_policy, allowed, allowed_with_warnings };

/// What a container crun-any starts is labelled with.
struct RunProvenance {
  Platform platform; ///< the platform it runs
  RunVerdict verdict = RunVerdict::no_policy;
  std::optional<std::string> digest; ///< the manifest digest it runs, when known
  bool digest_from_lock = false;     ///< `digest` is the lock's pin for a tag
  std::string version;               ///< crun-any's version
};

/// The io.crun-any.* labels of `provenance`: platform, policy ("none",
/// "allowed", "allowed-with-warnings"), digest (when known), locked ("true"
/// when the lock chose the digest), version. Never fails.
std::map<std::string, std::string> run_labels(const RunProvenance& provenance);

/// Whether `key` is one of crun-any's own (under io.crun-any.), which a
/// user's --label may not set. Never fails.
bool is_run_label(std::string_view key) noexcept;

} // namespace crun::core
