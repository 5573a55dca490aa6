#pragma once
// The digest of content as registries compute it: sha256 over the exact
// bytes served. A pin is only as good as this check.

#include <crun/core/digest.hpp>

#include <string_view>

namespace crun::registry {

/// "sha256:<hex>" of `bytes` (OpenSSL). Throws Error(Errc::internal) only
/// when OpenSSL cannot compute SHA-256 (a broken installation).
core::Digest sha256_digest(std::string_view bytes);

} // namespace crun::registry
