#pragma once
// A snapshot of the process environment, taken once in main and passed down
// (util::environment_variables),
// so that every decision that depends on environment variables is pure and
// testable with a hand-made Env.

#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace crun {

class Env {
public:
  Env() = default;
  explicit Env(std::map<std::string, std::string, std::less<>> vars) : m_vars(std::move(vars)) {}
  Env(std::initializer_list<std::pair<const std::string, std::string>> vars) : m_vars(vars) {}

  /// The value of `name`; std::nullopt when unset. An empty value counts as
  /// unset, as the docker and podman CLIs treat DOCKER_HOST= and friends.
  std::optional<std::string> get(std::string_view name) const;
  /// The value of `name`, or `fallback` when unset or empty.
  std::string get_or(std::string_view name, std::string_view fallback) const;
  void set(std::string name, std::string value) { m_vars[std::move(name)] = std::move(value); }
  const std::map<std::string, std::string, std::less<>>& vars() const { return m_vars; }

private:
  std::map<std::string, std::string, std::less<>> m_vars;
};

} // namespace crun
