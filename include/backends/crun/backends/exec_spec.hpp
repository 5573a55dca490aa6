#pragma once
// What `crun-any exec` asks of an engine: a new process in a running
// container, with docker exec's options (docs/engine-apis.md, exec).

#include <string>
#include <vector>

namespace crun::backends {

struct ExecSpec {
  std::string container;            ///< a name or ID, as the user gave it
  std::vector<std::string> command; ///< the process and its arguments; never empty
  std::vector<std::string> env;     ///< "K=V" entries, already resolved (-e K from here)
  std::string user;                 ///< -u name|uid[:gid]; empty: the container's
  std::string workdir;              ///< -w; empty: the container's
  bool interactive = false;         ///< -i: forward stdin, then close it
  bool tty = false;                 ///< -t: give the process a terminal
  bool detach = false;              ///< -d: start it and return at once
};

} // namespace crun::backends
