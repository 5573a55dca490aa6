#pragma once
// Reading libpod's config objects without trusting their shape: libpod's
// shapes drift between versions (4.x sends Config.Entrypoint as a string and
// StopSignal as a number, 5.x an array and a name). None of these throws.

#include <crun/backends/json_fields.hpp>
#include <crun/backends/model.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace crun::backends::podman {

/// A container's `Config`: as decode_image_config (http_decode.hpp), with 4.x's space-joined string
/// Entrypoint split into words ("" is none) and a numeric StopSignal named.
ImageConfig decode_container_config(const nlohmann::json& config);

/// "SIGTERM" for 15: Linux numbering, which is what the container runs
/// whatever the client's OS; the number itself ("34") when it has no name.
std::string linux_signal_name(std::int64_t number);

} // namespace crun::backends::podman
