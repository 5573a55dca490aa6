#include <crun/backends/api_client.hpp>

#include <crun/core/error.hpp>

namespace crun::backends {
namespace {

std::string first_line(std::string_view text)
{
  return std::string(text.substr(0, text.find('\n')));
}

} // namespace

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

ApiClient::ApiClient(transport::Endpoint endpoint, std::chrono::milliseconds timeout)
  : m_endpoint(std::move(endpoint)), m_timeout(timeout)
{
}

OpenCall ApiClient::open(const transport::HttpRequest& request, std::string_view what,
                         bool head_timeout) const
{
  OpenCall call;
  call.connection = transport::HttpConnection::connect(m_endpoint, m_timeout);
  call.head = head_timeout ? call.connection->send(request, m_timeout)
                           : call.connection->send(request);
  if (call.head.status == 101 || (call.head.status >= 200 && call.head.status < 300)) {
    return call;
  }
  std::string body;
  try {
    body = call.connection->read_body_all(1024 * 1024);
  } catch (const Error&) {
    // The status alone still says what happened.
  }
  throw api_error(call.head.status, body, what);
}

std::string ApiClient::call(const transport::HttpRequest& request, std::string_view what) const
{
  OpenCall open_call = open(request, what);
  return open_call.connection->read_body_all();
}

nlohmann::json ApiClient::call_json(const transport::HttpRequest& request,
                                    std::string_view what) const
{
  std::string body = call(request, what);
  auto doc = nlohmann::json::parse(body, nullptr, false);
  if (doc.is_discarded()) {
    fail(Errc::protocol, "cannot {}: the engine's answer is not JSON: {}", what,
         first_line(body).substr(0, 200));
  }
  return doc;
}

} // namespace crun::backends
