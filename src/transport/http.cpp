#include <crun/transport/http.hpp>

#include <crun/core/error.hpp>
#include <crun/util/ascii.hpp>

#include <algorithm>
#include <array>
#include <cctype>

namespace crun::transport {

std::optional<std::string> HttpResponseHead::header(std::string_view name) const
{
  auto it = std::find_if(headers.begin(), headers.end(),
                         [&](const auto& field) { return util::ascii_iequals(field.first, name); });
  if (it == headers.end()) {
    return std::nullopt;
  }
  return it->second;
}

std::string HttpConnection::read_body_all(std::size_t limit)
{
  std::string body;
  std::array<char, 64 * 1024> chunk{};
  while (std::size_t got = read_body_some(chunk.data(), chunk.size())) {
    if (got > limit - body.size()) {
      fail(Errc::protocol, "the response body from the engine at {} is larger than {} bytes",
           endpoint().str(), limit);
    }
    body.append(chunk.data(), got);
  }
  return body;
}

} // namespace crun::transport
