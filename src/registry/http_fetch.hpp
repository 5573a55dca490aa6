#pragma once
// Private to src/registry: one HTTP exchange with a registry, a token server
// or a CDN, over a fresh connection, following redirects when asked.

#include "host_trust.hpp"

#include <crun/registry/http_url.hpp>
#include <crun/registry/retry_policy.hpp>
#include <crun/transport/http.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

namespace crun::registry::detail {

struct FetchRequest {
  std::string method = "GET";
  HttpUrl url{};
  std::string accept{};
  /// An Authorization value (a secret), sent to `url`'s origin only: never
  /// to the host a redirect leads to, which is how CDNs' signed URLs and
  /// Go's http client expect it.
  std::string authorization{};
  std::string body{};
  std::string content_type{};
  bool follow_redirects = false;
  /// TLS to `url`'s origin without verifying its certificate (a registry
  /// the user marked insecure); a redirect's host is still verified.
  bool skip_verify = false;
};

struct FetchResponse {
  transport::HttpResponseHead head{};
  /// A 2xx body in full (up to the limit); an error's body up to 64 KiB,
  /// or empty when it cannot be read (it only feeds messages).
  std::string body{};
  HttpUrl url{}; ///< where the answer came from, after redirects
};

/// What every exchange of one client shares.
struct FetchContext {
  std::chrono::milliseconds timeout{}; ///< bounds each connect, head, and then body
  RetryLimits retry{};
  /// The TLS files per host; null: the system's trust store only.
  std::shared_ptr<HostTrust> trust{};
};

/// Sends `request` and reads the answer. `context.timeout` bounds the
/// connect, the wait for each response head, and then the body.
/// Throws Error(Errc::registry_unreachable) "cannot reach the registry <host>: ..." when
/// the connection fails, "the registry <host> did not answer GET <url> within
/// 30 s" when no head comes in time (for an untrusted certificate: OpenSSL's reason and
/// where to put the registry's CA); Error(Errc::engine_error) after more than
/// `max_redirects` redirects or for a redirect without Location;
/// Error(Errc::protocol) for a 2xx body over `body_limit` or an invalid
/// Location; Error(Errc::engine_error) "the registry <host> stopped sending
/// <url>: not all of it arrived within 30 s" when a body stalls past
/// `context.timeout`, or "lost the connection to the registry ..." when it
/// breaks off; other transport errors with context naming the URL.
FetchResponse fetch(const FetchRequest& request, const FetchContext& context,
                    std::size_t body_limit, int max_redirects);

/// fetch(), tried again after a pause while a GET or HEAD is answered 429
/// or 503, as decide_retry() says (Retry-After honoured, bounded by
/// `context.retry`). Other methods are sent once: they may not be idempotent.
/// Throws as fetch(), and Error(Errc::engine_error) when it gives up on a
/// 429/503, naming the host, the status and why it stopped ("... gave up
/// at once, since it asked to wait 120 s (Retry-After) ...").
FetchResponse fetch_retrying(const FetchRequest& request, const FetchContext& context,
                             std::size_t body_limit, int max_redirects);

} // namespace crun::registry::detail
