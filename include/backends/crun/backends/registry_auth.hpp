#pragma once
// The X-Registry-Auth header both engines take on a pull: base64url (with
// padding, Go's URLEncoding) of {"username","password","serveraddress"} or of
// {"identitytoken","serveraddress"}. The engines, not crun-any, then talk to
// the registry with it; Docker ignores a header it cannot decode and pulls
// anonymously, so the encoding must be exact.

#include <crun/core/image_ref.hpp>
#include <crun/registry/credentials.hpp>
#include <crun/transport/http.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace crun::backends {

/// The header value for `credentials` at `server` (the registry's auth key,
/// registry::docker_auth_key). Never fails. The value holds a secret: it
/// must never be logged or put in a message.
std::string encode_registry_auth(const registry::Credentials& credentials, std::string_view server);

/// Gives the pull `request` for `ref` the X-Registry-Auth header of
/// `credentials` at `ref`'s registry; leaves it anonymous when there are
/// none. Never fails.
void add_registry_auth(transport::HttpRequest& request, const core::ImageRef& ref,
                       const std::optional<registry::Credentials>& credentials);

} // namespace crun::backends
