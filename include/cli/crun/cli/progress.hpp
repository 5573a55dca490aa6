#pragma once
// How `pull` (and `run`'s implicit pull) shows progress on stderr: bars on a
// terminal, one line per layer status change in logs, JSON events for tools,
// or nothing. Renderers only write; they never read input or prompt, so they
// work with no terminal attached. The event model is core/pull_events.hpp.

#include <crun/core/pull_events.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace crun::cli {

/// The `--progress` flag. `auto_` (trailing underscore: `auto` is a keyword)
/// becomes tty or plain once we know whether stderr is a terminal.
enum class ProgressMode { auto_, tty, plain, json, none };

/// Parses a `--progress` value: auto, tty, plain, json or none (exact,
/// lower-case). Throws Errc::usage naming the value and listing these.
ProgressMode parse_progress_mode(std::string_view text);

/// The flag spelling of `mode`: "auto", "tty", "plain", "json", "none".
std::string_view progress_mode_name(ProgressMode mode) noexcept;

/// Every spelling parse_progress_mode accepts, in the order above (what the
/// shell completions offer).
std::vector<std::string_view> progress_mode_names();

/// `auto_` → tty when `err_is_tty` and the terminal is not `dumb_terminal`
/// (TERM=dumb cannot move the cursor), else plain; any other mode unchanged
/// (an explicit `--progress tty` into a pipe is honoured). Never fails.
ProgressMode resolve_progress_mode(ProgressMode mode, bool err_is_tty,
                                   bool dumb_terminal = false) noexcept;

/// Receives a pull's events in order and shows them. Methods throw only what
/// the ostream throws (nothing, unless the caller enabled exceptions on it).
class ProgressRenderer {
public:
  virtual ~ProgressRenderer() = default;
  /// Shows `event`. Error events are drawn as state (tty) or emitted (json)
  /// but not printed as text by tty/plain: the caller turns them into the
  /// crun::Error that main prints once.
  virtual void on_event(const core::PullEvent& event) = 0;
  /// The pull is over: draws the final state and reports `digest` (empty when
  /// unknown). Call it on success; on failure it may be skipped. A second
  /// call does nothing.
  virtual void finish(const std::string& digest) = 0;
};

/// Time source of the tty renderer's throttle; tests pass a fake one.
using ProgressClock = std::function<std::chrono::steady_clock::time_point()>;

/// The tty renderer redraws at most this often, whatever the event rate and
/// kind (layer updates and status lines alike; an error and finish() draw at
/// once, as they end the pull).
inline constexpr std::chrono::milliseconds k_progress_redraw_interval{100};

/// Columns of the terminal the tty renderer draws on, asked before every
/// redraw so that a resize is honoured; 0 when unknown (80 is assumed).
using TerminalWidth = std::function<unsigned()>;

/// What a renderer knows of where it writes.
struct ProgressOutput {
  bool err_is_tty = false;    ///< `err` is a terminal: auto means tty
  bool dumb_terminal = false; ///< TERM=dumb: auto means plain
  bool color = false;         ///< colour_choice.hpp's use_color() for `err`
  ProgressClock clock{};      ///< defaults to std::chrono::steady_clock::now
  TerminalWidth width{};      ///< defaults to 80 columns
};

/// A renderer for `mode` (auto_ resolved by resolve_progress_mode) writing to
/// `err`:
/// - tty: a line per layer (`c6a83fedfae6: Downloading [=====>   ]  1.05MB/3.62MB`)
///   redrawn in place with ANSI cursor moves, at most once per
///   k_progress_redraw_interval; status lines above/between, as docker does;
///   `color` adds green to finished layers; finish() shows every layer as
///   "Pull complete" (the pull succeeded, whatever the engine last said). Every row that is redrawn
///   is cut to one column less than `width` so that it never wraps (a wrapped row would make the
///   cursor-up count wrong); the bar takes about 3/8 of the width (30 columns of 80, at most 50)
///   and is dropped first when a row does not fit, then the row's end is cut. Lines that are never
///   redrawn (status lines above the first layer, the final screen) are not cut.
/// - plain: one line per layer status change and per status line; no ANSI,
///   no byte counters, so logs are stable.
/// - json: one JSON object per line per event (docs/progress-json.md).
/// - none: writes nothing.
/// Engine text is stripped of control characters before it reaches `err`.
/// Never fails.
std::unique_ptr<ProgressRenderer> make_progress_renderer(ProgressMode mode, std::ostream& err,
                                                         ProgressOutput output);

} // namespace crun::cli
