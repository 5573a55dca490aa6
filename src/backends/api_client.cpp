#include <crun/backends/api_client.hpp>

#include <crun/backends/json_fields.hpp>
#include <crun/core/error.hpp>
#include <crun/core/json_lines.hpp>

namespace crun::backends {

Error api_error(int status, std::string_view body, std::string_view what)
{
  std::string message;
  auto doc = nlohmann::json::parse(body, nullptr, false);
  if (!doc.is_discarded() && doc.is_object() && doc.contains("message") &&
      doc["message"].is_string()) {
    message = doc["message"].get<std::string>();
  }
  if (message.empty()) {
    message = first_line(body).substr(0, 500);
  }
  if (message.empty()) {
    message = fmt::format("HTTP {}", status);
  }
  Errc code = status == 404 ? Errc::not_found : Errc::engine_error;
  return Error(code, fmt::format("cannot {}: {}", what, message));
}

ApiClient::ApiClient(transport::Endpoint endpoint, ApiTimeouts timeouts)
  : m_endpoint(std::move(endpoint)), m_timeouts(timeouts)
{
}

OpenCall ApiClient::open(const transport::HttpRequest& request, std::string_view what,
                         HeadWait wait) const
{
  OpenCall call;
  call.connection = transport::HttpConnection::connect(m_endpoint, m_timeouts.connect);
  std::optional<std::chrono::milliseconds> head_timeout;
  if (wait == HeadWait::call) {
    head_timeout = m_timeouts.call;
  } else if (wait == HeadWait::pull_idle) {
    head_timeout = m_timeouts.pull_idle;
  }
  call.head = call.connection->send(request, head_timeout);
  if (call.head.status == 101 || (call.head.status >= 200 && call.head.status < 300)) {
    return call;
  }
  std::string body;
  try {
    body = call.connection->read_body_all(1024 * 1024, m_timeouts.call);
  } catch (const Error&) {
    // The status alone still says what happened.
  }
  throw api_error(call.head.status, body, what);
}

std::string ApiClient::call(const transport::HttpRequest& request, std::string_view what) const
{
  // The head within `call`, then the body within `call`: the transport's
  // messages then state the deadline that expired as it was set.
  OpenCall open_call = open(request, what);
  return open_call.connection->read_body_all(transport::k_default_body_limit, m_timeouts.call);
}

std::optional<std::string> ApiClient::find(const transport::HttpRequest& request,
                                           std::string_view what) const
{
  try {
    return call(request, what);
  } catch (const Error& error) {
    if (error.code() == Errc::not_found) {
      return std::nullopt;
    }
    throw;
  }
}

nlohmann::json ApiClient::parse_json(std::string_view body, std::string_view what) const
{
  auto doc = nlohmann::json::parse(body, nullptr, false);
  if (doc.is_discarded()) {
    throw unreadable(
      what, fmt::format("something that is not JSON: {}", first_line(body).substr(0, 200)));
  }
  return doc;
}

Error ApiClient::unreadable(std::string_view what, std::string_view problem) const
{
  return Error(Errc::protocol, fmt::format("cannot {}: the engine at {} answered with {}", what,
                                           m_endpoint.str(), problem));
}

void ApiClient::stream_pull(const transport::HttpRequest& request, std::string_view what,
                            const PullDecoder& decode,
                            const std::function<void(const core::PullEvent&)>& on_event) const
{
  // The head within pull_idle: the engine may ask the registry before it
  // answers. The body is read as it arrives, one line at a time, and may be
  // silent for up to pull_idle while the engine extracts a layer.
  auto call = open(request, what, HeadWait::pull_idle);
  core::JsonLineDecoder decoder;
  // The decoder's errors (a line that is not JSON, a stream cut short) name
  // the call and the endpoint.
  auto framed = [&](auto&& step) {
    try {
      return step();
    } catch (const Error& error) {
      if (error.code() != Errc::protocol) {
        throw;
      }
      throw unreadable(what, fmt::format("a broken stream: {}", error.message()));
    }
  };
  auto drain = [&] {
    while (auto line = framed([&] { return decoder.next(); })) {
      for (const auto& event : decoded(what, [&] { return decode(*line); })) {
        if (event.kind == core::PullEvent::Kind::error) {
          fail(Errc::engine_error, "cannot {}: {}", what, event.message);
        }
        on_event(event);
      }
    }
  };
  char buffer[16 * 1024];
  while (std::size_t n =
           call.connection->read_body_some(buffer, sizeof buffer, m_timeouts.pull_idle)) {
    framed([&] { decoder.feed(std::string_view(buffer, n)); });
    drain();
  }
  framed([&] { decoder.finish(); });
  drain();
}

} // namespace crun::backends
