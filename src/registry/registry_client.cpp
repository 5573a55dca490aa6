#include <crun/registry/registry_client.hpp>

#include "auth_session.hpp"
#include "http_fetch.hpp"
#include "registry_status.hpp"

#include <crun/core/error.hpp>
#include <crun/registry/content_digest.hpp>
#include <crun/registry/image_config.hpp>
#include <crun/registry/media_types.hpp>
#include <crun/registry/platform_select.hpp>
#include <crun/registry/registry_host.hpp>

#include <utility>

namespace crun::registry {

namespace {

constexpr std::string_view k_proxy_variables[] = {"HTTPS_PROXY", "https_proxy", "HTTP_PROXY",
                                                  "http_proxy",  "ALL_PROXY",   "all_proxy"};

// Docker-Content-Digest, when the registry sends a sha256 one (the header
// is optional; other algorithms are not ours to check).
std::optional<core::Digest> served_digest(const transport::HttpResponseHead& head)
{
  auto header = head.header("Docker-Content-Digest");
  if (!header || !header->starts_with("sha256:")) {
    return std::nullopt;
  }
  try {
    return core::Digest::parse(*header);
  } catch (const Error& error) {
    fail(Errc::protocol, "the registry sent an invalid Docker-Content-Digest: {}", error.message());
  }
}

} // namespace

struct RegistryClient::Response : detail::FetchResponse {};

RegistryClient::RegistryClient(const Env& env, std::shared_ptr<CredentialStore> credentials,
                               std::chrono::milliseconds timeout)
  : RegistryClient(env, std::move(credentials),
                   RegistryClientOptions{timeout,
                                         {},
                                         default_tls_sources(env),
                                         nullptr,
                                         load_registry_rules(env, transport::DiskFileReader())})
{
}

RegistryClient::RegistryClient(Env env, std::shared_ptr<CredentialStore> credentials,
                               RegistryClientOptions options)
  : m_env(std::move(env)), m_options(std::move(options)),
    m_trust(std::make_shared<detail::HostTrust>(m_options.tls, m_options.files)),
    m_auth(std::make_unique<detail::AuthSession>(
      std::move(credentials), detail::FetchContext{m_options.timeout, m_options.retry, m_trust}))
{
}

RegistryClient::~RegistryClient() = default;
RegistryClient::RegistryClient(RegistryClient&&) noexcept = default;
RegistryClient& RegistryClient::operator=(RegistryClient&&) noexcept = default;

RegistryClient::Response RegistryClient::get(const core::ImageRef& repo, const std::string& target,
                                             std::string_view accept, bool follow_redirects)
{
  std::string host = registry_host(repo);
  std::string scope = detail::AuthSession::pull_scope(repo);
  detail::FetchRequest request;
  request.url =
    HttpUrl::for_host(host, use_plain_http(host) || m_plain_hosts.count(host) > 0, target);
  request.accept = std::string(accept);
  request.follow_redirects = follow_redirects;
  request.authorization = m_auth->cached(host, scope);

  try {
    Response response = send(repo, request);
    if (response.head.status != 401) {
      return response;
    }
    // Anonymous (or with a token that has expired): answer the challenge
    // and retry once.
    m_auth->forget(host, scope);
    request.authorization = m_auth->answer_challenge(repo, host, scope, response.head);
    response = send(repo, request);
    if (response.head.status == 401) {
      m_auth->forget(host, scope);
      m_auth->fail_unauthorized(repo);
    }
    return response;
  } catch (Error& error) {
    if (error.code() == Errc::registry_unreachable) {
      for (auto name : k_proxy_variables) {
        if (m_env.get(name)) {
          error.add_context(fmt::format("{} is set, but crun-any connects to registries "
                                        "directly: it does not use proxies yet",
                                        name));
          break;
        }
      }
    }
    throw;
  }
}

RegistryClient::Response RegistryClient::send(const core::ImageRef& repo,
                                              detail::FetchRequest& request)
{
  detail::FetchContext context{m_options.timeout, m_options.retry, m_trust};
  const RegistryRule* rule = rule_for(repo, m_options.registries);
  bool insecure = rule && rule->insecure && request.url.tls;
  request.skip_verify = insecure;
  try {
    return Response{
      detail::fetch_retrying(request, context, k_manifest_body_limit, k_max_redirects)};
  } catch (const Error& error) {
    if (!insecure || error.code() != Errc::registry_unreachable) {
      throw;
    }
  }
  // Docker and Podman speak plain HTTP to an insecure registry whose HTTPS
  // fails; so does crun-any, for the rest of the client's life.
  std::string host = registry_host(repo);
  request.url = HttpUrl::for_host(host, true, request.url.target);
  request.skip_verify = false;
  try {
    Response response{
      detail::fetch_retrying(request, context, k_manifest_body_limit, k_max_redirects)};
    m_plain_hosts.insert(host);
    return response;
  } catch (Error& error) {
    error.add_context(fmt::format("{} is an insecure registry in {}: it answered neither HTTPS "
                                  "(unverified) nor plain HTTP",
                                  host, rule->source));
    throw;
  }
}

ResolvedImage RegistryClient::resolve(const core::ImageRef& ref)
{
  std::string reference = ref.digest() ? ref.digest()->str() : ref.tag_or_latest();
  Response response =
    get(ref, "/v2/" + ref.path() + "/manifests/" + reference, k_manifest_accept, true);
  int status = response.head.status;
  if (status == 404) {
    std::string detail = detail::registry_error_detail(response.body);
    fail(Errc::not_found, "{} is not in the registry ({})", ref.familiar(),
         detail.empty() ? std::string("HTTP 404") : detail);
  }
  if (status != 200) {
    detail::fail_status(ref, fmt::format("the manifest of {}", ref.familiar()), response);
  }

  core::Digest digest = sha256_digest(response.body);
  if (auto served = served_digest(response.head); served && *served != digest) {
    fail(Errc::engine_error,
         "registry {} served content whose digest does not match its Docker-Content-Digest "
         "for {}: expected {}, got {}",
         ref.domain(), ref.familiar(), *served, digest);
  }
  if (ref.digest() && *ref.digest() != digest) {
    fail(Errc::engine_error,
         "registry {} served content whose digest does not match {}: expected {}, got {}",
         ref.domain(), ref.familiar(), *ref.digest(), digest);
  }

  try {
    Manifest manifest =
      decode_manifest(response.body, response.head.header("Content-Type").value_or(""));
    return ResolvedImage{ref, digest, std::move(manifest)};
  } catch (Error& error) {
    error.add_context(fmt::format("reading the manifest of {}", ref.familiar()));
    throw;
  }
}

core::Platform RegistryClient::config_platform(const core::ImageRef& repo, const Descriptor& config)
{
  Response response = get(repo, "/v2/" + repo.path() + "/blobs/" + config.digest.str(), "", true);
  int status = response.head.status;
  std::string what = fmt::format("the image config {} of {}", config.digest, repo.repository());
  if (status == 404) {
    std::string detail = detail::registry_error_detail(response.body);
    fail(Errc::not_found, "{} is not in the registry ({})", what,
         detail.empty() ? std::string("HTTP 404") : detail);
  }
  if (status != 200) {
    detail::fail_status(repo, what, response);
  }
  core::Digest digest = sha256_digest(response.body);
  if (digest != config.digest) {
    fail(Errc::engine_error,
         "registry {} served content whose digest does not match {}: expected {}, got {}",
         repo.domain(), what, config.digest, digest);
  }
  try {
    return decode_config_platform(response.body);
  } catch (Error& error) {
    error.add_context(fmt::format("reading {}", what));
    throw;
  }
}

core::Digest RegistryClient::manifest_for_platform(const ResolvedImage& image,
                                                   const core::Platform& wanted,
                                                   SuggestPlatform suggest)
{
  if (image.manifest.is_index) {
    return select_platform(image.manifest, wanted, image.ref, suggest).digest;
  }
  if (!image.manifest.config) {
    fail(Errc::internal, "the manifest of {} has no config", image.ref.familiar());
  }
  core::Platform platform = config_platform(image.ref, *image.manifest.config);
  if (!platform.matches(wanted)) {
    throw Error(Errc::not_found,
                missing_platform_message(image.ref, wanted, {platform.str()}, suggest));
  }
  return image.digest;
}

} // namespace crun::registry
