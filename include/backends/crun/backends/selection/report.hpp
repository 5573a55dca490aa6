#pragma once
// How a Selection is explained: `crun-any doctor` (text and --json, the
// schema in docs/backends.md) and the error when no engine is usable.
// Pure.

#include <crun/backends/selection/selection.hpp>

#include <nlohmann/json.hpp>

#include <string>

namespace crun::backends::selection {

/// doctor --json: {"preference": {...}, "single_endpoint": bool,
/// "chosen": {candidate}|null, "candidates": [{candidate}...], "notes": [...]},
/// keys in that order (docs/backends.md). Never fails.
nlohmann::ordered_json selection_to_json(const Selection& selection);

/// doctor's text: the preference, the chosen engine, then every candidate
/// in ranking order with its health, version, verdict and fix. Never fails.
std::string render_selection(const Selection& selection);

/// The message of the error when nothing is usable: one line per candidate
/// tried and why it was rejected (absent default sockets folded into one
/// line), then the hint to run `crun-any doctor`. Never fails.
std::string unavailable_message(const Selection& selection);

} // namespace crun::backends::selection
