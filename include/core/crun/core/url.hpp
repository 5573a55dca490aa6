#pragma once
// Building request targets: percent-encoding and query strings (RFC 3986).

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace crun::core {

/// `text` with every byte outside the unreserved set (ALPHA DIGIT - . _ ~)
/// percent-encoded; `keep` lists further bytes to leave as they are (e.g.
/// "/:@" for a path that may hold a reference). Never fails.
std::string percent_encode(std::string_view text, std::string_view keep = {});

/// "?k1=v1&k2=v2" with keys and values encoded, or "" for no parameters.
/// Never fails.
std::string query_string(const std::vector<std::pair<std::string, std::string>>& params);

} // namespace crun::core
