#pragma once
// ASCII-only case handling for protocol text (HTTP header names, media types,
// host names), where the locale must not matter.

#include <string>
#include <string_view>

namespace crun::util {

/// `text` with A-Z turned to a-z; every other byte kept. Never fails.
std::string ascii_lower(std::string_view text);

/// Whether `a` and `b` are equal ignoring the case of A-Z. Never fails.
bool ascii_iequals(std::string_view a, std::string_view b) noexcept;

} // namespace crun::util
