#include <crun/core/error.hpp>

#include <utility>

namespace crun {

std::string_view errc_name(Errc code)
{
  switch (code) {
  case Errc::usage: return "usage";
  case Errc::invalid_input: return "invalid_input";
  case Errc::policy_denied: return "policy_denied";
  case Errc::engine_unavailable: return "engine_unavailable";
  case Errc::registry_unreachable: return "registry_unreachable";
  case Errc::not_found: return "not_found";
  case Errc::engine_error: return "engine_error";
  case Errc::protocol: return "protocol";
  case Errc::internal: return "internal";
  case Errc::command_not_executable: return "command_not_executable";
  case Errc::command_not_found: return "command_not_found";
  case Errc::mismatch: return "mismatch";
  case Errc::file_error: return "file_error";
  case Errc::policy_invalid: return "policy_invalid";
  case Errc::broken_pipe: return "broken_pipe";
  case Errc::output_error: return "output_error";
  }
  return "internal";
}

Error::Error(Errc code, std::string message) : m_code(code), m_message(std::move(message)) {}

Error& Error::add_context(std::string note)
{
  m_context.push_back(std::move(note));
  return *this;
}

} // namespace crun
