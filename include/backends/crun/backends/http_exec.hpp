#pragma once
// The exec requests of the Docker Engine API and libpod, as pure builders
// over an API root ("/v1.41", "/v4.3.1/libpod": the paths and bodies are the
// same on both), and the decoders of their answers (docs/engine-apis.md,
// exec). HttpEngine::exec (http_exec.cpp) moves the bytes.

#include <crun/backends/exec_spec.hpp>
#include <crun/core/error.hpp>
#include <crun/transport/http.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace crun::backends {

/// POST {root}/containers/{container}/exec: AttachStdin (-i), AttachStdout
/// and AttachStderr (unless -d), Tty, Env, User, WorkingDir, Cmd.
transport::HttpRequest make_exec_create_request(std::string_view root, const ExecSpec& spec);
/// POST {root}/exec/{id}/start {Detach, Tty}; attached, it asks for the
/// connection to be hijacked (Upgrade: tcp), as run's attach does.
transport::HttpRequest make_exec_start_request(std::string_view root, std::string_view id,
                                               const ExecSpec& spec);
transport::HttpRequest make_exec_resize_request(std::string_view root, std::string_view id,
                                                unsigned rows, unsigned cols);
transport::HttpRequest make_exec_inspect_request(std::string_view root, std::string_view id);

/// The exec's ID from the create's answer {"Id": ...}. Throws
/// Error(Errc::protocol) when it has none.
std::string decode_exec_create(const nlohmann::json& doc);

/// The exec's exit code from GET /exec/{id}/json; std::nullopt while it
/// runs (Running true: Podman says ExitCode 0 then, Docker null). Throws
/// Error(Errc::protocol) when `doc` is not an object.
std::optional<int> decode_exec_exit_code(const nlohmann::json& doc);

/// A failed exec create as the user reads it: a missing container
/// (404) becomes Error(Errc::not_found) "no such container: C (`<cli> ps -a`
/// lists them)"; one that is not running (Docker's 409 "is not running",
/// libpod's "can only create exec sessions on running containers")
/// Error(Errc::engine_error) "container C is not running: start it first
/// (`<cli> start C`)"; anything else is returned as it is. `cli` is the
/// engine's CLI ("docker", "podman"). Never fails.
Error exec_create_error(const Error& error, std::string_view container, std::string_view cli);

} // namespace crun::backends
