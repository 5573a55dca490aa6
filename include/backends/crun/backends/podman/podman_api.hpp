#pragma once
// The Podman libpod REST API as data: pure request builders and response
// decoders where libpod's differ from Docker's (the shared ones are in
// http_api.hpp and http_decode.hpp). PodmanEngine moves the bytes between
// them. Every path is `/v{Libpod-Api-Version}/libpod/...` (api_root): libpod
// routes exist only in the versioned form.

#include <crun/backends/model.hpp>
#include <crun/backends/run_spec.hpp>
#include <crun/core/error.hpp>
#include <crun/core/image_ref.hpp>
#include <crun/core/platform.hpp>
#include <crun/registry/credentials.hpp>
#include <crun/transport/http.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace crun::backends::podman {

/// The oldest libpod API crun-any speaks: 4.0.0 is libpod's own minimum, and
/// the SpecGenerator fields used here all exist from it on.
inline constexpr std::string_view k_min_libpod_api = "4.0.0";

/// Checks the Libpod-Api-Version `server` announced and returns it: paths use
/// the server's own version, since Podman branches on it. Throws
/// Error(Errc::engine_error) when it is below k_min_libpod_api (naming both
/// and the fix), Error(Errc::protocol) when it is not MAJOR.MINOR[.PATCH].
std::string check_libpod_version(std::string_view server);

/// The root of every libpod path for version `api` ("4.3.1"):
/// "/v4.3.1/libpod". The requests both engines share take it (http_api.hpp).
/// Never fails.
std::string api_root(std::string_view api);

/// GET /libpod/info: the host's os and arch, in a third of the time
/// /libpod/version takes on 4.x.
transport::HttpRequest make_info_request(std::string_view root);
/// The platform the service runs natively, from a /libpod/info body's
/// host.os and host.arch (os defaults to linux). Throws
/// Error(Errc::protocol) when `doc` has no host.arch.
core::Platform decode_info_platform(const nlohmann::json& doc);

/// POST /libpod/images/pull for `ref` (which should carry a digest) and
/// `platform`: policy=always (the pull flow asks by digest, so "always"
/// costs a manifest check and never moves anything), quiet=false (the
/// progress stream), tlsVerify=false only for a loopback registry; with
/// the X-Registry-Auth of `credentials` when there are some.
transport::HttpRequest make_pull_request(
  std::string_view root, const core::ImageRef& ref, const core::Platform& platform,
  const std::optional<registry::Credentials>& credentials = std::nullopt);

/// POST /libpod/containers/create with the SpecGenerator of `spec`, created
/// from `image` (the local image's ID, already checked to be of
/// spec.platform; spec.image_name goes in raw_image_name). Under --rm the
/// engine is asked to remove the container itself: see make_create_body.
transport::HttpRequest make_create_request(std::string_view root, const RunSpec& spec,
                                           std::string_view image);
/// The SpecGenerator (snake_case; env is a map; named and anonymous volumes
/// are `volumes:[{Name,Dest,Options}]`). `remove` is set for every --rm run,
/// so that the engine removes the container whatever happens to crun-any; a
/// wait that finds it removed reads its exit code from the events
/// (make_died_events_request).
/// The options of run_options.hpp as the podman CLI fills the
/// SpecGenerator. Throws Error(Errc::usage) naming the option and the
/// backend for a --userns mode Podman does not know.
nlohmann::json make_create_body(const RunSpec& spec, std::string_view image);

/// The attach hijack; `detachKeys=` present and empty, since Podman applies
/// detach keys even without a TTY and binary stdin must never detach.
/// Only the streams asked for (-a) are attached.
transport::HttpRequest make_attach_request(std::string_view root, std::string_view id, bool stdin,
                                           bool stdout = true, bool stderr = true);
/// POST /libpod/containers/{id}/wait with no condition (what podman-remote
/// sends). Its head arrives only with the result, and a container that has
/// not started yet counts as exited (0): send it only after start.
transport::HttpRequest make_wait_request(std::string_view root, std::string_view id);
/// GET /libpod/events, not streamed, of the `died` events of container `id`:
/// what podman-remote asks when its wait finds an auto-removed container gone.
transport::HttpRequest make_died_events_request(std::string_view root, std::string_view id);
/// DELETE with force and the container's anonymous volumes: libpod reads
/// `volumes=true` (Podman 4.3.1 ignores Docker's `v` on libpod paths).
transport::HttpRequest make_remove_request(std::string_view root, std::string_view id);

/// The unified image of GET /libpod/images/{name}/json; `asked` is the name
/// the user gave. The ID gains "sha256:", names are normalised, and `digest`
/// is the repo digest of `asked`'s repository, preferring the image's own
/// `Digest` among the several libpod lists. Libpod has no variant. Throws
/// Error(Errc::protocol) when `doc` is not an object.
ImageInfo decode_image(const nlohmann::json& doc, std::string_view asked);

/// The unified container of GET /libpod/containers/{id}/json; its platform is
/// the image's, which the caller fills in. Tolerates 4.x's string
/// Config.Entrypoint and numeric StopSignal, and maps libpod's states
/// (configured, stopped, stopping) to the unified ones. Throws
/// Error(Errc::protocol) when `doc` is not an object.
ContainerInfo decode_container(const nlohmann::json& doc);

/// The body of the libpod wait: a bare integer ("42\n"). Throws
/// Error(Errc::protocol) when it is not one.
int decode_wait(std::string_view body);

/// The exit code the last `died` event in `body` (the JSON lines of
/// make_died_events_request's answer) carries in
/// Actor.Attributes.containerExitCode; std::nullopt when no line has one.
/// Never fails (a line that is not JSON is skipped).
std::optional<int> decode_died_exit_code(std::string_view body);

/// The first `Err` of the reports DELETE /libpod/containers/{id} answers
/// with; empty when none. Never fails (an unreadable body is no report).
std::string decode_remove_error(std::string_view body);

/// How a failed start maps to run's exit codes, by the engine's message.
/// Podman classifies the runtime's error itself and says so at the end:
/// "OCI runtime attempted to invoke a command that was not found" →
/// command_not_found (127), "OCI permission denied" → command_not_executable
/// (126); otherwise docker's rules (backends::classify_start_error,
/// http_decode.hpp); anything else → engine_error (125, where Podman's CLI
/// would say 126).
Errc classify_start_error(std::string_view message);

/// An attach failure as the user reads it: libpod prepares a created
/// container when attached to, so a bad --user or --workdir fails there as
/// "cannot attach to container <ID>: preparing container <ID> for attach:
/// unable to find user x: ...". That becomes "cannot start the container:
/// unable to find user x: ..." (the reason as docker's CLI shows it), with
/// the container's ID named inside the reason replaced too (`workdir "/x"
/// exists in the container, but is not a directory`). Any other message is
/// returned as it is. Never fails.
std::string reword_attach_error(std::string_view message, std::string_view id);

/// True when `message` is libpod's answer for an image it does not have
/// ("image not known", sent as HTTP 500 by create on 4.3.1). Never fails.
bool is_image_unknown(std::string_view message);

} // namespace crun::backends::podman
