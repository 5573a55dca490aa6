#include <crun/registry/registry_tls.hpp>

#include <fmt/format.h>

namespace crun::registry {

namespace {

constexpr std::string_view k_docker_root = "/etc/docker/certs.d";
constexpr std::string_view k_containers_root = "/etc/containers/certs.d";

bool exists(const transport::FileReader& files, const std::string& path)
{
  return files.read(path).has_value();
}

} // namespace

TlsSources default_tls_sources(const Env& env)
{
  TlsSources sources;
  std::string config_home;
  if (auto xdg = env.get("XDG_CONFIG_HOME"); xdg && xdg->starts_with('/')) {
    config_home = *xdg;
  } else if (auto home = env.get("HOME"); home && home->starts_with('/')) {
    config_home = *home + "/.config";
  }
  // Podman looks in the user's directory before the system's; rootless
  // dockerd in $XDG_CONFIG_HOME/docker/certs.d instead of /etc/docker/certs.d
  // (moby's registry.CertsDir; ~/.docker/certs.d is not read for
  // registries). Taking every CA found is the union of what the engines trust.
  if (!config_home.empty()) {
    sources.certs_d_roots.push_back(config_home + "/containers/certs.d");
  }
  sources.certs_d_roots.emplace_back(k_containers_root);
  sources.certs_d_roots.emplace_back("/usr/share/containers/certs.d"); // the distribution's
  if (!config_home.empty()) {
    sources.certs_d_roots.push_back(config_home + "/docker/certs.d");
  }
  sources.certs_d_roots.emplace_back(k_docker_root);
  if (auto bundle = env.get("SSL_CERT_FILE"); bundle && !bundle->empty()) {
    sources.ssl_cert_file = *bundle;
  }
  return sources;
}

RegistryTls find_registry_tls(std::string_view authority, const TlsSources& sources,
                              const transport::FileReader& files)
{
  RegistryTls tls;
  // A name that could leave the root is no directory of it.
  bool usable = !authority.empty() && authority.find('/') == std::string_view::npos &&
                authority != "." && authority != "..";
  for (const auto& root : sources.certs_d_roots) {
    if (!usable) {
      break;
    }
    std::string dir = root + "/" + std::string(authority);
    if (exists(files, dir + "/ca.crt")) {
      tls.ca_files.push_back(dir + "/ca.crt");
    }
    if (tls.cert_file.empty() && exists(files, dir + "/client.cert") &&
        exists(files, dir + "/client.key")) {
      tls.cert_file = dir + "/client.cert";
      tls.key_file = dir + "/client.key";
    }
  }
  if (!sources.ssl_cert_file.empty()) {
    tls.ca_files.push_back(sources.ssl_cert_file);
  }
  return tls;
}

std::string ca_placement_hint(std::string_view authority)
{
  return fmt::format("{0}/{2}/ca.crt or {1}/{2}/ca.crt (or a bundle named by SSL_CERT_FILE)",
                     k_docker_root, k_containers_root, authority);
}

} // namespace crun::registry
