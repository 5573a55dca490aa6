#include "http_fetch.hpp"

#include <crun/core/error.hpp>

#include <thread>

namespace crun::registry::detail {

namespace {

constexpr std::size_t k_error_body_limit = 64 * 1024;

bool is_redirect(int status)
{
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

bool same_origin(const HttpUrl& a, const HttpUrl& b)
{
  return a.tls == b.tls && a.host == b.host && a.port == b.port;
}

// Called from a catch of `error`: the transport's engine_unavailable, said
// of the registry at `url`; anything else rethrown as it is (not sliced).
[[noreturn]] void rethrow_as_unreachable(const HttpUrl& url, const Error& error)
{
  if (error.code() != Errc::engine_unavailable) {
    throw;
  }
  throw Error(Errc::registry_unreachable,
              fmt::format("cannot reach the registry {}: {}", url.authority(), error.message()));
}

// Reads the body of `response` within `timeout`; a stall or a break is the
// registry's, said in its words (the transport's speak of engines).
std::string read_body(transport::HttpConnection& connection, const FetchRequest& request,
                      const HttpUrl& url, std::size_t limit, std::chrono::milliseconds timeout)
{
  try {
    return connection.read_body_all(limit, timeout);
  } catch (const transport::BodyReadError& error) {
    throw Error(Errc::engine_error,
                error.timed_out()
                  ? fmt::format("the registry {} stopped sending the answer to {} {}: {}",
                                url.authority(), request.method, url.str(), error.reason())
                  : fmt::format("lost the connection to the registry {} while reading the "
                                "answer to {} {}: {}",
                                url.authority(), request.method, url.str(), error.reason()));
  }
}

FetchResponse exchange(const FetchRequest& request, const HttpUrl& url, bool with_authorization,
                       const FetchContext& context, std::size_t body_limit)
{
  auto timeout = context.timeout;
  std::unique_ptr<transport::HttpConnection> connection;
  try {
    transport::Endpoint endpoint = context.trust ? context.trust->endpoint(url) : url.endpoint();
    if (request.skip_verify && same_origin(url, request.url)) {
      endpoint.tls_verify = false;
    }
    connection = transport::HttpConnection::connect(endpoint, timeout);
  } catch (const transport::TlsVerifyError& error) {
    Error again(Errc::registry_unreachable,
                fmt::format("cannot reach {0}: its TLS certificate is not trusted ({1}): if the "
                            "registry uses a private CA, put that CA in {2}",
                            url.authority(), error.reason(), ca_placement_hint(url.authority())));
    throw again;
  } catch (const transport::ConnectError& error) {
    // The transport speaks of engines; this is a registry, which is no
    // engine: its own words, its own exit code.
    Error again(Errc::registry_unreachable,
                fmt::format("cannot reach the registry {}: {} (is {} the right host and port, "
                            "and is it reachable from here?)",
                            url.authority(), error.reason(), url.authority()));
    throw again;
  } catch (const Error& error) {
    rethrow_as_unreachable(url, error);
  }

  transport::HttpRequest http{request.method, url.target, {}, request.body, request.content_type};
  http.headers.emplace_back("Host", url.authority());
  http.headers.emplace_back("User-Agent", "crun-any/" CRUN_ANY_VERSION);
  if (!request.accept.empty()) {
    http.headers.emplace_back("Accept", request.accept);
  }
  if (with_authorization && !request.authorization.empty()) {
    http.headers.emplace_back("Authorization", request.authorization);
  }

  FetchResponse response;
  response.url = url;
  try {
    response.head = connection->send(http, timeout);
  } catch (const transport::HeadTimeoutError& error) {
    throw Error(Errc::registry_unreachable,
                fmt::format("the registry {} did not answer {} {} within {}", url.authority(),
                            request.method, url.str(), transport::duration_text(error.timeout())));
  } catch (const Error& error) {
    // A registry that hangs up (a TLS alert after the handshake, a reset)
    // is an unreachable registry, not an unavailable engine.
    rethrow_as_unreachable(url, error);
  }
  int status = response.head.status;
  if (is_redirect(status) || request.method == "HEAD") {
    return response; // the connection is dropped with the body unread
  }
  if (status >= 200 && status < 300) {
    response.body = read_body(*connection, request, url, body_limit, timeout);
  } else {
    try {
      response.body = read_body(*connection, request, url, k_error_body_limit, timeout);
    } catch (const Error&) {
      response.body.clear(); // only for messages: the status says enough
    }
  }
  return response;
}

} // namespace

FetchResponse fetch(const FetchRequest& request, const FetchContext& context,
                    std::size_t body_limit, int max_redirects)
{
  HttpUrl url = request.url;
  for (int redirects = 0;; ++redirects) {
    FetchResponse response;
    try {
      response = exchange(request, url, same_origin(url, request.url), context, body_limit);
    } catch (Error& error) {
      if (error.code() != Errc::registry_unreachable) {
        error.add_context(fmt::format("fetching {}", url.str()));
      }
      throw;
    }
    if (!request.follow_redirects || !is_redirect(response.head.status)) {
      return response;
    }
    auto location = response.head.header("Location");
    if (!location || location->empty()) {
      fail(Errc::engine_error, "{} answered HTTP {} without a Location to follow", url.str(),
           response.head.status);
    }
    if (redirects == max_redirects) {
      fail(Errc::engine_error, "{} redirected more than {} times (last to {})", request.url.str(),
           max_redirects, url.resolve(*location).str());
    }
    url = url.resolve(*location);
  }
}

FetchResponse fetch_retrying(const FetchRequest& request, const FetchContext& context,
                             std::size_t body_limit, int max_redirects)
{
  bool idempotent = request.method == "GET" || request.method == "HEAD";
  auto started = std::chrono::steady_clock::now();
  for (int retries = 0;; ++retries) {
    FetchResponse response = fetch(request, context, body_limit, max_redirects);
    if (!idempotent || !is_retryable_status(response.head.status)) {
      return response;
    }
    auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
    RetryDecision decision =
      decide_retry(response.head.status, response.head.header("Retry-After"), retries, waited,
                   std::chrono::system_clock::now(), context.retry);
    if (!decision.retry) {
      fail(Errc::engine_error, "the registry {} answered HTTP {}{} and crun-any gave up {}: {}",
           request.url.authority(), response.head.status,
           response.head.status == 429 ? " Too Many Requests" : " Service Unavailable",
           decision.reason,
           response.head.status == 429 ? "wait and try again (logging in may raise the limit)"
                                       : "try again later");
    }
    std::this_thread::sleep_for(decision.wait);
  }
}

} // namespace crun::registry::detail
