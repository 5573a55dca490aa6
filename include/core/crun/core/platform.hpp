#pragma once
// An OCI platform, `os/architecture[/variant]`, with the names normalised as
// containerd's platforms package does (normalizeOS, normalizeArch), so that
// "x86_64", "aarch64" or "armhf" from uname (transport/host_platform.hpp), a flag or an engine
// compare equal to the names registries use.

#include <fmt/format.h>

#include <string>
#include <string_view>

namespace crun::core {

struct Platform {
  std::string os;           ///< "linux", "darwin", "windows", ...
  std::string architecture; ///< "amd64", "arm64", "arm", "386", ...
  std::string variant;      ///< "v7" for arm, "v2" for amd64; empty when none

  /// Parses "os/arch[/variant]" and returns it normalized(). A single
  /// component is read as containerd's platforms.Parse does: a known OS
  /// ("linux", "darwin", "macos", ...) gets `native`'s architecture and
  /// variant; otherwise it is an architecture, normalised, on "linux" (the OS
  /// every engine runs containers on; containerd would take the host's OS).
  /// An unknown OS in the two- and three-component forms is kept.
  /// Throws Error(Errc::invalid_input), naming `text`, when it is empty, has
  /// more than three components, an empty component, a character outside
  /// [A-Za-z0-9_-], or is a single component that is neither a known OS nor
  /// a known architecture.
  static Platform parse(std::string_view text, const Platform& native);
  /// As above, for text that names an architecture: a bare OS (which needs
  /// the native platform) is refused with Error(Errc::invalid_input).
  static Platform parse(std::string_view text);

  /// The normalised form: os lowercased, "macos" -> "darwin";
  /// x86_64/x86-64/amd64 -> amd64 (variant v1 dropped);
  /// aarch64/arm64 -> arm64 (variant 8/v8 dropped); armhf -> arm/v7;
  /// armel -> arm/v6; arm -> arm/v7 when no variant, 5/6/7/8 -> v5/v6/v7/v8;
  /// i386/i686 -> 386 (variant dropped); anything else lowercased and kept.
  /// Empty fields stay empty. Never fails.
  Platform normalized() const;
  /// "os/architecture" plus "/variant" when there is one, of the fields as
  /// they are (not normalised). Never fails.
  std::string str() const;
  /// True when, both normalised, os and architecture are equal and, if
  /// `wanted` names a variant, the variants are equal: "linux/arm64" and
  /// "linux/arm64/v8" match, "linux/arm/v6" is not "linux/arm" (arm/v7).
  /// Never fails.
  bool matches(const Platform& wanted) const;

  /// The platform that uname's `sysname` and `machine` describe, normalised:
  /// ("Linux", "x86_64") -> linux/amd64, ("Darwin", "arm64") -> darwin/arm64,
  /// ("Linux", "armv7l") -> linux/arm/v7, ("Linux", "i686") -> linux/386.
  /// Never fails.
  static Platform from_uname(std::string_view sysname, std::string_view machine);

  bool operator==(const Platform&) const = default;
};

} // namespace crun::core

/// Formats as Platform::str().
template <>
struct fmt::formatter<crun::core::Platform> : fmt::formatter<std::string_view> {
  template <typename FormatContext>
  auto format(const crun::core::Platform& platform, FormatContext& ctx) const
  {
    return fmt::formatter<std::string_view>::format(platform.str(), ctx);
  }
};
