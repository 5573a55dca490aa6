#pragma once
// What the registry serves for a tag now, as a lock entry: used by `lock`
// to write entries, by `lock --check` to compare, and by `verify`.

#include <crun/core/lock_file.hpp>
#include <crun/registry/registry_client.hpp>

#include <vector>

namespace crun::cli {

/// Resolves the tag `ref` at the registry: its digest, whether it is an
/// index or a single manifest, and the manifest digest of each platform in
/// `only` (each must exist), or of every platform it serves when `only` is
/// empty (an index's entries without a platform are skipped; a single
/// manifest's platform is read from its config).
/// Throws as RegistryClient::resolve and config_platform;
/// Error(Errc::not_found) for a platform of `only` the registry lacks,
/// listing those it has; Error(Errc::usage) for a reference with a digest
/// (a lock records what a tag resolves to).
core::LockedImage resolve_lock_entry(registry::RegistryClient& client, const core::ImageRef& ref,
                                     const std::vector<core::Platform>& only);

/// The config digest of the manifest `manifest` of `ref`'s repository: the
/// ID an engine gives the image. Throws as RegistryClient::resolve;
/// Error(Errc::protocol) when `manifest` is an index.
core::Digest config_digest(registry::RegistryClient& client, const core::ImageRef& ref,
                           const core::Digest& manifest);

} // namespace crun::cli
