#pragma once
// What a try_parse function returns: a value read from text, or why the
// text is not one, worded as parse() words its Error. For callers to whom a
// bad value is no failure (a name an engine reported, skipped when it does
// not parse), so that no exception is used for control flow.

#include <crun/core/error.hpp>

#include <optional>
#include <string>
#include <utility>

namespace crun::core {

template <typename T>
class Parsed {
public:
  /// A value. Never fails.
  Parsed(T value) : m_value(std::move(value)) {}
  /// No value, and `problem` says why. Never fails.
  static Parsed failure(std::string problem)
  {
    Parsed parsed;
    parsed.m_problem.swap(problem);
    return parsed;
  }

  /// Whether there is a value. Never fails.
  bool has_value() const noexcept { return m_value.has_value(); }
  explicit operator bool() const noexcept { return has_value(); }
  /// The value; only when there is one.
  const T& operator*() const& { return *m_value; }
  T&& operator*() && { return std::move(*m_value); }
  const T* operator->() const { return &*m_value; }
  /// Why there is no value; empty when there is one. Never fails.
  const std::string& problem() const noexcept { return m_problem; }
  /// The value. Throws Error(code, problem()) when there is none.
  T value_or_throw(Errc code) &&
  {
    if (!m_value) {
      throw Error(code, std::move(m_problem));
    }
    return std::move(*m_value);
  }

private:
  Parsed() = default;

  std::optional<T> m_value;
  std::string m_problem;
};

} // namespace crun::core
