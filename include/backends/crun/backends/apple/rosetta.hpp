#pragma once
// Whether Rosetta, which runs amd64 Linux binaries in Apple's VMs, is
// installed on this Mac. The one platform-specific call of the adapter.

#include <optional>

namespace crun::backends::apple {

/// True or false on macOS (Rosetta's runtime file exists or not);
/// std::nullopt elsewhere, where it cannot be told (the CLI's start failure
/// is classified instead). Never fails.
std::optional<bool> rosetta_installed();

} // namespace crun::backends::apple
