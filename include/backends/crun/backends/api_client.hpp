#pragma once
// Calls to an engine's HTTP API, shared by the Docker and Podman backends:
// one connection per call (streams and hijacks need their own, and the signal
// thread calls while the main thread waits), errors mapped to crun::Error.

#include <crun/core/error.hpp>
#include <crun/core/pull_events.hpp>
#include <crun/transport/endpoint.hpp>
#include <crun/transport/http.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace crun::backends {

/// The Error for a non-2xx answer, from the engine's {"message": ...} body
/// (Docker; Podman adds "cause") or its plain text: 404 → not_found,
/// anything else → engine_error. `what` says what was being done ("create
/// the container"). Never fails.
Error api_error(int status, std::string_view body, std::string_view what);

/// How long an engine's calls may take (call_timeouts.hpp reads them from
/// the environment). The wait and attach streams have no deadline: they
/// last as long as the container runs.
struct ApiTimeouts {
  std::chrono::milliseconds connect{2000}; ///< connecting, each call
  /// A short call (inspect, create, start, remove): its head, and then its
  /// whole body, each within this; also the head of an attach.
  std::chrono::milliseconds call{30000};
  /// A pull stream: the longest wait for its head (the engine may ask the
  /// registry first) and the longest silence between pieces of its body;
  /// engines go quiet while they extract a large layer, hence generous.
  std::chrono::milliseconds pull_idle{300000};
};

/// How long ApiClient::open waits for the head of an answer.
enum class HeadWait {
  call,      ///< timeouts().call: a short call, an attach, Docker's wait
  pull_idle, ///< timeouts().pull_idle: a pull stream
  unbounded, ///< as long as it takes: Podman's wait, whose head comes with its result
};

/// An open call whose body is read as it arrives (a pull, a wait).
struct OpenCall {
  std::unique_ptr<transport::HttpConnection> connection;
  transport::HttpResponseHead head;
};

class ApiClient {
public:
  ApiClient(transport::Endpoint endpoint, ApiTimeouts timeouts);

  const transport::Endpoint& endpoint() const { return m_endpoint; }
  const ApiTimeouts& timeouts() const { return m_timeouts; }

  /// Sends `request` on a new connection and returns the 2xx body: the
  /// head within timeouts().call, then the body within it. Throws api_error(...) for any other
  /// status, and the transport's errors: Error(Errc::engine_unavailable) when no head arrives in
  /// time, transport::BodyReadError (Errc::engine_error) when the body does not.
  std::string call(const transport::HttpRequest& request, std::string_view what) const;
  /// call(), or std::nullopt when the engine answers 404 (no such image or
  /// container). Throws as call() otherwise.
  std::optional<std::string> find(const transport::HttpRequest& request,
                                  std::string_view what) const;
  /// Sends `request` on a new connection and returns the head once it is in,
  /// waiting as `wait` says. The caller reads the body with whatever
  /// deadline suits it. Throws api_error(...) for a status other than 2xx or
  /// 101 (its body read within timeouts().call), and the transport's errors:
  /// Error(Errc::engine_unavailable) when no head arrives in time.
  OpenCall open(const transport::HttpRequest& request, std::string_view what,
                HeadWait wait = HeadWait::call) const;

  /// call() whose 2xx body is JSON, read by `decode` (a function of the
  /// document, such as decode_image). Throws Error(Errc::protocol) naming
  /// `what` and the endpoint when the body is not JSON, and when `decode`
  /// throws a JSON exception (a field of a type it did not expect); as
  /// `decode` and call() otherwise.
  template <class Decode>
  auto call_json(const transport::HttpRequest& request, std::string_view what,
                 Decode&& decode) const
  {
    nlohmann::json doc = parse_json(call(request, what), what);
    return decoded(what, [&] { return decode(std::as_const(doc)); });
  }
  /// call_json(), or std::nullopt when the engine answers 404.
  template <class Decode>
  auto find_json(const transport::HttpRequest& request, std::string_view what,
                 Decode&& decode) const
    -> std::optional<std::invoke_result_t<Decode&, const nlohmann::json&>>
  {
    std::optional<std::string> body = find(request, what);
    if (!body) {
      return std::nullopt;
    }
    nlohmann::json doc = parse_json(*body, what);
    return decoded(what, [&] { return decode(std::as_const(doc)); });
  }

  /// Turns one line of an engine's pull stream into events.
  using PullDecoder = std::vector<core::PullEvent> (*)(const nlohmann::json& line);
  /// Sends a pull `request` and hands the events of its JSON-line stream,
  /// decoded by `decode`, to `on_event` as they arrive (memory stays at one
  /// line). Throws Error(Errc::engine_error) "cannot <what>: <message>" for
  /// an error event, which engines send inside a 200 stream;
  /// Error(Errc::protocol) naming `what` and the endpoint for a line that is
  /// not JSON or a stream cut short; transport::BodyReadError when the
  /// stream is silent for timeouts().pull_idle (Error(Errc::engine_unavailable)
  /// when its head does not come within it); the transport's and
  /// api_error's errors otherwise.
  void stream_pull(const transport::HttpRequest& request, std::string_view what,
                   const PullDecoder& decode,
                   const std::function<void(const core::PullEvent&)>& on_event) const;

private:
  /// `body` as JSON. Throws Error(Errc::protocol) naming `what` and the
  /// endpoint when it is not.
  nlohmann::json parse_json(std::string_view body, std::string_view what) const;
  /// The Error(Errc::protocol) for an answer the engine sent that crun-any
  /// cannot read: "cannot <what>: the engine at <endpoint> answered with
  /// <problem>". Never fails.
  Error unreadable(std::string_view what, std::string_view problem) const;
  /// `decode()`, with a JSON exception it throws made unreadable().
  template <class F>
  auto decoded(std::string_view what, F&& decode) const
  {
    try {
      return decode();
    } catch (const nlohmann::json::exception& error) {
      throw unreadable(what, fmt::format("JSON of an unexpected shape: {}", error.what()));
    }
  }

  transport::Endpoint m_endpoint;
  ApiTimeouts m_timeouts;
};

} // namespace crun::backends
