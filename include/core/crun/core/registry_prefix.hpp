#pragma once
// One entry of a policy's `allowed_registries`: a registry host, or a host
// and a path prefix, matched on whole name components. A plain string prefix
// is the bug Gatekeeper's K8sAllowedRepos had (`ghcr.io` admitted
// `ghcr.io.evil.com`); here `ghcr.io` admits only names whose domain is
// exactly ghcr.io (not `ghcr.io:444`, not `ghcr.io-x`), and `ghcr.io/team`
// admits `ghcr.io/team` and `ghcr.io/team/...`, never `ghcr.io/teamx`.
// Names are compared as normalised (image_ref.hpp): `alpine` is
// `docker.io/library/alpine`, `index.docker.io` is `docker.io`. Hosts compare
// case-insensitively (DNS does), paths exactly (registries do).

#include <crun/core/image_ref.hpp>
#include <crun/core/parsed.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace crun::core {

class RegistryPrefix {
public:
  /// Parses "host[:port][/path...]": the host as a reference's domain
  /// (it must contain "." or ":" or be "localhost", so that `library` or
  /// `team` is not silently read as a Docker Hub path), the path as
  /// reference path components.
  /// Throws Error(Errc::invalid_input) naming `text` when it is empty, has
  /// surrounding or inner spaces, a scheme ("https://"), a trailing or
  /// doubled "/", a wildcard, a tag or digest, an uppercase path, or a first
  /// component that is no registry host.
  static RegistryPrefix parse(std::string_view text);
  /// As parse(), without throwing. Never throws (except std::bad_alloc).
  static Parsed<RegistryPrefix> try_parse(std::string_view text);

  /// Lowercased, "index.docker.io" as "docker.io": "ghcr.io", "localhost:5000".
  const std::string& host() const noexcept { return m_host; }
  /// The path prefix, empty for a whole host: "team", "library". Never fails.
  const std::string& path() const noexcept { return m_path; }
  /// host() or host()/path(). Never fails.
  std::string str() const;

  /// Whether `ref`'s repository is this host (and under this path, on a
  /// component boundary). Never fails.
  bool admits(const ImageRef& ref) const;
  /// Whether every name `other` admits, this admits too: `ghcr.io` contains
  /// `ghcr.io/team`. Never fails.
  bool contains(const RegistryPrefix& other) const;

  bool operator==(const RegistryPrefix&) const = default;

private:
  RegistryPrefix() = default;

  std::string m_host;
  std::string m_path;
};

/// The names both lists admit, as a list: each entry of one list contained
/// in an entry of the other (`[ghcr.io]` and `[ghcr.io/team, quay.io]` give
/// `[ghcr.io/team]`); empty when they share nothing. An entry contained in
/// another of the result is dropped. Never fails.
std::vector<RegistryPrefix> intersect_prefixes(const std::vector<RegistryPrefix>& first,
                                               const std::vector<RegistryPrefix>& second);

} // namespace crun::core
