#pragma once
// `--cidfile FILE`: the container's ID, written once it is created, into a
// file that must not exist yet (as docker does; the file is left behind
// after the run, as docker leaves it).

#include <string>

namespace crun::backends {

/// Throws Error(Errc::usage) naming `path` when it exists already: another
/// run may own it. Checked before anything is created.
void check_cidfile_absent(const std::string& path);

/// Creates `path` (it must not exist) holding `id`. Throws Error(Errc::file_error)
/// naming the file when it cannot.
void write_cidfile(const std::string& path, const std::string& id);

} // namespace crun::backends
