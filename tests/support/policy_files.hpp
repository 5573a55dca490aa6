// Test support for the policy suites: policy files written where crun-any
// looks for them (a project's .crun-any.json, a user config's "policy", an
// override file), a seam root for CRUN_ANY_TEST_ROOT (the admin file and
// binfmt_misc under a directory of the test's own), a loopback listener that
// proves no connection was made, and tags copied inside the bench registry.
#pragma once

#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace crun::test {

// Writes `text` to `path` (parents created 0755), then chmods it to `mode`
// (explicitly, whatever the umask). A test failure when it cannot.
void write_file(const std::string& path, const std::string& text, mode_t mode = 0644);

// The environment variables through which a policy could reach crun-any from
// the test's own environment: unset by every policy suite.
extern const std::vector<std::string> k_policy_variables;

// A directory for CRUN_ANY_TEST_ROOT: <root>/etc/crun-any (root-owned 0755,
// as the admin check requires) and, when asked, <root>/proc/sys/fs/binfmt_misc.
// crun-any reads them only while the real /etc/crun-any/policy.json is absent.
class SeamRoot {
public:
  SeamRoot();

  const std::string& path() const { return m_dir.path(); }
  std::string admin_dir() const { return path() + "/etc/crun-any"; }
  std::string admin_file() const { return admin_dir() + "/policy.json"; }
  std::string binfmt_dir() const { return path() + "/proc/sys/fs/binfmt_misc"; }
  // "CRUN_ANY_TEST_ROOT=<root>", for ProcessOptions::env_set.
  std::string env() const { return "CRUN_ANY_TEST_ROOT=" + path(); }

  // The admin policy: `text` with `mode`.
  void write_admin(const std::string& text, mode_t mode = 0644) const;
  // A binfmt_misc with only its `status` file ("enabled"): no emulator registered.
  void binfmt_without_emulators() const;

private:
  TempDir m_dir{"crun-seam"};
};

// Where one test's crun-any calls live: a working directory of their own
// (work(), where a project's .crun-any.json and crun-any.lock are found) and
// a user config directory (XDG_CONFIG_HOME), both empty until written.
class PolicyWorld {
public:
  PolicyWorld();

  std::string work() const { return m_dir.path() + "/work"; }
  std::string config_home() const { return m_dir.path() + "/config"; }
  std::string project_file() const { return work() + "/.crun-any.json"; }
  std::string user_config() const { return config_home() + "/crun-any/config.json"; }
  std::string lock_file() const { return work() + "/crun-any.lock"; }
  // <dir>/<name>, outside work(): where override files go.
  std::string file(const std::string& name) const { return m_dir.path() + "/" + name; }

  void write_project(const std::string& policy) const { write_file(project_file(), policy); }
  // The user config {"policy": <policy>}.
  void write_user(const std::string& policy) const;
  // <dir>/<name> holding `policy`; its path.
  std::string write_override(const std::string& name, const std::string& policy) const;

  // cwd work(), XDG_CONFIG_HOME config_home(), none of k_policy_variables,
  // plus env ("K=V").
  ProcessOptions options(const std::vector<std::string>& env = {}) const;

private:
  TempDir m_dir{"crun-pol"};
};

// Whether `result` is a policy refusal as a user sees it: exit `code` (3, or
// 125 for run), "crun-any: error: refused by the policy" on stderr, and the
// violation of `rule` naming `file` among the files that set it: "<rule>
// (set by <file>)", also "(set by <other> and <file>)" or "<rule>: <value>
// (set by <file>)".
::testing::AssertionResult refused_by(const ProcessResult& result, int code,
                                      const std::string& rule, const std::string& file);

// Lines of `text` that contain `needle`.
std::vector<std::string> lines_with(const std::string& text, const std::string& needle);

// Whether the real admin file exists (then the seam is ignored, by design).
bool real_admin_policy_exists();

// A TCP socket listening on 127.0.0.1 that never answers: an image named
// 127.0.0.1:<port()>/... points a client at it, and connections() says
// whether one ever came (accepted without blocking, then closed).
class Listener {
public:
  Listener();
  ~Listener();
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  std::uint16_t port() const { return m_port; }
  std::string host() const { return "127.0.0.1:" + std::to_string(m_port); }
  // Connections that arrived so far (each accepted and closed).
  int connections();

private:
  int m_fd = -1;
  std::uint16_t m_port = 0;
  int m_seen = 0;
};

// Points <repo>:<to_tag> of the bench registry at what <repo>:<from> names,
// byte for byte (GET then PUT of the manifest, with its media type); the
// digest the registry serves for it. A test failure when it cannot.
std::string copy_registry_tag(const std::string& repo, const std::string& from,
                              const std::string& to_tag);

} // namespace crun::test
