#pragma once
// Reading an image config blob (OCI image-spec config.md) for the one thing
// crun-any needs before a pull: the platform a single-manifest image is for,
// which only its config says.

#include <crun/core/platform.hpp>

#include <string_view>

namespace crun::registry {

/// The platform the image config `body` describes, normalised: its os,
/// architecture and variant.
/// Throws Error(Errc::protocol) when `body` is not a JSON object or lacks a
/// non-empty string os or architecture.
core::Platform decode_config_platform(std::string_view body);

} // namespace crun::registry
