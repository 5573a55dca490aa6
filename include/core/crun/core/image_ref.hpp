#pragma once
// An image reference, `name [":" tag] ["@" digest]`, parsed by the grammar of
// distribution/reference (regexp.go) and normalised as its normalize.go
// (splitDockerDomain) does, so that crun-any names an image exactly as
// `docker pull` and `podman pull` would:
//   "busybox"             -> docker.io/library/busybox:latest
//   "index.docker.io/x/y" -> docker.io/x/y:latest
//   "localhost:5000/app"  -> localhost:5000/app:latest
// The domain is kept as written (docker does not lowercase it either); compare
// domains case-insensitively where that matters (policy).

#include <crun/core/digest.hpp>
#include <crun/core/parsed.hpp>

#include <fmt/format.h>

#include <optional>
#include <string>
#include <string_view>

namespace crun::core {

class ImageRef {
public:
  /// Parses and normalises `text`. A first path component is a domain when it
  /// is "localhost" or contains ".", ":" or an uppercase letter; otherwise
  /// the domain is docker.io, and a single-component path there gains
  /// "library/". Digests must be sha256 (see Digest).
  /// Throws Error(Errc::invalid_input) with a message of the form
  /// `invalid reference "<text>": <what is wrong>` for anything the grammar
  /// rejects: empty input, uppercase repository name, bad or empty path
  /// component, bad domain or port, empty or malformed tag, tag over 128
  /// characters, bad digest, a normalised name over 255 characters, or a
  /// bare 64-hex image ID.
  static ImageRef parse(std::string_view text);
  /// As parse(), without throwing: the reference, or parse()'s message as
  /// the problem; for text that may be no reference (an image ID, a name an
  /// engine reported). Never throws (except std::bad_alloc).
  static Parsed<ImageRef> try_parse(std::string_view text);

  /// "docker.io", "ghcr.io", "localhost:5000", "[::1]:5000". Never fails.
  const std::string& domain() const noexcept { return m_domain; }
  /// The path after the domain: "library/busybox", "org/app". Never fails.
  const std::string& path() const noexcept { return m_path; }
  /// domain() + "/" + path(): "docker.io/library/busybox". Never fails.
  std::string repository() const;
  /// The tag as written, if any; tags are case-sensitive. Never fails.
  const std::optional<std::string>& tag() const noexcept { return m_tag; }
  /// The digest, if any. Never fails.
  const std::optional<Digest>& digest() const noexcept { return m_digest; }

  /// Fully normalised, and parse() gives back an equal ref:
  /// "docker.io/library/busybox:latest" (":latest" added when there is
  /// neither tag nor digest), "repo@sha256:...", "repo:tag@sha256:...".
  /// Never fails.
  std::string str() const;
  /// As docker prints it (FamiliarString of TagNameOnly): str() without
  /// "docker.io/" and, for single-component official images, "library/":
  /// "busybox:latest", "user/app:1", "ghcr.io/org/app:1". Never fails.
  std::string familiar() const;
  /// The tag, or "latest" when there is none (even if there is a digest).
  /// Never fails.
  std::string tag_or_latest() const;

  /// This ref with `digest` set (replacing any digest), the tag kept.
  /// Never fails.
  ImageRef with_digest(const Digest& digest) const;
  /// This ref without its tag, the digest kept. Never fails.
  ImageRef without_tag() const;

  bool operator==(const ImageRef&) const = default;

private:
  ImageRef() = default;

  std::string m_domain;
  std::string m_path;
  std::optional<std::string> m_tag;
  std::optional<Digest> m_digest;
};

} // namespace crun::core

/// Formats as ImageRef::str().
template <>
struct fmt::formatter<crun::core::ImageRef> : fmt::formatter<std::string_view> {
  template <typename FormatContext>
  auto format(const crun::core::ImageRef& ref, FormatContext& ctx) const
  {
    return fmt::formatter<std::string_view>::format(ref.str(), ctx);
  }
};
