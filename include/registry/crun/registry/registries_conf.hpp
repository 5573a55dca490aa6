#pragma once
// Which registries the user marked insecure, in containers' registries.conf
// (containers-registries.conf(5)), the file Podman reads: version 2's
// `[[registry]]` tables (`prefix` or `location`, `insecure = true`), the
// table with the longest matching prefix deciding, and version 1's
// `[registries.insecure] registries = [...]`. An insecure registry is spoken
// to as Docker and Podman do: HTTPS without verifying the certificate, then
// plain HTTP when HTTPS fails. The drop-in directories (registries.conf.d)
// are not read yet: a FileReader cannot list a directory.

#include <crun/core/env.hpp>
#include <crun/core/image_ref.hpp>
#include <crun/transport/file_reader.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace crun::registry {

struct RegistryRule {
  std::string prefix{}; ///< "host[:port][/namespace...]" or "*.example.com"
  bool insecure = false;
  std::string source{}; ///< the file it came from, for messages
};

/// The rules in the registries.conf `text` (read from `source`), in the
/// order written. Lines it cannot read are skipped (Podman refuses such a
/// file; crun-any only peeks at it). Never fails.
std::vector<RegistryRule> read_registries_conf(std::string_view text, const std::string& source);

/// The file the engines would read for `env`'s user: CONTAINERS_REGISTRIES_CONF
/// when set; else $XDG_CONFIG_HOME (or ~/.config)/containers/registries.conf
/// when it exists; else /etc/containers/registries.conf. Then its rules. A
/// missing file is no rule. Never fails.
std::vector<RegistryRule> load_registry_rules(const Env& env, const transport::FileReader& files);

/// The rule for `ref` ("host[:port]/path" against each prefix; a wildcard
/// "*.example.com" matches the host's subdomains): the longest match, or
/// nullptr. Never fails.
const RegistryRule* rule_for(const core::ImageRef& ref, const std::vector<RegistryRule>& rules);

} // namespace crun::registry
