#pragma once
// Private to the progress*.cpp files: the concrete renderers behind
// make_progress_renderer() and the text helpers they share.

#include <crun/cli/progress.hpp>

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>

namespace crun::cli::progress_detail {

std::unique_ptr<ProgressRenderer> make_tty_renderer(std::ostream& err, bool color,
                                                    ProgressClock clock, TerminalWidth width);
std::unique_ptr<ProgressRenderer> make_plain_renderer(std::ostream& err);
std::unique_ptr<ProgressRenderer> make_json_renderer(std::ostream& err);

/// Bytes as docker shows them, decimal units, 3 significant digits:
/// 512B, 1.05MB, 12.3MB, 123MB.
std::string human_size(std::int64_t bytes);

/// `text` safe to write to a terminal or log: C0/C1 control characters
/// (escape sequences an engine or registry could inject) become '?', tabs
/// become spaces. Other UTF-8 is kept as is.
std::string printable(std::string_view text);

} // namespace crun::cli::progress_detail
