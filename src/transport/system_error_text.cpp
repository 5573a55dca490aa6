#include "system_error_text.hpp"

#include <cctype>
#include <cerrno>
#include <system_error>

namespace crun::transport::detail {

std::string errno_text(int error)
{
  // The libc texts differ between glibc and macOS; the common ones are fixed
  // here so that messages (and tests) read the same everywhere.
  switch (error) {
  case ENOENT: return "no such file";
  case ECONNREFUSED: return "connection refused";
  case EACCES: return "permission denied";
  case ECONNRESET: return "connection reset by the peer";
  case EPIPE: return "broken pipe";
  case ETIMEDOUT: return "timed out";
  case EHOSTUNREACH: return "no route to host";
  case ENETUNREACH: return "network is unreachable";
  default: break;
  }
  std::string text = std::generic_category().message(error);
  if (!text.empty()) {
    text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  }
  while (!text.empty() && text.back() == '.') {
    text.pop_back();
  }
  return text;
}

} // namespace crun::transport::detail
