#pragma once
// The real RunConsole: crun-any's own stdin, stdout, stderr, terminal and
// signals, pumped by two threads (container output out; stdin in) with flat
// memory: one fixed buffer each, whatever the size of the output.

#include <crun/backends/run_sequence.hpp>

#include <memory>
#include <ostream>

namespace crun::cli {

/// A console over the file descriptors `in`, `out` and `err` (0, 1, 2 in
/// crun-any); diagnostics also go to `err`. Never fails to construct.
std::unique_ptr<backends::RunConsole> make_posix_console(int in = 0, int out = 1, int err = 2);

} // namespace crun::cli
