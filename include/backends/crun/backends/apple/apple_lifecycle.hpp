#pragma once
// The lifecycle verbs over Apple's `container` CLI as data: the argument
// vectors of list, stop, delete, logs, image list and image delete, and the
// decoders of the list answers of both JSON generations (0.x and 1.x,
// tests/fixtures/apple). Apple lacks some of docker's options: the builders
// refuse them by name (Error(Errc::usage)), never drop them.

#include <crun/backends/apple/apple_args.hpp>
#include <crun/backends/lifecycle.hpp>
#include <crun/core/platform.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace crun::backends::apple {

/// `list [--all] --format json`.
Args list_args(bool all);
/// `stop [--time N] ID`.
Args stop_args(const std::string& id, std::optional<int> timeout);
/// `delete [--force] ID`. Throws Error(Errc::usage) for `volumes` (Apple's
/// delete has no -v).
Args delete_args(const std::string& id, const RemoveOptions& options);
/// `logs [--follow] [-n N] ID`. Throws Error(Errc::usage) for timestamps
/// (Apple's logs has no -t).
Args logs_args(const std::string& id, const LogsOptions& options);
/// `image list --format json`.
Args image_list_args();
/// `image delete NAME`. Throws Error(Errc::usage) for `force` (Apple's
/// --force only ignores missing images, not docker's meaning).
Args image_delete_args(const std::string& name, bool force);

/// The rows of `list --format json` (each item shaped as `inspect`'s), via
/// decode_container: Apple has no exit code, no name apart from the ID and
/// no command string apart from its process, so `exit_code` is unset and
/// `name` is the ID. Throws Error(Errc::protocol) when `doc` is not an array.
std::vector<ContainerSummary> decode_container_list(const nlohmann::json& doc);
/// The rows of `image list --format json`: 1.x items are `image inspect`'s
/// (decode_image, its variant for `native`); 0.x items are {reference,
/// fullSize (text), descriptor}, whose size is unknown (0). `id` is
/// "sha256:" + the local index digest, `repo_digests` the reference's
/// repository at the variant's digest where 1.x tells it. Throws
/// Error(Errc::protocol) when `doc` is not an array.
std::vector<ImageSummary> decode_image_list(const nlohmann::json& doc,
                                            const core::Platform& native);

} // namespace crun::backends::apple
