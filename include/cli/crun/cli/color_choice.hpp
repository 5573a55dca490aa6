#pragma once
// Terminal conventions (docs/progress.md, "Colour and terminals"): whether
// crun-any colours its output and whether it may move the cursor, decided
// from the flag, the environment and whether the stream is a terminal. Pure:
// the caller passes the environment snapshot and the isatty answer.

#include <crun/core/env.hpp>

namespace crun::cli {

/// True when output to a stream colours it. In order, the first rule that
/// applies decides:
/// 1. `--no-color` (`no_color_flag`) or NO_COLOR set and non-empty: off;
/// 2. CLICOLOR_FORCE set, non-empty and not "0": on, even into a pipe;
/// 3. CLICOLOR=0: off;
/// 4. TERM=dumb: off;
/// 5. otherwise on exactly when the stream `is_tty`.
/// Throws only std::bad_alloc.
bool use_color(bool no_color_flag, const Env& env, bool is_tty);

/// True when TERM is "dumb": a terminal that cannot move the cursor or clear
/// a line, so `--progress auto` picks plain output. Never fails.
bool is_dumb_terminal(const Env& env);

} // namespace crun::cli
