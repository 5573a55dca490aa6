#include <crun/backends/probe.hpp>

#include <crun/backends/api_client.hpp>
#include <crun/backends/http_api.hpp>
#include <crun/core/error.hpp>

namespace crun::backends {

ProbeResult probe_engine(const transport::Endpoint& endpoint, std::chrono::milliseconds timeout)
{
  ApiClient client(endpoint, timeout);
  auto call = client.open(make_ping_request(), "ping the engine");
  call.connection->read_body_all(4096);
  ProbeResult result;
  auto api = call.head.header("Api-Version");
  if (!api) {
    fail(Errc::protocol,
         "the server at {} answered /_ping without an Api-Version header: it is no container engine",
         endpoint.str());
  }
  result.api_version = *api;
  result.server = call.head.header("Server").value_or("");
  if (auto libpod = call.head.header("Libpod-Api-Version")) {
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
