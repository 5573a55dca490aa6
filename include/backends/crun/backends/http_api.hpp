#pragma once
// The requests the Docker Engine API and libpod build alike (libpod serves
// Docker's routes for images and containers under its own prefix), as pure
// builders over an API root: the versioned prefix every path of one engine
// hangs from, "/v1.41" (docker::api_root) or "/v4.3.1/libpod"
// (podman::api_root). docker_api.hpp and podman_api.hpp hold the requests
// whose query or body differ.

#include <crun/core/image_ref.hpp>
#include <crun/transport/http.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace crun::backends {

using QueryParams = std::vector<std::pair<std::string, std::string>>;

/// Compares dotted versions ("1.41", "4.3.1") part by part, up to three
/// parts: <0, 0, >0. Missing or unparsable parts count as 0. Never fails.
int compare_versions(std::string_view a, std::string_view b);

/// `method` on `root` + `path` with the query of `params`. Never fails.
transport::HttpRequest make_api_request(std::string method, std::string_view root,
                                        std::string_view path, const QueryParams& params = {});
/// `name` (an image reference or ID, a container name or ID) for a path:
/// both engines route `{name:.*}`, so '/', ':' and '@' stay and everything
/// else is percent-encoded. Never fails.
std::string path_name(std::string_view name);
/// Gives `request` `body` as its JSON body; bytes that are not UTF-8 become
/// U+FFFD, as the docker CLI sends them. Never fails.
void set_json_body(transport::HttpRequest& request, const nlohmann::json& body);
/// Asks for the connection to be hijacked after the answer (attach). Never
/// fails.
void ask_upgrade(transport::HttpRequest& request);

/// GET /_ping: unversioned, so it works before the version is known.
transport::HttpRequest make_ping_request();
/// GET {root}/version.
transport::HttpRequest make_version_request(std::string_view root);
/// POST {root}/images/{source}/tag, as `docker tag source target` does.
transport::HttpRequest make_tag_request(std::string_view root, std::string_view source,
                                        const core::ImageRef& target);
transport::HttpRequest make_image_inspect_request(std::string_view root, std::string_view name);
transport::HttpRequest make_container_inspect_request(std::string_view root, std::string_view id);
transport::HttpRequest make_start_request(std::string_view root, std::string_view id);
/// `signal` is a name: "SIGINT".
transport::HttpRequest make_kill_request(std::string_view root, std::string_view id,
                                         std::string_view signal);
transport::HttpRequest make_resize_request(std::string_view root, std::string_view id,
                                           unsigned rows, unsigned cols);

} // namespace crun::backends
