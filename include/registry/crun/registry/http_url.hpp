#pragma once
// An absolute http(s) URL split into what a request needs: where to connect,
// the Host header and the request target. Registries hand us URLs in two
// places: a token server's realm, and the Location of a redirect (config
// blobs are often served from a CDN host).

#include <crun/transport/endpoint.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace crun::registry {

struct HttpUrl {
  bool tls = true;          ///< https
  std::string host{};       ///< name or IP address; an IPv6 address without brackets
  std::uint16_t port = 443; ///< the URL's port, else 443 (https) or 80 (http)
  std::string target{};     ///< path and query, as written (already escaped): "/v2/x?y=1"

  /// Parses "http[s]://host[:port][/path][?query]" (a fragment is dropped).
  /// Throws Error(Errc::protocol) naming `url` for another scheme, an empty
  /// or invalid host, or a port that is not 1-65535: every URL parsed here
  /// comes from a registry, so a bad one is the registry's answer we cannot
  /// read.
  static HttpUrl parse(std::string_view url);

  /// The URL for `host` (as registry_host() gives it, "name[:port]" or
  /// "[v6][:port]"), over https unless `plain_http`, with `target`.
  /// Throws as parse().
  static HttpUrl for_host(std::string_view host, bool plain_http, std::string target);

  /// `location` (a redirect's Location header) resolved against this URL:
  /// an absolute URL replaces it, "//host/x" keeps the scheme, "/x" keeps the
  /// host, "x" is relative to the target's directory. Throws as parse().
  HttpUrl resolve(std::string_view location) const;

  /// "host" or "host:port" when the port is not the scheme's default, with
  /// IPv6 addresses bracketed: the Host header, as Go sends it (a CDN's
  /// signed URL can depend on it). Never fails.
  std::string authority() const;
  /// The transport endpoint to connect to (TLS verified against the system's
  /// trust store). Never fails.
  transport::Endpoint endpoint() const;
  /// "https://authority/path" for messages: the query is left out, since a
  /// CDN's signed URL carries its signature there. Never fails.
  std::string str() const;

  friend bool operator==(const HttpUrl&, const HttpUrl&) = default;
};

} // namespace crun::registry
