#pragma once
// Apple's `container image inspect` and `container inspect` output decoded
// into the unified model (model.hpp, docs/inspect-schema.md). The shape is
// recognised by its content, not trusted from the version, so a 0.x
// and a 1.x answer are both read: 1.x prints sorted keys and ISO-8601 dates
// (`{configuration, id, variants}`, `{configuration, id, status:{state}}`);
// 0.5-0.12 printed `{name, index, variants[{platform, config, size}]}` and
// `{status: "running", configuration, networks, startedDate}` with dates in
// seconds since 2001-01-01. Pure.

#include <crun/backends/model.hpp>
#include <crun/core/platform.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crun::backends::apple {

/// The platforms an image inspect object holds locally, without the
/// `unknown/unknown` attestation entries. Never fails.
std::vector<core::Platform> image_platforms(const nlohmann::json& image);

/// Decodes the first object of `image inspect`'s array; std::nullopt for an
/// empty array (0.x's answer for a missing image). `asked` is the name
/// looked up; `preferred` picks the variant described (its platform,
/// config, size and digest) when the image holds several, else the first
/// one. `digest` is the manifest digest of that variant (`variants[].digest`;
/// a single-manifest image sits behind a local index whose digest is
/// local-only), or the digest in `asked` when it names one; `id` is
/// "sha256:" + Apple's local index digest. Throws Error(Errc::protocol) when
/// `doc` is not an array of objects.
std::optional<ImageInfo> decode_image(const nlohmann::json& doc, std::string_view asked,
                                      const std::optional<core::Platform>& preferred);

/// Decodes the first object of `inspect`'s array; std::nullopt for an empty
/// array (0.x's answer for a missing ID). Apple has no exit code and no
/// name apart from the ID: `name` is the ID, state running/stopped become
/// running/exited, and `state.exit_code_known` is false. Throws
/// Error(Errc::protocol) when `doc` is not an array of objects.
std::optional<ContainerInfo> decode_container(const nlohmann::json& doc);

/// RFC 3339 ("2001-01-01T00:00:00Z") of a Foundation date: seconds since
/// 2001-01-01 UTC, as 0.x encoded them. Never fails.
std::string date_from_reference_seconds(double seconds);

} // namespace crun::backends::apple
