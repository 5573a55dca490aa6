#pragma once
// The registry's side of authentication (distribution's token.md and
// RFC 7235): the WWW-Authenticate challenge of a 401, and the token server's
// answer. Pure, so every shape registries send is unit-tested.

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace crun::registry {

struct AuthChallenge {
  enum class Scheme { bearer, basic };

  Scheme scheme = Scheme::bearer;
  /// The auth-params, names lower-cased, values unquoted and unescaped:
  /// "realm", "service", "scope" (Bearer), "realm" (Basic).
  std::map<std::string, std::string> params{};

  /// The value of the param `name` (lower-case); std::nullopt when absent.
  /// Never fails.
  std::optional<std::string> param(const std::string& name) const;
};

/// The first Bearer or Basic challenge in the WWW-Authenticate `header`
/// (scheme names compared case-insensitively; params quoted or not, e.g.
/// `Bearer realm="https://auth.docker.io/token",service="registry.docker.io",
/// scope="repository:library/alpine:pull"` or `Basic realm=Registry`);
/// challenges of other schemes are skipped.
/// Returns std::nullopt when there is no Bearer or Basic challenge.
/// Throws Error(Errc::protocol) when a Bearer challenge has no realm, or a
/// quoted string is not terminated.
std::optional<AuthChallenge> parse_www_authenticate(std::string_view header);

/// The token in a token server's JSON answer: "access_token" (OAuth2) when
/// present and not empty, else "token", as distribution's client prefers.
/// Throws Error(Errc::protocol) when `body` is not a JSON object or holds
/// neither; the message never quotes `body`, which may hold a secret.
std::string decode_token_response(std::string_view body);

} // namespace crun::registry
