#pragma once
// What the lifecycle commands (ps, images, stop, rm, rmi, wait, logs) share:
// their rows printed as docker prints them (a table, IDs only, one
// template per row, or JSON lines), and the walk over the names a user gave,
// where a missing one is an error line and exit 1 without stopping the rest.

#include <crun/cli/command.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace crun::cli {

/// Docker's short ID: the first 12 hex digits, without "sha256:". Never
/// fails.
std::string short_id(std::string_view id);

/// How long ago `then` (seconds since the epoch) was, as docker says it:
/// "3 seconds ago", "About a minute ago", "2 hours ago". Never fails.
std::string human_ago(std::int64_t then, std::int64_t now);

/// A byte count as docker prints it: "1.98MB", "69.1MB" (SI units, three
/// significant digits). Never fails.
std::string human_size(std::int64_t bytes);

/// Lays out `rows` under `header` in columns three spaces apart, as docker's
/// tables. Never fails.
std::string render_table(const std::vector<std::string>& header,
                         const std::vector<std::vector<std::string>>& rows);

/// Prints `rows` (the inspect-schema objects) with `format`: "json" gives one
/// compact object per line, anything else is a template per row
/// (format_template.hpp). Throws as core::render_template (Errc::usage for a
/// bad template).
void print_formatted(std::ostream& out, std::string_view format,
                     const std::vector<nlohmann::json>& rows);

/// Calls `act` for each of `names` in order; `act` returns false when the
/// engine has no such `what` (container, image), which prints "crun-any:
/// error: no such <what>: NAME" on ctx.io.err. Returns exit 0 when all were
/// found, else 1. Errors `act` throws end the walk and propagate.
int for_each_name(Context& ctx, const std::vector<std::string>& names, std::string_view what,
                  const std::function<bool(const std::string&)>& act);

} // namespace crun::cli
