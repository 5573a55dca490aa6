#pragma once
// A content digest as written in image references and registry responses:
// "sha256:" followed by exactly 64 lowercase hex characters. crun-any pins
// images by sha256 only, the algorithm every registry and engine uses; other
// algorithms the OCI spec allows (sha512, blake3, ...) are refused rather than
// carried along unverified.

#include <crun/core/parsed.hpp>

#include <fmt/format.h>

#include <compare>
#include <string>
#include <string_view>

namespace crun::core {

class Digest {
public:
  /// Parses "sha256:<64 lowercase hex>".
  /// Throws Error(Errc::invalid_input) naming `text` when it is empty, has no
  /// ":", names another algorithm, or its hex part has a wrong length, an
  /// uppercase letter or a non-hex character.
  static Digest parse(std::string_view text);
  /// As parse(), without throwing: the digest, or parse()'s message as the
  /// problem. Never throws (except std::bad_alloc).
  static Parsed<Digest> try_parse(std::string_view text);

  /// Always "sha256". Never fails.
  const std::string& algorithm() const noexcept { return m_algorithm; }
  /// The 64 lowercase hex characters. Never fails.
  const std::string& hex() const noexcept { return m_hex; }
  /// "sha256:<hex>", which parse() accepts back. Never fails.
  std::string str() const;

  // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads the defaulted <=>
  auto operator<=>(const Digest&) const = default;

private:
  Digest(std::string algorithm, std::string hex);

  std::string m_algorithm;
  std::string m_hex;
};

} // namespace crun::core

/// Formats as Digest::str().
template <>
struct fmt::formatter<crun::core::Digest> : fmt::formatter<std::string_view> {
  template <typename FormatContext>
  auto format(const crun::core::Digest& digest, FormatContext& ctx) const
  {
    return fmt::formatter<std::string_view>::format(digest.str(), ctx);
  }
};
