#include <crun/transport/http.hpp>

#include <crun/core/error.hpp>

#include <algorithm>
#include <array>
#include <cctype>

namespace crun::transport {

namespace {

bool iequals(std::string_view a, std::string_view b)
{
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

} // namespace

std::optional<std::string> HttpResponseHead::header(std::string_view name) const
{
  auto it = std::find_if(headers.begin(), headers.end(),
                         [&](const auto& field) { return iequals(field.first, name); });
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
