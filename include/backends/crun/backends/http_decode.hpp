#pragma once
// The answers the Docker Engine API and libpod shape alike (image and
// container inspect, create, a failed start), decoded into the unified model
// (model.hpp) with the tolerant readers of json_fields.hpp: a field that is
// absent or of another type gives its default, never an exception. The
// adapters' own decoders (docker_api.hpp, podman_api.hpp) start from these
// and add what their engine does differently.

#include <crun/backends/model.hpp>
#include <crun/backends/run_sequence.hpp>
#include <crun/core/error.hpp>
#include <crun/core/platform.hpp>

#include <nlohmann/json.hpp>

#include <string_view>

namespace crun::backends {

/// An image's OCI config (an image's or a container's `Config`); anything
/// but an object gives an empty one. Never fails.
ImageConfig decode_image_config(const nlohmann::json& config);

/// The image inspect fields both engines send (Id, RepoTags, RepoDigests,
/// Os, Architecture, Variant, Created, Size, Config), for `backend`.
/// `asked` is the name the user gave: its normalised form is the
/// `reference`, and `digest` is the repo digest of its repository (of the
/// first repo digest's when asked by ID), `preferred_digest` when that is
/// one of the repository's. Throws Error(Errc::protocol) when `doc` is not
/// an object.
ImageInfo decode_image_inspect(const nlohmann::json& doc, std::string_view asked,
                               std::string_view backend, std::string_view preferred_digest = {});

/// The container inspect fields both engines send (Id, Name without its
/// leading '/', Image, Created, Config.Image (else libpod's ImageName) as
/// the normalised reference, Config.Tty and OpenStdin, State), for
/// `backend`; the config, the platform and the engine's own states are the
/// caller's. Throws Error(Errc::protocol) when `doc` is not an object.
ContainerInfo decode_container_inspect(const nlohmann::json& doc, std::string_view backend);

/// The platform an engine runs natively, from the `os_key` and `arch_key`
/// fields of `object` (os defaults to linux), normalised. Throws
/// Error(Errc::protocol) with `no_arch_message` when it names no arch.
core::Platform decode_host_platform(const nlohmann::json& object, const char* os_key,
                                    const char* arch_key, std::string_view no_arch_message);

/// A create's answer, {"Id": ..., "Warnings": [...]}. Throws
/// Error(Errc::protocol) when it holds no ID.
CreatedContainer decode_create(const nlohmann::json& doc);

/// How a failed start maps to run's exit codes, by the engine's message, as
/// the docker CLI does: "executable file not found", "no such file or
/// directory" → command_not_found (127); "permission denied", "is a
/// directory" → command_not_executable (126); anything else → engine_error
/// (125). Never fails.
Errc classify_start_error(std::string_view message);

} // namespace crun::backends
