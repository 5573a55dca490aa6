#pragma once
// Choosing the manifest of one platform from an index, as an engine would,
// so that a platform the registry lacks is reported before any pull, with
// the platforms it has.

#include <crun/core/image_ref.hpp>
#include <crun/core/platform.hpp>
#include <crun/registry/manifest.hpp>

#include <string>
#include <vector>

namespace crun::registry {

/// Whether the message of a platform an image lacks suggests one it has:
/// `yes` when nobody chose the platform (it is the engine's own), so that
/// --platform is news to the user; `no` after an explicit choice.
enum class SuggestPlatform { no, yes };

/// "<ref> has no <wanted> image; it has <available, joined by ', '>" (or "it
/// has no platform-specific images"); with SuggestPlatform::yes and an entry
/// of `available` ("os/arch[/variant]") on `wanted`'s OS, the first such is
/// suggested: "; to run it under emulation, pass --platform linux/arm64".
/// Never fails.
std::string missing_platform_message(const core::ImageRef& ref, const core::Platform& wanted,
                                     const std::vector<std::string>& available,
                                     SuggestPlatform suggest);

/// The first entry of `index` whose platform matches `wanted`
/// (core::Platform::matches: a variant counts only when `wanted` names one),
/// as a reference into `index`. `ref` names the image in the message.
/// Throws Error(Errc::not_found) when no entry matches:
/// "127.0.0.1:5857/bench/multi:1 has no linux/s390x image; it has
/// linux/amd64, linux/arm64" (missing_platform_message, with `suggest`);
/// Error(Errc::internal) when `index` is not an
/// index (a single manifest's platform is in its config: see
/// RegistryClient::manifest_for_platform).
const Descriptor& select_platform(const Manifest& index, const core::Platform& wanted,
                                  const core::ImageRef& ref,
                                  SuggestPlatform suggest = SuggestPlatform::no);

/// The distinct platforms of `index`'s entries, in order, as "os/arch[/variant]";
/// entries without a platform are left out. Never fails.
std::vector<std::string> index_platforms(const Manifest& index);

} // namespace crun::registry
