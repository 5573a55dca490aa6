#pragma once
// Where an engine's API listens: a unix socket, or a tcp address (optionally
// with TLS and a URL prefix). Parsing is pure; connecting is HttpConnection's.

#include <crun/core/error.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace crun::transport {

inline constexpr std::uint16_t k_default_tcp_port = 2375;     ///< docker's plain tcp port
inline constexpr std::uint16_t k_default_tls_tcp_port = 2376; ///< docker's tls port

struct Endpoint {
  enum class Kind { unix_socket, tcp };

  Kind kind = Kind::unix_socket;
  std::string path{};      ///< unix: the absolute socket path
  std::string host{};      ///< tcp: host name or IP address (IPv6 without brackets)
  std::uint16_t port = 0;  ///< tcp
  std::string base_path{}; ///< tcp: URL prefix ("/base", no trailing slash), or empty
  bool tls = false;        ///< tcp: speak TLS
  std::string ca_file{};   ///< tls: PEM CA bundle; empty means the system's trust store
  /// tls: PEM CA files trusted besides ca_file or the system's store (a
  /// registry's certs.d ca.crt: added, never replacing).
  std::vector<std::string> extra_ca_files{};
  std::string cert_file{}; ///< tls: PEM client certificate; empty means none
  std::string key_file{};  ///< tls: PEM client key; empty means none
  bool tls_verify = true;  ///< tls: verify the server's certificate and host name

  /// Parses `uri`: `unix:///abs/path`, `tcp://host[:port][/base]`,
  /// `http://host[:port][/base]` or `https://host[:port][/base]` (TLS).
  /// `tls` turns TLS on for tcp:// as well (DOCKER_TLS_VERIFY and friends);
  /// a missing port is then 2376 instead of 2375, as in the docker CLI.
  /// Throws Error(Errc::invalid_input) naming `uri` for: ssh:// (not supported
  /// yet), any other scheme, a relative or empty unix path, an empty host, a
  /// port that is not 1-65535.
  static Endpoint parse(std::string_view uri, bool tls = false);

  /// `unix:///path` or `tcp://host:port/base` (TLS settings are not shown,
  /// so that messages read like the DOCKER_HOST the user wrote). Never fails.
  std::string str() const;

  friend bool operator==(const Endpoint&, const Endpoint&) = default;
};

} // namespace crun::transport
