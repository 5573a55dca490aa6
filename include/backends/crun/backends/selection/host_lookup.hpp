#pragma once
// The few questions backend selection asks the machine besides its
// environment and files: which executables are on PATH, whether a socket
// file is there, where a symlink leads. Behind an interface so that
// selection stays pure and is unit-tested over a fake machine.

#include <crun/core/env.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace crun::backends::selection {

/// The operating systems whose default sockets differ.
enum class HostOs { linux_os, macos };

/// The OS this binary was built for. Never fails.
HostOs current_host_os() noexcept;

class HostLookup {
public:
  virtual ~HostLookup() = default;
  /// The absolute path of the executable `name` found in PATH, as execvp
  /// would find it but in absolute PATH entries only (util/path_lookup.hpp);
  /// std::nullopt when there is none. Never throws.
  virtual std::optional<std::string> find_executable(std::string_view name) const = 0;
  /// Whether something (a socket, a file) exists at `path`; a dangling
  /// symlink does not count. Never throws.
  virtual bool exists(const std::string& path) const = 0;
  /// `path` with every symlink resolved, so that two names of one socket
  /// compare equal (/var/run/docker.sock -> /run/docker.sock); `path` itself
  /// when it cannot be resolved. Never throws.
  virtual std::string canonical(const std::string& path) const = 0;
  /// The real user ID of this process. Never throws.
  virtual unsigned user_id() const = 0;
};

/// The real machine: PATH from `env` (execvp's default when unset), the
/// file system, getuid().
class SystemHostLookup final : public HostLookup {
public:
  explicit SystemHostLookup(const Env& env) : m_env(env) {}
  std::optional<std::string> find_executable(std::string_view name) const override;
  bool exists(const std::string& path) const override;
  std::string canonical(const std::string& path) const override;
  unsigned user_id() const override;

private:
  const Env& m_env;
};

} // namespace crun::backends::selection
