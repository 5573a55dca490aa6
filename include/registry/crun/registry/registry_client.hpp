#pragma once
// A minimal OCI distribution client (distribution spec, "pull" side only),
// used before every pull to learn what a tag resolves to and which
// platforms it has. Blocking; one connection per request; HTTPS with the
// system's trust store and the registry's own CA from the engines' certs.d
// directories or SSL_CERT_FILE (registry_tls.hpp), plain HTTP for loopback
// (use_plain_http) and, after HTTPS without verification fails, for the
// registries the user's registries.conf marks insecure (as Docker and Podman
// do).
//
// Authentication, as docker does it: every request goes out anonymous (or
// with the token this client already holds for the repository); on 401 the
// challenge decides: Bearer -> a token from the realm for scope
// "repository:<path>:pull" (with the user's credentials, if the store has
// any), Basic -> the credentials themselves; then the request is retried
// once. Credentials and tokens go only to the registry host and its token
// realm (never to a redirect's host), never over plain HTTP off loopback,
// and never into a message.
//
// A GET answered 429 or 503 is tried again after the registry's
// Retry-After, or a backoff, within RetryLimits (retry_policy.hpp).
//
// Errors (every message names the image or registry, never a secret):
//   Errc::not_found           404 for the manifest (exit 1)
//   Errc::engine_error        401 that remains (with the `docker login` fix),
//                             403, 429 and 503 once the retries are spent,
//                             other statuses, a digest that
//                             does not match, too many redirects
//   Errc::registry_unreachable  cannot connect to the registry or token server,
//                             or it sends no response head in time
//   Errc::engine_error        (also) a body that stalls past the timeout or
//                             breaks off: "the registry <host> stopped
//                             sending <url>: nothing arrived ..."

//   Errc::protocol            an answer we cannot read (see decode_manifest)
//   Errc::invalid_input       a broken credential configuration (see the store)

#include <crun/core/digest.hpp>
#include <crun/core/env.hpp>
#include <crun/core/image_ref.hpp>
#include <crun/core/platform.hpp>
#include <crun/registry/credentials.hpp>
#include <crun/registry/manifest.hpp>
#include <crun/registry/platform_select.hpp>
#include <crun/registry/registries_conf.hpp>
#include <crun/registry/registry_tls.hpp>
#include <crun/registry/retry_policy.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <set>
#include <string>
#include <string_view>

namespace crun::registry {

namespace detail {
class AuthSession;
class HostTrust;
struct FetchRequest;
} // namespace detail

/// Manifests and configs are small; this only stops a runaway answer.
inline constexpr std::size_t k_manifest_body_limit = 4 * 1024 * 1024;
/// Redirects followed per request (CDNs use one).
inline constexpr int k_max_redirects = 3;

struct RegistryClientOptions {
  /// Bounds each connect, each wait for a response head, and then each
  /// (small) body's transfer.
  std::chrono::milliseconds timeout{30'000};
  RetryLimits retry{};
  /// Where each registry's CA and client certificate are looked up; empty:
  /// the system's trust store only.
  TlsSources tls{};
  /// Reads those files; null: the real file system.
  std::shared_ptr<const transport::FileReader> files{};
  /// The user's registries.conf rules (load_registry_rules); a registry
  /// they mark insecure is tried over HTTPS without verification, then over
  /// plain HTTP. Empty: none is insecure.
  std::vector<RegistryRule> registries{};
};

struct ResolvedImage {
  core::ImageRef ref;  ///< as asked
  core::Digest digest; ///< what the tag or digest resolved to: sha256 of the bytes served
  Manifest manifest;   ///< an index or a single manifest
};

class RegistryClient {
public:
  /// `credentials` may be null (anonymous only). `timeout` bounds each
  /// connect, each wait for a response head, and then each body's transfer.
  /// TLS files are looked up where the engines keep them for `env`'s user
  /// (default_tls_sources), insecure registries in their registries.conf
  /// (load_registry_rules), on the real file system.
  /// `env` supplies only the hint when a connection fails while a proxy is
  /// configured (crun-any does not use proxies yet). Never fails.
  RegistryClient(const Env& env, std::shared_ptr<CredentialStore> credentials,
                 std::chrono::milliseconds timeout);
  /// As above, with every setting spelled out. Never fails.
  RegistryClient(Env env, std::shared_ptr<CredentialStore> credentials,
                 RegistryClientOptions options);
  /// Movable, not copyable (it owns its tokens). Never fail.
  ~RegistryClient();
  RegistryClient(RegistryClient&&) noexcept;
  RegistryClient& operator=(RegistryClient&&) noexcept;

  /// GET /v2/<path>/manifests/<digest, else tag or "latest"> with
  /// k_manifest_accept. The digest is computed from the body; it must equal
  /// Docker-Content-Digest when the registry sends one, and `ref`'s digest
  /// when it has one.
  /// Throws (see above); not_found: "127.0.0.1:5857/bench/nope:1 is not in
  /// the registry (manifest unknown)"; a mismatch: Errc::engine_error
  /// "registry 127.0.0.1:5857 served content whose digest does not match
  /// <ref>: expected sha256:..., got sha256:...".
  ResolvedImage resolve(const core::ImageRef& ref);

  /// The platform in the image config `config` (a single manifest's config
  /// descriptor) of the repository `repo` (its tag and digest are ignored):
  /// GET /v2/<path>/blobs/<digest>, following up to k_max_redirects
  /// redirects, the body checked against `config.digest`.
  /// Throws (see above); a blob the registry lacks is Errc::not_found.
  core::Platform config_platform(const core::ImageRef& repo, const Descriptor& config);

  /// The digest of `image`'s manifest for `wanted`: for an index, the entry
  /// select_platform() picks; for a single manifest, `image.digest` if its
  /// config's platform matches `wanted`. Throws Error(Errc::not_found) when
  /// the image has no such platform, listing those it has:
  /// "127.0.0.1:5857/bench/small:1 has no linux/arm64 image; it has
  /// linux/amd64" (with `suggest`, naming a platform to pass:
  /// missing_platform_message); and as config_platform().
  core::Digest manifest_for_platform(const ResolvedImage& image, const core::Platform& wanted,
                                     SuggestPlatform suggest = SuggestPlatform::no);

private:
  struct Response;
  // GET `target` on `repo`'s registry through the authentication flow;
  // returns the final answer, whatever its status.
  Response get(const core::ImageRef& repo, const std::string& target, std::string_view accept,
               bool follow_redirects);
  // One request to `repo`'s registry, falling back to plain HTTP for an
  // insecure one.
  Response send(const core::ImageRef& repo, detail::FetchRequest& request);

  Env m_env;
  RegistryClientOptions m_options;
  std::shared_ptr<detail::HostTrust> m_trust;  ///< TLS files per host, found once
  std::set<std::string> m_plain_hosts;         ///< insecure registries that answered plain HTTP
  std::unique_ptr<detail::AuthSession> m_auth; ///< tokens per (host, scope), for the client's life
};

} // namespace crun::registry
