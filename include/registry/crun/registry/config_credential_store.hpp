#pragma once
// Credentials as the docker and podman CLIs store them, read in this order:
//   1. docker's config.json ($DOCKER_CONFIG/config.json, else
//      $HOME/.docker/config.json): the helper credHelpers[key] names, else
//      the credsStore helper; then auths[key] (`auth` = base64
//      "user:password", or username/password fields, and `identitytoken`);
//   2. containers' auth.json ($REGISTRY_AUTH_FILE, else
//      $XDG_RUNTIME_DIR/containers/auth.json then
//      ${XDG_CONFIG_HOME:-$HOME/.config}/containers/auth.json): auths["host/namespace..."] from
//      the most specific, then auths[host].
// The first source that has credentials wins; a helper that has none falls
// through to the next (docker itself would stop at the helper). Docker Hub's
// key in config.json is "https://index.docker.io/v1/" (docker's
// registry.IndexServer); in auth.json it is "docker.io". Keys written as
// URLs ("https://host/v2/") match their host.

#include <crun/core/env.hpp>
#include <crun/registry/credential_helper.hpp>
#include <crun/registry/credentials.hpp>
#include <crun/transport/file_reader.hpp>

#include <memory>
#include <optional>
#include <string>

namespace crun::registry {

inline constexpr std::string_view k_docker_hub_auth_key = "https://index.docker.io/v1/";

/// The key docker's config.json files `repo`'s registry under, which is also
/// the server URL a credential helper is asked for: the domain as written, or
/// k_docker_hub_auth_key for docker.io. Never fails.
std::string docker_auth_key(const core::ImageRef& repo);

class ConfigCredentialStore final : public CredentialStore {
public:
  /// Reads files through `files` and runs helpers through `helpers`, with
  /// the paths from `env`. Nothing is read until find(). Never fails.
  ConfigCredentialStore(Env env, std::shared_ptr<const transport::FileReader> files,
                        std::shared_ptr<HelperRunner> helpers);

  /// See the order above. Missing files are skipped.
  /// Throws Error(Errc::invalid_input) naming the file when a file that
  /// exists is not a JSON object, or an entry for this registry has an
  /// `auth` that is not base64 of "user:password" (the value is never
  /// quoted); and as query_credential_helper, with context naming the file
  /// that configured the helper.
  std::optional<Credentials> find(const core::ImageRef& repo) override;

private:
  std::optional<Credentials> from_docker_config(const core::ImageRef& repo) const;
  std::optional<Credentials> from_auth_file(const std::string& path,
                                            const core::ImageRef& repo) const;

  Env m_env;
  std::shared_ptr<const transport::FileReader> m_files;
  std::shared_ptr<HelperRunner> m_helpers;
};

} // namespace crun::registry
