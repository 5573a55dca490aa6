#include <crun/backends/probe.hpp>

#include <crun/backends/http_api.hpp>
#include <crun/core/error.hpp>
#include <crun/transport/http.hpp>

namespace crun::backends {

ProbeResult probe_engine(const transport::Endpoint& endpoint, std::chrono::milliseconds timeout)
{
  auto connection = transport::HttpConnection::connect(endpoint, timeout);
  // The head says all there is to know. The body is never read: reading has
  // no deadline, and a server that sent a head and then stalled would hold
  // the probe (and selection, which waits for every probe) for ever.
  auto head = connection->send(make_ping_request(), timeout);
  auto api = head.header("Api-Version");
  if (!api) {
    fail(
      Errc::protocol,
      "the server at {} answered /_ping without an Api-Version header: it is no container engine",
      endpoint.str());
  }
  if (head.status < 200 || head.status >= 300) {
    fail(Errc::engine_error, "the engine at {} answered /_ping with HTTP {} {}", endpoint.str(),
         head.status, head.reason);
  }
  ProbeResult result;
  result.api_version = *api;
  result.server = head.header("Server").value_or("");
  if (auto libpod = head.header("Libpod-Api-Version")) {
    result.kind = ProbeResult::Kind::podman;
    result.libpod_version = *libpod;
  }
  return result;
}

std::string server_version(std::string_view server)
{
  auto slash = server.find('/');
  if (slash == std::string_view::npos) {
    return {};
  }
  auto rest = server.substr(slash + 1);
  return std::string(rest.substr(0, rest.find(' ')));
}

std::string_view kind_name(ProbeResult::Kind kind)
{
  return kind == ProbeResult::Kind::podman ? "podman" : "docker";
}

} // namespace crun::backends
