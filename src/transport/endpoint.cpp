#include <crun/transport/endpoint.hpp>

#include <crun/core/error.hpp>

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>

namespace crun::transport {

namespace {

constexpr std::string_view k_scheme_separator = "://";

bool is_valid_host_char(char c)
{
  // Names, IPv4, and the inside of an IPv6 literal (with a %zone).
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' ||
         c == ':' || c == '%';
}

std::uint16_t parse_port(std::string_view port, std::string_view uri)
{
  unsigned long value = 0;
  bool valid = !port.empty() && port.size() <= 5 &&
               std::all_of(port.begin(), port.end(),
                           [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  if (valid) {
    value = std::stoul(std::string(port));
    valid = value >= 1 && value <= 65535;
  }
  if (!valid) {
    fail(Errc::invalid_input, "invalid port \"{}\" in \"{}\": expected 1-65535", port, uri);
  }
  return static_cast<std::uint16_t>(value);
}

Endpoint parse_unix(std::string_view path, std::string_view uri)
{
  if (path.empty()) {
    fail(Errc::invalid_input, "no socket path in \"{}\": expected unix:///path/to/socket", uri);
  }
  if (path.front() != '/') {
    fail(Errc::invalid_input,
         "unix socket path in \"{}\" must be absolute: write unix:///path/to/socket", uri);
  }
  Endpoint endpoint;
  endpoint.kind = Endpoint::Kind::unix_socket;
  endpoint.path = std::string(path);
  return endpoint;
}

Endpoint parse_tcp(std::string_view rest, std::string_view uri, bool tls)
{
  auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view base = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
  while (!base.empty() && base.back() == '/') {
    base.remove_suffix(1);
  }

  std::string_view host;
  std::optional<std::string_view> port;
  if (authority.starts_with('[')) {
    auto close = authority.find(']');
    if (close == std::string_view::npos) {
      fail(Errc::invalid_input, "unterminated ipv6 address in \"{}\": expected tcp://[::1]:2375",
           uri);
    }
    host = authority.substr(1, close - 1);
    auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') {
        fail(Errc::invalid_input, "unexpected \"{}\" after the ipv6 address in \"{}\"", after, uri);
      }
      port = after.substr(1);
    }
  } else {
    auto colon = authority.find(':');
    bool second_colon =
      colon != std::string_view::npos && authority.find(':', colon + 1) != std::string_view::npos;
    if (second_colon) {
      fail(Errc::invalid_input, "ipv6 address in \"{}\" needs brackets: write tcp://[::1]:2375",
           uri);
    }
    host = authority.substr(0, colon);
    if (colon != std::string_view::npos) {
      port = authority.substr(colon + 1);
    }
  }

  if (host.empty()) {
    fail(Errc::invalid_input, "empty host in \"{}\": expected tcp://host:port", uri);
  }
  if (!std::all_of(host.begin(), host.end(), is_valid_host_char)) {
    fail(Errc::invalid_input, "invalid host \"{}\" in \"{}\": expected tcp://host:port", host, uri);
  }

  Endpoint endpoint;
  endpoint.kind = Endpoint::Kind::tcp;
  endpoint.host = std::string(host);
  std::uint16_t default_port = tls ? k_default_tls_tcp_port : k_default_tcp_port;
  endpoint.port = port ? parse_port(*port, uri) : default_port;
  endpoint.base_path = std::string(base);
  endpoint.tls = tls;
  return endpoint;
}

} // namespace

Endpoint Endpoint::parse(std::string_view uri, bool tls)
{
  auto separator = uri.find(k_scheme_separator);
  if (separator == std::string_view::npos) {
    fail(Errc::invalid_input,
         "invalid engine endpoint \"{}\": expected unix:///path/to/socket or tcp://host:port", uri);
  }
  std::string_view scheme = uri.substr(0, separator);
  std::string_view rest = uri.substr(separator + k_scheme_separator.size());

  if (scheme == "unix") {
    return parse_unix(rest, uri);
  }
  if (scheme == "tcp" || scheme == "http") {
    return parse_tcp(rest, uri, tls);
  }
  if (scheme == "https") {
    return parse_tcp(rest, uri, true);
  }
  if (scheme == "ssh") {
    // A hint that works today: let ssh carry the socket, and point us at it.
    auto target = rest.substr(0, rest.find('/'));
    fail(Errc::invalid_input,
         "ssh endpoints are not supported yet (\"{}\"): forward the socket with "
         "`ssh -nNL /tmp/engine.sock:/var/run/docker.sock {}` and use unix:///tmp/engine.sock",
         uri, target.empty() ? "user@host" : target);
  }
  fail(Errc::invalid_input,
       "unsupported scheme \"{}\" in \"{}\": expected unix://, tcp://, http:// or https://", scheme,
       uri);
}

std::string Endpoint::str() const
{
  if (kind == Kind::unix_socket) {
    return "unix://" + path;
  }
  bool ipv6 = host.find(':') != std::string::npos;
  return fmt::format("tcp://{}{}{}:{}{}", ipv6 ? "[" : "", host, ipv6 ? "]" : "", port, base_path);
}

} // namespace crun::transport
