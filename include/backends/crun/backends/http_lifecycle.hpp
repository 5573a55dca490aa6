#pragma once
// The lifecycle requests (ps, stop, rm, logs, wait, images, rmi) as pure
// builders over an API root, and the decoders of their answers, for the
// Docker Engine API and libpod alike: libpod serves the same routes under
// its prefix and differs in a few spellings (LifecycleSpelling) and in the
// shape of its list rows, which the decoders read either way (tested over
// tests/fixtures/docker and tests/fixtures/podman).

#include <crun/backends/lifecycle.hpp>
#include <crun/transport/http.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace crun::backends {

/// Where the two APIs spell a lifecycle request differently.
struct LifecycleSpelling {
  /// The stop's timeout parameter: Docker "t", libpod "timeout".
  std::string_view stop_timeout = "t";
  /// The wait's condition for "until it is not running": Docker
  /// "not-running" (its default, next-exit, would block on an exited
  /// container); libpod's default does that already: "".
  std::string_view wait_condition = "not-running";
  /// Whether the image list must be asked for digests (Docker's digests=1).
  bool image_list_digests = true;
};

/// GET {root}/containers/json?all=...&filters={"label":[...]}.
transport::HttpRequest make_container_list_request(std::string_view root,
                                                   const ContainerListOptions& options);
/// POST {root}/containers/{name}/stop, with the timeout when given.
transport::HttpRequest make_stop_request(std::string_view root, const LifecycleSpelling& spelling,
                                         std::string_view name, std::optional<int> timeout);
/// DELETE {root}/containers/{name}?force=...&v=... (libpod also reads
/// `volumes`; both are sent).
transport::HttpRequest make_container_remove_request(std::string_view root, std::string_view name,
                                                     const RemoveOptions& options);
/// GET {root}/containers/{name}/logs?stdout&stderr&follow&tail&timestamps.
transport::HttpRequest make_logs_request(std::string_view root, std::string_view name,
                                         const LogsOptions& options);
/// POST {root}/containers/{name}/wait, until it is not running.
transport::HttpRequest make_wait_exit_request(std::string_view root,
                                              const LifecycleSpelling& spelling,
                                              std::string_view name);
/// GET {root}/images/json (with digests=1 where the spelling asks).
transport::HttpRequest make_image_list_request(std::string_view root,
                                               const LifecycleSpelling& spelling);
/// DELETE {root}/images/{name}?force=...
transport::HttpRequest make_image_remove_request(std::string_view root, std::string_view name,
                                                 bool force);

/// The rows of a container list (Docker's: Names "/x", Command a string,
/// Created seconds, the exit code only in Status "Exited (42) ..."; libpod's:
/// Names "x", Command a list, Created RFC 3339, ExitCode), for `backend`.
/// Throws Error(Errc::protocol) when `doc` is not an array.
std::vector<ContainerSummary> decode_container_list(const nlohmann::json& doc,
                                                    std::string_view backend);
/// The rows of an image list (Docker's Id "sha256:...", libpod's bare hex;
/// "<none>" tags and libpod's digest names among RepoTags left out), for
/// `backend`. Throws Error(Errc::protocol) when `doc` is not an array.
std::vector<ImageSummary> decode_image_list(const nlohmann::json& doc, std::string_view backend);
/// A wait's exit code: Docker's {"StatusCode": n, "Error": ...} or libpod's
/// bare number. Throws Error(Errc::protocol) when it is neither, and
/// Error(Errc::engine_error) for Docker's Error message.
int decode_wait_exit(std::string_view body);
/// The first error inside a 2xx remove answer (libpod's report list
/// [{"Id":..., "Err":...}] or image report {"Errors":[...]}), empty when
/// there is none or the body is empty (Docker's 204). Never fails.
std::string decode_remove_report_error(std::string_view body);
/// What an image removal did, as docker prints it ("Untagged: x:1",
/// "Deleted: sha256:..."), from Docker's [{"Untagged": ...}, {"Deleted":
/// ...}] or libpod's {"Untagged": [...], "Deleted": [...]}. Never fails.
std::vector<std::string> decode_image_remove_lines(std::string_view body);
/// The exit code in Docker's status text "Exited (42) 3 seconds ago".
/// Never fails.
std::optional<int> exit_code_from_status(std::string_view status);

} // namespace crun::backends
