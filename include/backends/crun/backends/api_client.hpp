#pragma once
// Calls to an engine's HTTP API, shared by the Docker and Podman backends:
// one connection per call (streams and hijacks need their own, and the signal
// thread calls while the main thread waits), errors mapped to crun::Error.

#include <crun/core/error.hpp>
#include <crun/transport/endpoint.hpp>
#include <crun/transport/http.hpp>

#include <crun/core/pull_events.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace crun::backends {

/// The Error for a non-2xx answer, from the engine's {"message": ...} body
/// (Docker; Podman adds "cause") or its plain text: 404 → not_found,
/// anything else → engine_error. `what` says what was being done ("create
/// the container"). Never fails.
Error api_error(int status, std::string_view body, std::string_view what);

/// An open call whose body is read as it arrives (a pull, a wait).
struct OpenCall {
  std::unique_ptr<transport::HttpConnection> connection;
  transport::HttpResponseHead head;
};

class ApiClient {
public:
  /// `timeout` bounds connecting and, for short calls, the answer's head.
  ApiClient(transport::Endpoint endpoint, std::chrono::milliseconds timeout);

  const transport::Endpoint& endpoint() const { return m_endpoint; }

  /// Sends `request` on a new connection and returns the 2xx body. Throws
  /// api_error(...) for any other status, and the transport's errors.
  std::string call(const transport::HttpRequest& request, std::string_view what) const;
  /// call() whose body is JSON. Throws Error(Errc::protocol) when it is not.
  nlohmann::json call_json(const transport::HttpRequest& request, std::string_view what) const;
  /// Sends `request` on a new connection and returns once the head is in;
  /// the head is awaited without a timeout when `head_timeout` is false (a
  /// wait). Throws api_error(...) for a status other than 2xx or 101.
  OpenCall open(const transport::HttpRequest& request, std::string_view what,
                bool head_timeout = true) const;
  /// call_json(), or std::nullopt when the engine answers 404 (no such image
  /// or container). Throws as call_json() otherwise.
  std::optional<nlohmann::json> find_json(const transport::HttpRequest& request,
                                          std::string_view what) const;

  /// Turns one line of an engine's pull stream into events.
  using PullDecoder = std::vector<core::PullEvent> (*)(const nlohmann::json& line);
  /// Sends a pull `request` and hands the events of its JSON-line stream,
  /// decoded by `decode`, to `on_event` as they arrive (memory stays at one
  /// line). Throws Error(Errc::engine_error) "cannot <what>: <message>" for
  /// an error event, which engines send inside a 200 stream; the transport's
  /// and api_error's errors otherwise.
  void stream_pull(const transport::HttpRequest& request, std::string_view what,
                   const PullDecoder& decode,
                   const std::function<void(const core::PullEvent&)>& on_event) const;

private:
  transport::Endpoint m_endpoint;
  std::chrono::milliseconds m_timeout;
};

} // namespace crun::backends
