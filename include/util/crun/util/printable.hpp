#pragma once
// Text from outside (a reference typed by a user, an engine's message) made
// safe to show on a terminal: still valid UTF-8, and unable to move the
// cursor, change colours or set the window title.

#include <string>
#include <string_view>

namespace crun::util {

/// `text` with each byte that would not print as itself written as "\xHH"
/// (lower-case hex): every byte of an invalid UTF-8 sequence (a stray
/// continuation byte, an overlong form, a surrogate, a code point above
/// U+10FFFF, a sequence cut short), C0 controls but '\n' and '\t' (ESC is
/// "\x1b"), DEL, and C1 controls (U+0080-U+009F, both of their bytes). Valid
/// UTF-8 otherwise passes unchanged, a backslash too. Never fails.
std::string escape_unprintable(std::string_view text);

} // namespace crun::util
