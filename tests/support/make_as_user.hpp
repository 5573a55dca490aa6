#pragma once
// `make` as an ordinary user (not root) against a bench engine, as a
// developer runs a Makefile from contrib/: in a tree that user owns, with
// crun-any reaching the engine through a socket that user may open. What
// contrib_makefile_test and contrib_crun_any_mk_test share.

#include "support/fault_proxy.hpp"
#include "support/process.hpp"

#include <sys/types.h>

#include <string>
#include <vector>

namespace crun::test {

class MakeAsUser {
public:
  /// An unprivileged uid:gid that owns nothing on the machine.
  static constexpr uid_t k_user = 4321;
  static constexpr gid_t k_group = 4322;

  /// `host` is the bench engine's unix:// endpoint, `backend` its name;
  /// `tree` the project directory (made 0755 and owned by the user). The
  /// engine's socket is root's: a pass-through proxy (its fault matches no
  /// request) gives the user one it may open. Throws when the proxy cannot
  /// listen.
  MakeAsUser(const std::string& host, const std::string& backend, std::string tree);

  /// `crun-any --backend B --host PROXY`: the CRUN_ANY a Makefile is given.
  const std::string& crun_any() const { return m_crun_any; }

  /// `make -s -C TREE ARGS...` as the user (setpriv), with HOME in the tree,
  /// no engine variables and NO_COLOR=1; at most 120 s.
  ProcessResult make(const std::vector<std::string>& args) const;

private:
  FaultProxy m_proxy;
  std::string m_tree;
  std::string m_crun_any;
};

} // namespace crun::test
