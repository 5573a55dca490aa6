#pragma once
// Private to src/registry: how a RegistryClient connects to each host it
// meets (registry, token server, CDN): the URL's endpoint with the TLS files
// the engines' conventions give that host (registry_tls.hpp), looked up once
// per host for the client's life.

#include <crun/registry/http_url.hpp>
#include <crun/registry/registry_tls.hpp>
#include <crun/transport/endpoint.hpp>
#include <crun/transport/file_reader.hpp>

#include <map>
#include <memory>
#include <string>

namespace crun::registry::detail {

class HostTrust {
public:
  /// `files` may be null: the real file system. Never fails.
  HostTrust(TlsSources sources, std::shared_ptr<const transport::FileReader> files);

  /// `url`'s endpoint, over TLS with its host's CA files and client
  /// certificate when `url` is https. Never fails.
  transport::Endpoint endpoint(const HttpUrl& url);

private:
  TlsSources m_sources;
  std::shared_ptr<const transport::FileReader> m_files;
  std::map<std::string, RegistryTls> m_found; ///< by authority
};

} // namespace crun::registry::detail
