#pragma once
// Standard base64 (RFC 4648 section 4), for the `auth` fields of docker's
// config.json and containers' auth.json, and for Basic authorization.

#include <optional>
#include <string>
#include <string_view>

namespace crun::util {

/// `data` encoded, with "=" padding. Never fails.
std::string base64_encode(std::string_view data);

/// `text` decoded; padding is optional and surrounding whitespace ignored.
/// Returns std::nullopt when `text` holds a character outside the alphabet,
/// misplaced padding or a dangling final character. Never throws, so that
/// callers word the failure without quoting the text (it is a secret).
std::optional<std::string> base64_decode(std::string_view text);

} // namespace crun::util
