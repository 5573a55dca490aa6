#pragma once
// Reading a JSON file that people write by hand (a policy), the way the lock
// file reader does: bad JSON names file:line:column, a key written twice in
// one object is refused (nlohmann would silently keep the last, letting a
// second "pull_only": false win), and schema errors name a JSON path.

#include <crun/core/error.hpp>

#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <string_view>

namespace crun::core {

/// Whether the object held by the field `name` is a map, whose keys are
/// data (an image, a platform) rather than field names.
using JsonMapFields = std::function<bool(std::string_view name)>;

/// Parses `text`; `file` names it in messages; a duplicate key's path writes
/// the keys of the objects `is_map` names as json_path_key.
/// Throws Error(code):
///   - not JSON: "<file>:<line>:<column>: not valid JSON: <what>";
///   - a key twice in one object: "<file>: <path>: the key appears twice in
///     one object" (nlohmann reports no position there, so a path instead).
nlohmann::json parse_json_text(std::string_view text, std::string_view file, Errc code,
                               const JsonMapFields& is_map = {});

/// `path` and one step more: `.name` when `key` reads as an identifier
/// (`allowed_registries`), else `["key"]`; `key` alone when `path` is empty.
/// Never fails.
std::string json_path_step(const std::string& path, std::string_view key);
/// `path["key"]`: a map's key (an image, a platform), whatever it reads as.
/// Never fails.
std::string json_path_key(const std::string& path, std::string_view key);
/// `path[index]`. Never fails.
std::string json_path_index(const std::string& path, std::size_t index);

} // namespace crun::core
