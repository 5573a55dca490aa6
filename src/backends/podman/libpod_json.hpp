#pragma once
// Reading libpod's JSON without trusting its shape: every reader falls back
// to a default when a field is absent or of another type, since libpod's
// shapes drift between versions (4.x sends Config.Entrypoint as a string and
// StopSignal as a number, 5.x an array and a name). None of these throws.

#include <crun/backends/model.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace crun::backends::podman {

/// `doc[key]` when `doc` is an object holding it; a null value otherwise.
const nlohmann::json& field(const nlohmann::json& doc, const char* key);
std::string string_field(const nlohmann::json& doc, const char* key);
std::int64_t int_field(const nlohmann::json& doc, const char* key);
bool bool_field(const nlohmann::json& doc, const char* key);
/// The strings of an array (a lone string gives one entry; others none).
std::vector<std::string> string_list(const nlohmann::json& value);

/// An image's OCI config (the image inspect's `Config`).
ImageConfig decode_image_config(const nlohmann::json& config);
/// A container's `Config`: as above, with 4.x's space-joined string
/// Entrypoint split into words ("" is none) and a numeric StopSignal named.
ImageConfig decode_container_config(const nlohmann::json& config);

/// "SIGTERM" for 15: Linux numbering, which is what the container runs
/// whatever the client's OS; the number itself ("34") when it has no name.
std::string linux_signal_name(std::int64_t number);

/// The first line of `text`, for messages.
std::string first_line(std::string_view text);

} // namespace crun::backends::podman
