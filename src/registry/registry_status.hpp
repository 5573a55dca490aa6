#pragma once
// Private to src/registry: the words for a registry's error answers
// (distribution spec, "Error Codes": {"errors":[{"code","message","detail"}]}).

#include "http_fetch.hpp"

#include <crun/core/image_ref.hpp>

#include <string>
#include <string_view>

namespace crun::registry::detail {

/// The first error's message from a registry error `body` ("manifest
/// unknown"), else its code lower-cased, else ""; at most 200 characters.
/// Never fails.
std::string registry_error_detail(std::string_view body);

/// Throws the Error for a status that is neither success nor 404/401, while
/// fetching `what` ("the manifest of 127.0.0.1:5857/x:1") from `repo`'s
/// registry: Error(Errc::engine_error) naming the registry, the status, the
/// registry's own message and, for 403 and 429, what to do.
[[noreturn]] void fail_status(const core::ImageRef& repo, std::string_view what,
                              const FetchResponse& response);

} // namespace crun::registry::detail
