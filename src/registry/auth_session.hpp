#pragma once
// Private to src/registry: the authentication state of one RegistryClient.
// It answers a registry's 401 challenge (distribution's token.md: a Bearer
// token from the realm, or Basic credentials), holds what it obtained per
// (registry host, scope) for the life of the client, and words the failures.
// Secrets go only into returned Authorization values, never into messages.

#include "http_fetch.hpp"

#include <crun/core/image_ref.hpp>
#include <crun/registry/credentials.hpp>
#include <crun/transport/http.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>

namespace crun::registry::detail {

class AuthSession {
public:
  /// `store` may be null (anonymous only). Never fails.
  AuthSession(std::shared_ptr<CredentialStore> store, FetchContext context);

  /// The pull scope of `repo`: "repository:<path>:pull". Never fails.
  static std::string pull_scope(const core::ImageRef& repo);

  /// The Authorization value obtained earlier for (`host`, `scope`), or ""
  /// to go anonymous. Never fails.
  std::string cached(const std::string& host, const std::string& scope) const;
  /// Drops what cached() would return (a token the registry no longer takes).
  void forget(const std::string& host, const std::string& scope);

  /// The Authorization value to retry `repo`'s request with, after `host`
  /// answered 401 with `head`; cached for (`host`, `scope`).
  /// Throws Error(Errc::engine_error) when no credentials can answer the
  /// challenge (the `docker login` fix), when the token server refuses or
  /// fails, or when credentials would go to a token server over plain HTTP
  /// off loopback; Error(Errc::protocol) for an unreadable challenge or
  /// token answer; Error(Errc::registry_unreachable) when the token server
  /// cannot be reached; and as CredentialStore::find.
  std::string answer_challenge(const core::ImageRef& repo, const std::string& host,
                               const std::string& scope, const transport::HttpResponseHead& head);

  /// Throws Error(Errc::engine_error) for a 401 that remains after a retry
  /// with what answer_challenge gave, naming the registry and the fix.
  [[noreturn]] void fail_unauthorized(const core::ImageRef& repo);

private:
  const std::optional<Credentials>& credentials_for(const core::ImageRef& repo);
  std::string fetch_token(const core::ImageRef& repo, const std::string& scope,
                          const std::string& realm, const std::optional<std::string>& service);

  std::shared_ptr<CredentialStore> m_store;
  FetchContext m_context;
  std::map<std::pair<std::string, std::string>, std::string> m_authorizations;
  /// Asked once per registry domain: a helper process is slow.
  std::map<std::string, std::optional<Credentials>> m_credentials;
};

/// "docker login" for Docker Hub, else "docker login <domain>". Never fails.
std::string login_command(const core::ImageRef& repo);

} // namespace crun::registry::detail
