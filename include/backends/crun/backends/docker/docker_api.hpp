#pragma once
// The Docker Engine API as data: pure request builders and response decoders
// where Docker's differ from libpod's (the shared ones are in http_api.hpp and
// http_decode.hpp). DockerEngine moves the bytes between them. Every path is
// versioned with the API version negotiated from /_ping.

#include <crun/backends/model.hpp>
#include <crun/backends/run_spec.hpp>
#include <crun/core/image_ref.hpp>
#include <crun/core/platform.hpp>
#include <crun/registry/credentials.hpp>
#include <crun/transport/http.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace crun::backends::docker {

/// The API versions crun-any speaks: 1.41 (Engine 20.10, the oldest with
/// `platform` on create) up to 1.51.
inline constexpr std::string_view k_min_api = "1.41";
inline constexpr std::string_view k_max_api = "1.51";

/// The version to use with a daemon whose /_ping said `server`
/// (the Api-Version header): min(server, k_max_api). Throws
/// Error(Errc::engine_error) when `server` is below k_min_api (naming both and
/// the fix: upgrade the engine), Error(Errc::protocol) when it does not parse.
std::string negotiate_api_version(std::string_view server);

/// The root of every path for API version `api` ("1.41"): "/v1.41". The
/// requests both engines share take it (http_api.hpp). Never fails.
std::string api_root(std::string_view api);

/// The platform the daemon runs natively, from a GET /version body's Os
/// and Arch (Os defaults to linux). Throws Error(Errc::protocol) when it
/// names no Arch.
core::Platform decode_version_platform(const nlohmann::json& doc);

/// POST /images/create for `ref` (tag or digest) and `platform`, with the
/// X-Registry-Auth of `credentials` when there are some.
transport::HttpRequest make_pull_request(std::string_view root, const core::ImageRef& ref,
                                         const core::Platform& platform,
                                         const std::optional<registry::Credentials>& credentials);

/// POST /containers/create: the create body and query of `spec` (docker/cli's
/// mapping of the run flags).
transport::HttpRequest make_create_request(std::string_view root, const RunSpec& spec);
/// The options of run_options.hpp go in HostConfig as the docker CLI puts
/// them. Throws Error(Errc::usage) naming the option and the backend for
/// --userns other than host (Docker remaps only by the daemon's config).
nlohmann::json make_create_body(const RunSpec& spec);
/// The attach hijack of the streams asked for (-a).
transport::HttpRequest make_attach_request(std::string_view root, std::string_view id, bool stdin,
                                           bool stdout = true, bool stderr = true);
/// `removed`: wait until the container is removed (--rm), else its next exit.
transport::HttpRequest make_wait_request(std::string_view root, std::string_view id, bool removed);
transport::HttpRequest make_remove_request(std::string_view root, std::string_view id);

/// The unified image of GET /images/{name}/json; `asked` is the name the user
/// gave (it picks the repo digest reported as `digest`). Throws
/// Error(Errc::protocol) when `doc` is not an object.
ImageInfo decode_image(const nlohmann::json& doc, std::string_view asked);
/// The unified container of GET /containers/{id}/json; its platform is the
/// image's, which the caller fills in. Throws Error(Errc::protocol) when
/// `doc` is not an object.
ContainerInfo decode_container(const nlohmann::json& doc);

struct WaitResult {
  int status_code = 0;
  std::string error; ///< set when the engine could not do its part (e.g. auto-remove)
};
/// The body of POST /containers/{id}/wait. Throws Error(Errc::protocol)
/// when it is not `{"StatusCode": n, ...}`.
WaitResult decode_wait(std::string_view body);

} // namespace crun::backends::docker
