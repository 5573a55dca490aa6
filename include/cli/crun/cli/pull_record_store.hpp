#pragma once
// crun-any's record of what it pulled (core/pull_record.hpp) on disk:
// $XDG_STATE_HOME/crun-any/pulls.json, else ~/.local/state/crun-any/pulls.json,
// in a directory only the user can enter. Best effort both ways: a record
// that cannot be read is empty (it can only narrow what runs offline), and
// one that cannot be written loses nothing but that convenience.

#include <crun/backends/pull_flow.hpp>
#include <crun/cli/command.hpp>
#include <crun/core/pull_record.hpp>

#include <filesystem>
#include <optional>

namespace crun::cli {

/// The record's path; std::nullopt when neither XDG_STATE_HOME nor HOME is
/// set. Never fails.
std::optional<std::filesystem::path> pull_record_path(const Env& env);

/// The record, or an empty one when it is missing, unreadable or damaged
/// (said on stderr with -v). Never throws (except std::bad_alloc).
core::PullRecord read_pull_record(const Context& ctx);

/// Adds what `pulled` left for `platform` and writes the record back
/// atomically. Never throws: a failure is said on stderr with -v.
void remember_pull(const Context& ctx, const backends::PulledImage& pulled,
                   const core::Platform& platform);

} // namespace crun::cli
