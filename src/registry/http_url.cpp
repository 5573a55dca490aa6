#include <crun/registry/http_url.hpp>

#include <crun/core/error.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace crun::registry {

namespace {

constexpr std::uint16_t k_https_port = 443;
constexpr std::uint16_t k_http_port = 80;

bool is_host_char(char c)
{
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_';
}

bool is_ipv6_char(char c)
{
  return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.' || c == '%';
}

std::uint16_t parse_port(std::string_view text, std::string_view url)
{
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value == 0 ||
      value > 65535) {
    fail(Errc::protocol, "invalid port in the url \"{}\" sent by the registry", url);
  }
  return static_cast<std::uint16_t>(value);
}

// Splits "host[:port]" or "[v6][:port]" into `url`'s host and port.
void parse_authority(std::string_view authority, std::string_view url, HttpUrl& out)
{
  std::string_view host;
  std::string_view port;
  if (authority.starts_with('[')) {
    auto close = authority.find(']');
    if (close == std::string_view::npos) {
      fail(Errc::protocol, "invalid host in the url \"{}\" sent by the registry", url);
    }
    host = authority.substr(1, close - 1);
    auto rest = authority.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') {
      fail(Errc::protocol, "invalid host in the url \"{}\" sent by the registry", url);
    }
    port = rest.empty() ? rest : rest.substr(1);
    if (host.empty() || !std::all_of(host.begin(), host.end(), is_ipv6_char)) {
      fail(Errc::protocol, "invalid host in the url \"{}\" sent by the registry", url);
    }
  } else {
    auto colon = authority.find(':');
    host = authority.substr(0, colon);
    port = colon == std::string_view::npos ? std::string_view{} : authority.substr(colon + 1);
    if (colon != std::string_view::npos && port.empty()) {
      fail(Errc::protocol, "invalid port in the url \"{}\" sent by the registry", url);
    }
    if (host.empty() || !std::all_of(host.begin(), host.end(), is_host_char)) {
      fail(Errc::protocol, "invalid host in the url \"{}\" sent by the registry", url);
    }
  }
  out.host = std::string(host);
  out.port = port.empty() ? (out.tls ? k_https_port : k_http_port) : parse_port(port, url);
}

} // namespace

HttpUrl HttpUrl::parse(std::string_view full_url)
{
  // Messages quote the url without its query: a CDN's signature is there.
  std::string_view url = full_url.substr(0, full_url.find('?'));
  HttpUrl out;
  std::string_view rest;
  if (full_url.starts_with("https://")) {
    out.tls = true;
    rest = full_url.substr(8);
  } else if (full_url.starts_with("http://")) {
    out.tls = false;
    rest = full_url.substr(7);
  } else {
    fail(Errc::protocol,
         "unsupported url \"{}\" sent by the registry: expected http:// or https://", url);
  }
  rest = rest.substr(0, rest.find('#'));
  auto path_start = rest.find_first_of("/?");
  auto authority = rest.substr(0, path_start);
  if (authority.find('@') != std::string_view::npos) {
    // user:password@ in a URL is a secret we would carry around: refuse it.
    fail(Errc::protocol, "unsupported url sent by the registry: it holds user information");
  }
  parse_authority(authority, url, out);
  std::string_view target =
    path_start == std::string_view::npos ? std::string_view{} : rest.substr(path_start);
  out.target = target.starts_with('/') ? std::string(target) : "/" + std::string(target);
  return out;
}

HttpUrl HttpUrl::for_host(std::string_view host, bool plain_http, std::string target)
{
  HttpUrl url = parse(std::string(plain_http ? "http://" : "https://") + std::string(host));
  url.target = std::move(target);
  return url;
}

HttpUrl HttpUrl::resolve(std::string_view location) const
{
  if (location.starts_with("http://") || location.starts_with("https://")) {
    return parse(location);
  }
  if (location.starts_with("//")) {
    return parse(std::string(tls ? "https:" : "http:") + std::string(location));
  }
  HttpUrl out = *this;
  location = location.substr(0, location.find('#'));
  if (location.starts_with('/')) {
    out.target = std::string(location);
  } else {
    auto path = std::string_view(target).substr(0, target.find('?'));
    out.target = std::string(path.substr(0, path.rfind('/') + 1)) + std::string(location);
  }
  return out;
}

std::string HttpUrl::authority() const
{
  bool ipv6 = host.find(':') != std::string::npos;
  std::string text = ipv6 ? "[" + host + "]" : host;
  if (port != (tls ? k_https_port : k_http_port)) {
    text += ":" + std::to_string(port);
  }
  return text;
}

transport::Endpoint HttpUrl::endpoint() const
{
  transport::Endpoint endpoint;
  endpoint.kind = transport::Endpoint::Kind::tcp;
  endpoint.host = host;
  endpoint.port = port;
  endpoint.tls = tls;
  return endpoint;
}

std::string HttpUrl::str() const
{
  return fmt::format("{}://{}{}", tls ? "https" : "http", authority(),
                     std::string_view(target).substr(0, target.find('?')));
}

} // namespace crun::registry
