#pragma once
// The values a completion offers for an option: the set its CLI11 check
// admits (IsMember: --backend, --type), else the one table of the code that
// parses it (--progress, --pull), else suggestions (--platform, --format).

#include <string>
#include <vector>

namespace CLI {
class Option;
}

namespace crun::docgen {

/// The values of `option`; empty when they are free text. Never fails.
std::vector<std::string> option_values(CLI::Option& option);

} // namespace crun::docgen
