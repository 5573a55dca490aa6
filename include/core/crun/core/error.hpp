#pragma once
// The one error convention of crun-any: every failure is a crun::Error
// (an exception of this one type) carrying an Errc. It is thrown where the
// failure is found, gains context on the way up, and is caught once, in
// run_cli (src/cli/app.cpp), which prints it and maps its Errc to an exit
// code (exit_codes.hpp).
// Third-party exceptions (nlohmann, Boost) are turned into crun::Error at the
// edge where they can happen.

#include <fmt/format.h>

#include <exception>
#include <string>
#include <string_view>
#include <vector>

namespace crun {

/// What kind of failure happened; decides the exit code, nothing else.
enum class Errc {
  usage,                  ///< bad flags or arguments on the command line
  invalid_input,          ///< a value that does not parse: reference, platform, digest, file
  policy_denied,          ///< refused by policy (or a build-type verb)
  engine_unavailable,     ///< no engine reachable at the endpoint
  registry_unreachable,   ///< a registry (or its token server) cannot be connected to
  not_found,              ///< an image or container the engine does not have
  engine_error,           ///< the engine or registry refused or failed
  protocol,               ///< the engine answered with something we cannot read
  internal,               ///< a bug in crun-any
  command_not_executable, ///< run: the container's command cannot be invoked (126)
  command_not_found,      ///< run: the container's command does not exist (127)
  mismatch,   ///< content is not what the lock or the registry says (verify, lock --check)
  file_error, ///< a file crun-any writes (the lock) cannot be written
  /// a policy file that is malformed, unreadable or contradicts another:
  /// every command stops (exit 3, 125 for run), as policy_denied does, but
  /// `--json` output tells a broken policy from a refusal
  policy_invalid,
  /// crun-any's stdout or stderr has no reader any more (EPIPE): exit 1, but
  /// 141 (128+SIGPIPE) for run, what a shell sees when the docker CLI dies of
  /// the broken pipe
  broken_pipe,
  /// crun-any's stdout or stderr cannot be written otherwise (a full device,
  /// a descriptor closed at start, an I/O error): exit 1, 125 for run
  output_error,
};

/// The name of `code`, as used in `--json` output and tests.
std::string_view errc_name(Errc code);

/// The one exception type of crun-any.
/// message: lower-case start, no trailing period, names the input and,
/// where there is one, the fix.
class Error : public std::exception {
public:
  Error(Errc code, std::string message);

  Errc code() const noexcept { return m_code; }
  const std::string& message() const noexcept { return m_message; }
  /// Outer layers' notes, innermost first: "while pulling docker.io/library/x:1".
  const std::vector<std::string>& context() const noexcept { return m_context; }
  /// Adds a note of what was being done when the error happened.
  Error& add_context(std::string note);
  const char* what() const noexcept override { return m_message.c_str(); }

private:
  Errc m_code;
  std::string m_message;
  std::vector<std::string> m_context;
};

/// Throws Error{code, fmt::format(fmt, args...)}.
template <typename... Args>
[[noreturn]] void fail(Errc code, fmt::format_string<Args...> format, Args&&... args)
{
  throw Error(code, fmt::format(format, std::forward<Args>(args)...));
}

} // namespace crun
