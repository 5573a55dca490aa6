#pragma once
// Closing every inherited descriptor in a freshly forked child (between fork
// and exec), so a child started by a process runner inherits only its pipes.

namespace crun::util {

/// Closes every descriptor from 3 up, except `keep`; `limit` bounds the
/// search where the system has no faster way (compute it before fork:
/// sysconf is not async-signal-safe). Async-signal-safe: for use between
/// fork and exec. Never fails.
void close_descriptors_except(int keep, int limit) noexcept;

} // namespace crun::util
