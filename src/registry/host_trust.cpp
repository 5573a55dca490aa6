#include "host_trust.hpp"

namespace crun::registry::detail {

HostTrust::HostTrust(TlsSources sources, std::shared_ptr<const transport::FileReader> files)
  : m_sources(std::move(sources)), m_files(std::move(files))
{
  if (!m_files) {
    m_files = std::make_shared<transport::DiskFileReader>();
  }
}

transport::Endpoint HostTrust::endpoint(const HttpUrl& url)
{
  transport::Endpoint endpoint = url.endpoint();
  if (!url.tls) {
    return endpoint;
  }
  std::string authority = url.authority();
  auto it = m_found.find(authority);
  if (it == m_found.end()) {
    it = m_found.emplace(authority, find_registry_tls(authority, m_sources, *m_files)).first;
  }
  endpoint.extra_ca_files = it->second.ca_files;
  endpoint.cert_file = it->second.cert_file;
  endpoint.key_file = it->second.key_file;
  return endpoint;
}

} // namespace crun::registry::detail
