#pragma once
// A fake OCI registry and token server on one FakeHttpServer, for the
// registry client's tests: content by request path, and the three ways a
// registry can want a pull authorised (none, Bearer token, Basic).

#include "support/fake_http_server.hpp"
#include "test_support.hpp"

#include <crun/registry/content_digest.hpp>
#include <crun/registry/credentials.hpp>
#include <crun/util/base64.hpp>

#include <map>
#include <optional>
#include <set>
#include <string>

namespace crun::registry::test {

using crun::test::FakeHttpServer;
using crun::test::FakeRequest;
using crun::test::FakeResponse;

inline constexpr const char* k_user = "alice";
inline constexpr const char* k_password = "s3cret-pw";
inline constexpr const char* k_identity_token = "idt-s3cret";

struct FakeContent {
  std::string content_type;
  std::string body;
  /// Docker-Content-Digest to send instead of the body's; "" for none.
  std::optional<std::string> digest_header{};
};

class FakeRegistry {
public:
  enum class Auth { none, bearer, basic };

  Auth auth = Auth::none;
  /// The token server gives tokens without credentials (Docker Hub does,
  /// for public repositories).
  bool anonymous_tokens = true;
  /// Answer tokens as {"access_token"} instead of {"token"}.
  bool oauth_style = false;
  std::map<std::string, FakeContent> content;    ///< by request path
  std::map<std::string, FakeResponse> overrides; ///< by request path, before content
  std::set<std::string> valid_tokens;
  int tokens_issued = 0;

  std::string host() const { return m_server.host(); }
  std::uint16_t port() const { return m_server.port(); }
  std::vector<FakeRequest> requests() const { return m_server.requests(); }
  std::string realm() const { return "http://" + host() + "/token"; }

  static std::string basic_header()
  {
    return "Basic " + util::base64_encode(std::string(k_user) + ":" + k_password);
  }

private:
  FakeResponse handle(const FakeRequest& request)
  {
    if (request.path == "/token") {
      auto it = overrides.find(request.path);
      return it != overrides.end() ? it->second : token(request);
    }
    if (request.path.starts_with("/cdn/")) {
      // A CDN must never see the registry's Authorization.
      if (!request.header("Authorization").empty()) {
        return {400, {}, "authorization leaked to the cdn"};
      }
    } else if (request.path.starts_with("/v2/")) {
      if (auto refused = check_auth(request)) {
        return *refused;
      }
    }
    if (auto it = overrides.find(request.path); it != overrides.end()) {
      return it->second;
    }
    auto it = content.find(request.path);
    if (it == content.end()) {
      return {404,
              {{"Content-Type", "application/json; charset=utf-8"}},
              R"({"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown",)"
              R"("detail":{}}]})"};
    }
    FakeResponse response{200, {{"Content-Type", it->second.content_type}}, it->second.body};
    std::string digest = it->second.digest_header.value_or(sha256_digest(it->second.body).str());
    if (!digest.empty()) {
      response.headers.emplace_back("Docker-Content-Digest", digest);
    }
    return response;
  }

  std::optional<FakeResponse> check_auth(const FakeRequest& request)
  {
    std::string authorization = request.header("Authorization");
    if (auth == Auth::bearer) {
      if (authorization.starts_with("Bearer ") && valid_tokens.count(authorization.substr(7))) {
        return std::nullopt;
      }
      auto repo = request.path.substr(4, request.path.find("/manifests/") != std::string::npos
                                           ? request.path.find("/manifests/") - 4
                                           : request.path.find("/blobs/") - 4);
      return FakeResponse{401,
                          {{"WWW-Authenticate", "Bearer realm=\"" + realm() +
                                                  "\",service=\"fake-registry\",scope=\""
                                                  "repository:" +
                                                  repo + ":pull\""}},
                          R"({"errors":[{"code":"UNAUTHORIZED",)"
                          R"("message":"authentication required"}]})"};
    }
    if (auth == Auth::basic && authorization != basic_header()) {
      return FakeResponse{401, {{"WWW-Authenticate", "Basic realm=\"fake\""}}, ""};
    }
    return std::nullopt;
  }

  FakeResponse token(const FakeRequest& request)
  {
    bool granted = false;
    if (request.method == "POST") {
      granted = request.param("grant_type") == "refresh_token" &&
                request.param("refresh_token") == k_identity_token;
    } else {
      std::string authorization = request.header("Authorization");
      granted = authorization.empty() ? anonymous_tokens : authorization == basic_header();
    }
    if (!granted) {
      return {401, {}, R"({"details":"incorrect username or password"})"};
    }
    std::string token = "tok-" + std::to_string(++tokens_issued);
    valid_tokens.insert(token);
    return {200,
            {{"Content-Type", "application/json"}},
            std::string(oauth_style ? R"({"access_token":")" : R"({"token":")") + token +
              R"(","expires_in":300})"};
  }

  FakeHttpServer m_server{[this](const FakeRequest& request) { return handle(request); }};
};

/// A CredentialStore with fixed credentials, counting lookups.
class FixedCredentials final : public CredentialStore {
public:
  explicit FixedCredentials(std::optional<Credentials> credentials)
    : m_credentials(std::move(credentials))
  {
  }
  std::optional<Credentials> find(const core::ImageRef&) override
  {
    ++lookups;
    return m_credentials;
  }
  int lookups = 0;

private:
  std::optional<Credentials> m_credentials;
};

inline Credentials alice()
{
  return Credentials{k_user, k_password, "", "/home/alice/.docker/config.json"};
}

} // namespace crun::registry::test
