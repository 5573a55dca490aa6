#pragma once
// The user's terminal: raw mode for `run -t`, and its size. POSIX termios
// and TIOCGWINSZ: Linux and macOS.

#include <termios.h>

#include <optional>

namespace crun::cli {

struct WindowSize {
  unsigned rows = 0;
  unsigned cols = 0;
};

/// The size of the terminal on `fd`; std::nullopt when `fd` is no terminal.
/// Never fails.
std::optional<WindowSize> window_size(int fd);

/// Puts the terminal on `fd` in raw mode and restores its settings when
/// restored or destroyed, on every exit path. Does nothing when `fd` is no
/// terminal. Never throws.
class RawMode {
public:
  RawMode() = default;
  ~RawMode() { restore(); }
  RawMode(const RawMode&) = delete;
  RawMode& operator=(const RawMode&) = delete;

  void enter(int fd);
  void restore() noexcept;

private:
  int m_fd = -1;
  termios m_saved{};
};

} // namespace crun::cli
