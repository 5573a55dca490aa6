#include "registry_status.hpp"

#include <crun/core/error.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

namespace crun::registry::detail {

namespace {

constexpr std::size_t k_detail_limit = 200;

std::string clip(std::string text)
{
  // One line, and short: it comes from the registry and ends up in a message.
  std::replace_if(text.begin(), text.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  if (text.size() > k_detail_limit) {
    text.resize(k_detail_limit);
    text += "...";
  }
  return text;
}

} // namespace

std::string registry_error_detail(std::string_view body)
{
  auto parsed = nlohmann::json::parse(body, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    return {};
  }
  auto errors = parsed.find("errors");
  if (errors == parsed.end() || !errors->is_array() || errors->empty() ||
      !(*errors)[0].is_object()) {
    return {};
  }
  const auto& first = (*errors)[0];
  for (const char* field : {"message", "code"}) {
    auto it = first.find(field);
    if (it != first.end() && it->is_string() && !it->get<std::string>().empty()) {
      std::string text = it->get<std::string>();
      if (std::string_view(field) == "code") {
        std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) {
          return c == '_' ? ' ' : static_cast<char>(std::tolower(c));
        });
      }
      return clip(std::move(text));
    }
  }
  return {};
}

void fail_status(const core::ImageRef& repo, std::string_view what, const FetchResponse& response)
{
  int status = response.head.status;
  std::string detail = registry_error_detail(response.body);
  std::string said = detail.empty() ? std::string() : ": " + detail;
  if (status == 403) {
    fail(Errc::engine_error,
         "the registry {} denied access to {} (HTTP 403{}): check that your login may pull it",
         repo.domain(), repo.path(), said);
  }
  if (status == 429) {
    fail(Errc::engine_error,
         "the registry {} is limiting requests (HTTP 429{}): wait and try again, or log in to it",
         repo.domain(), said);
  }
  fail(Errc::engine_error, "the registry {} answered HTTP {} {} for {}{}", repo.domain(), status,
       response.head.reason, what, said);
}

} // namespace crun::registry::detail
