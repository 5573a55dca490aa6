#pragma once
// Reading engines' JSON without trusting its shape: every reader falls back
// to a default when a field is absent or of another type, since the engines'
// shapes drift between versions. None of these throws.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crun::backends {

/// `doc[key]` when `doc` is an object holding it; a null value otherwise.
const nlohmann::json& field(const nlohmann::json& doc, const char* key);
/// The string at `key`; "" when absent or not a string.
std::string string_field(const nlohmann::json& doc, const char* key);
/// The integer at `key` (clamped to int64); 0 when absent or not an integer.
std::int64_t int_field(const nlohmann::json& doc, const char* key);
/// The boolean at `key`; false when absent or not a boolean.
bool bool_field(const nlohmann::json& doc, const char* key);
/// The strings of an array (a lone string gives one entry; others none).
std::vector<std::string> string_list(const nlohmann::json& value);
/// string_list of `doc[key]`, or std::nullopt when it is absent or null
/// (an unset Cmd is not an empty one).
std::optional<std::vector<std::string>> optional_list(const nlohmann::json& doc, const char* key);
/// The keys of an object (ExposedPorts, Volumes); none for anything else.
std::vector<std::string> object_keys(const nlohmann::json& value);
/// The first line of `text`, for messages.
std::string first_line(std::string_view text);

} // namespace crun::backends
