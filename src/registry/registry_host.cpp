#include <crun/registry/registry_host.hpp>

#include <crun/util/ascii.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string>

namespace crun::registry {

namespace {

// A dotted quad whose first octet is 127. Written out rather than
// inet_pton'd so that forms inet_aton would accept ("127.1") stay names.
bool is_ipv4_loopback(std::string_view host)
{
  int octets = 0;
  int first = -1;
  while (true) {
    auto dot = host.find('.');
    auto part = host.substr(0, dot);
    int value = -1;
    auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), value);
    if (part.empty() || part.size() > 3 || ec != std::errc() || end != part.data() + part.size() ||
        value > 255) {
      return false;
    }
    if (octets++ == 0) {
      first = value;
    }
    if (dot == std::string_view::npos) {
      break;
    }
    host.remove_prefix(dot + 1);
  }
  return octets == 4 && first == 127;
}

bool is_ipv6_loopback(std::string_view address)
{
  in6_addr parsed{};
  std::string text(address);
  return ::inet_pton(AF_INET6, text.c_str(), &parsed) == 1 && IN6_IS_ADDR_LOOPBACK(&parsed);
}

} // namespace

std::string registry_host(const core::ImageRef& ref)
{
  if (ref.domain() == k_docker_hub_domain) {
    return std::string(k_docker_hub_api_host);
  }
  return ref.domain();
}

bool use_plain_http(std::string_view host)
{
  if (host.starts_with('[')) {
    auto close = host.find(']');
    return close != std::string_view::npos && is_ipv6_loopback(host.substr(1, close - 1));
  }
  auto name = host.substr(0, host.find(':'));
  return util::ascii_iequals(name, "localhost") || is_ipv4_loopback(name);
}

} // namespace crun::registry
