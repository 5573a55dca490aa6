#pragma once
// A user's registry credentials, and the seam the client asks for them
// through. Credentials hold secrets: they have no formatter and must never
// be put into a message, a log or an error; `source` is what messages name.

#include <crun/core/image_ref.hpp>

#include <optional>
#include <string>

namespace crun::registry {

struct Credentials {
  std::string username{};
  std::string password{};       ///< secret
  std::string identity_token{}; ///< secret: an OAuth2 refresh token (docker login's identitytoken)
  /// Where they came from, for messages: "/home/u/.docker/config.json",
  /// "docker-credential-desktop". Not a secret.
  std::string source{};

  /// True when there is a user name and password to send as Basic auth.
  /// Never fails.
  bool has_password() const { return !username.empty() && !password.empty(); }
};

/// Where the registry client gets credentials from, asked only after a
/// registry has answered 401, so a broken credential setup never stops
/// anonymous pulls.
class CredentialStore {
public:
  virtual ~CredentialStore() = default;
  /// The credentials for `repo`'s registry (domain() as written in the
  /// reference; a store may also use path() for per-namespace entries);
  /// std::nullopt when there are none. Throws Error (see the implementation)
  /// when a configured source cannot be read; messages never hold a secret.
  virtual std::optional<Credentials> find(const core::ImageRef& repo) = 0;
};

} // namespace crun::registry
