#include "auth_session.hpp"

#include "http_fetch.hpp"

#include <crun/core/error.hpp>
#include <crun/core/url.hpp>
#include <crun/registry/auth_challenge.hpp>
#include <crun/registry/registry_host.hpp>
#include <crun/util/base64.hpp>

namespace crun::registry::detail {

namespace {

// Token answers are small JSON; a limit well above any real one.
constexpr std::size_t k_token_body_limit = 1024 * 1024;
// The client_id distribution's OAuth2 flow asks clients to send.
constexpr std::string_view k_client_id = "crun-any";

std::string form_encode(const std::vector<std::pair<std::string, std::string>>& fields)
{
  std::string body;
  for (const auto& [name, value] : fields) {
    body +=
      (body.empty() ? "" : "&") + core::percent_encode(name) + "=" + core::percent_encode(value);
  }
  return body;
}

} // namespace

std::string login_command(const core::ImageRef& repo)
{
  return repo.domain() == k_docker_hub_domain ? std::string("docker login")
                                              : "docker login " + repo.domain();
}

AuthSession::AuthSession(std::shared_ptr<CredentialStore> store, FetchContext context)
  : m_store(std::move(store)), m_context(std::move(context))
{
}

std::string AuthSession::pull_scope(const core::ImageRef& repo)
{
  return "repository:" + repo.path() + ":pull";
}

std::string AuthSession::cached(const std::string& host, const std::string& scope) const
{
  auto it = m_authorizations.find({host, scope});
  return it == m_authorizations.end() ? std::string() : it->second;
}

void AuthSession::forget(const std::string& host, const std::string& scope)
{
  m_authorizations.erase({host, scope});
}

const std::optional<Credentials>& AuthSession::credentials_for(const core::ImageRef& repo)
{
  auto it = m_credentials.find(repo.domain());
  if (it == m_credentials.end()) {
    std::optional<Credentials> found = m_store ? m_store->find(repo) : std::nullopt;
    it = m_credentials.emplace(repo.domain(), std::move(found)).first;
  }
  return it->second;
}

std::string AuthSession::answer_challenge(const core::ImageRef& repo, const std::string& host,
                                          const std::string& scope,
                                          const transport::HttpResponseHead& head)
{
  auto header = head.header("WWW-Authenticate");
  auto challenge = header ? parse_www_authenticate(*header) : std::nullopt;
  if (!challenge) {
    fail(Errc::engine_error,
         "the registry {} refused access to {} (HTTP 401) without a Bearer or Basic challenge: "
         "crun-any cannot log in to it",
         repo.domain(), repo.path());
  }

  std::string authorization;
  if (challenge->scheme == AuthChallenge::Scheme::basic) {
    const auto& credentials = credentials_for(repo);
    if (!credentials || !credentials->has_password()) {
      fail_unauthorized(repo);
    }
    authorization =
      "Basic " + util::base64_encode(credentials->username + ":" + credentials->password);
  } else {
    authorization =
      "Bearer " + fetch_token(repo, scope, *challenge->param("realm"), challenge->param("service"));
  }
  m_authorizations[{host, scope}] = authorization;
  return authorization;
}

std::string AuthSession::fetch_token(const core::ImageRef& repo, const std::string& scope,
                                     const std::string& realm,
                                     const std::optional<std::string>& service)
{
  const auto& credentials = credentials_for(repo);
  FetchRequest request;
  request.url = HttpUrl::parse(realm);
  if (credentials && !request.url.tls && !use_plain_http(request.url.authority())) {
    fail(Errc::engine_error,
         "the registry {} sends logins to the token server {} over plain HTTP: crun-any will "
         "not send credentials there",
         repo.domain(), request.url.str());
  }

  std::vector<std::pair<std::string, std::string>> params;
  if (service) {
    params.emplace_back("service", *service);
  }
  params.emplace_back("scope", scope);
  if (credentials && !credentials->identity_token.empty()) {
    // An identity token is an OAuth2 refresh token (docker login's
    // identitytoken): exchange it with a POST, as distribution's client does.
    params.emplace_back("grant_type", "refresh_token");
    params.emplace_back("client_id", std::string(k_client_id));
    params.emplace_back("refresh_token", credentials->identity_token);
    request.method = "POST";
    request.body = form_encode(params);
    request.content_type = "application/x-www-form-urlencoded";
  } else {
    std::string query = core::query_string(params);
    if (request.url.target.find('?') != std::string::npos) {
      query.front() = '&'; // the realm has a query of its own
    }
    request.url.target += query;
    if (credentials && credentials->has_password()) {
      request.authorization =
        "Basic " + util::base64_encode(credentials->username + ":" + credentials->password);
    }
  }
  request.accept = "application/json";

  FetchResponse response = fetch_retrying(request, m_context, k_token_body_limit, 0);
  int status = response.head.status;
  if (status == 401 || status == 403) {
    if (credentials) {
      fail(Errc::engine_error,
           "the token server {} of the registry {} refused the credentials from {} (HTTP {}): "
           "run `{}` again",
           request.url.authority(), repo.domain(), credentials->source, status,
           login_command(repo));
    }
    fail_unauthorized(repo);
  }
  if (status != 200) {
    fail(Errc::engine_error, "the token server {} of the registry {} answered HTTP {} {}",
         request.url.str(), repo.domain(), status, response.head.reason);
  }
  try {
    return decode_token_response(response.body);
  } catch (Error& error) {
    error.add_context(
      fmt::format("while reading the answer of the token server {}", request.url.str()));
    throw;
  }
}

void AuthSession::fail_unauthorized(const core::ImageRef& repo)
{
  const auto& credentials = credentials_for(repo);
  if (credentials) {
    fail(Errc::engine_error,
         "the registry {} refused the credentials from {} for {} (HTTP 401): run `{}` again",
         repo.domain(), credentials->source, repo.path(), login_command(repo));
  }
  fail(Errc::engine_error,
       "the registry {} requires authentication for {} (HTTP 401): run `{}` (or check that the "
       "repository exists)",
       repo.domain(), repo.path(), login_command(repo));
}

} // namespace crun::registry::detail
