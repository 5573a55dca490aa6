#pragma once
// The process environment as a map, read once (in main) so that everything
// below works on a snapshot instead of getenv.

#include <functional>
#include <map>
#include <string>

namespace crun::util {

/// Every `NAME=value` of the process environment; entries without "=" or
/// with an empty name are skipped. Never fails.
std::map<std::string, std::string, std::less<>> environment_variables();

} // namespace crun::util
