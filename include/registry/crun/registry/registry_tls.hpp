#pragma once
// A registry's own TLS trust, found where the engines keep it, so that
// crun-any trusts what `docker pull` and `podman pull` trust: a private CA
// in certs.d/<host[:port]>/ca.crt (docker: /etc/docker/certs.d, and
// ~/.config/docker/certs.d when rootless; containers: ~/.config/containers/
// certs.d, /etc/containers/certs.d, /usr/share/containers/certs.d), a client certificate there as
// client.cert + client.key, and the bundle SSL_CERT_FILE names. Every CA found
// is added to the system's trust store, never replacing it: verification
// stays on. Only the conventional names are read (the engines also take any
// *.crt, and any *.cert/*.key pair): a FileReader cannot list a directory.

#include <crun/core/env.hpp>
#include <crun/transport/file_reader.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace crun::registry {

struct TlsSources {
  std::vector<std::string> certs_d_roots{}; ///< searched in order: "/etc/docker/certs.d", ...
  std::string ssl_cert_file{};              ///< SSL_CERT_FILE, or ""
};

/// The engines' certs.d roots for the user in `env` (containers' user and
/// system roots, rootless docker's, docker's; the user's only when HOME or
/// XDG_CONFIG_HOME is set) and SSL_CERT_FILE. Never fails.
TlsSources default_tls_sources(const Env& env);

struct RegistryTls {
  std::vector<std::string> ca_files{}; ///< trusted besides the system's store
  std::string cert_file{};             ///< client certificate, or ""
  std::string key_file{};              ///< its key, or ""
};

/// The TLS files for the registry at `authority` ("host" or "host:port", as
/// in the image reference; the port is part of the directory's name): every
/// root's <authority>/ca.crt that exists, SSL_CERT_FILE when set, and the
/// client.cert + client.key of the first root that has both. Pure over
/// `files`. Never fails.
RegistryTls find_registry_tls(std::string_view authority, const TlsSources& sources,
                              const transport::FileReader& files);

/// Where to put a CA for `authority`, for a message: "/etc/docker/certs.d/
/// <authority>/ca.crt or /etc/containers/certs.d/<authority>/ca.crt (or a
/// bundle named by SSL_CERT_FILE)". Never fails.
std::string ca_placement_hint(std::string_view authority);

} // namespace crun::registry
