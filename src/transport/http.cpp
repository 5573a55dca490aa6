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

std::string duration_text(std::chrono::milliseconds span)
{
  if (span.count() % 1000 == 0) {
    return fmt::format("{} s", span.count() / 1000);
  }
  return fmt::format("{} ms", span.count());
}

std::string HttpConnection::read_body_all(std::size_t limit,
                                          std::optional<std::chrono::milliseconds> overall)
{
  std::optional<BodyDeadline> deadline;
  if (overall) {
    deadline = BodyDeadline{std::chrono::steady_clock::now() + *overall, *overall, false};
  }
  std::string body;
  std::array<char, 64 * 1024> chunk{};
  while (std::size_t got = do_read_body_some(chunk.data(), chunk.size(), deadline)) {
    if (got > limit - body.size()) {
      fail(Errc::protocol, "the response body from the engine at {} is larger than {} bytes",
           endpoint().str(), limit);
    }
    body.append(chunk.data(), got);
  }
  return body;
}

} // namespace crun::transport
