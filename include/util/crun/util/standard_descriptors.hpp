#pragma once
// Descriptors 0, 1 and 2 held from the start, so that no descriptor the
// process opens later (a pipe, an eventfd, a socket) lands on one of them:
// a stdin closed at start would otherwise read from crun-any's own pipes,
// and output meant for stdout would go into one.

namespace crun::util {

/// Opens /dev/null on each of 0, 1 and 2 that is closed: read-only on all
/// three, so that stdin reads end of file at once and a write to a stdout
/// or stderr that was closed still fails (EBADF), as it would have, rather
/// than vanish. Call first thing in main(), before any other descriptor is
/// opened. Never fails: a descriptor it cannot fill stays closed.
void reserve_standard_descriptors() noexcept;

} // namespace crun::util
