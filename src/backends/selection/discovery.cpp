// Every candidate, in the ranking order of candidate.hpp. Each origin adds
// its candidates in turn; deduplicate() then folds repeated sockets into
// the highest-ranked one.

#include <crun/backends/selection/discovery.hpp>

#include <crun/backends/selection/engine_kinds.hpp>
#include <crun/backends/selection/podman_connections.hpp>
#include <crun/core/error.hpp>
#include <crun/transport/docker_endpoint.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace crun::backends::selection {
namespace {

using transport::Endpoint;

constexpr std::string_view k_ssh_unsupported =
  "ssh:// endpoints are not supported by this build yet";

bool is_ssh(std::string_view uri)
{
  return uri.starts_with("ssh://");
}

// How to reach an ssh:// engine today: let ssh carry its socket.
std::string ssh_fix(std::string_view uri, std::string_view default_socket)
{
  std::string_view rest = uri.substr(6);
  auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string socket =
    slash == std::string_view::npos ? std::string(default_socket) : std::string(rest.substr(slash));
  std::string port;
  auto at = authority.find('@');
  auto colon = authority.rfind(':');
  if (colon != std::string_view::npos && (at == std::string_view::npos || colon > at) &&
      authority.find(']') == std::string_view::npos) {
    port = fmt::format("-p {} ", authority.substr(colon + 1));
    authority = authority.substr(0, colon);
  }
  return fmt::format("forward the socket with `ssh -nNT {}-L /tmp/engine.sock:{} {}` and use "
                     "--host unix:///tmp/engine.sock",
                     port, socket, authority.empty() ? "user@host" : authority);
}

std::string join_path(std::string_view dir, std::string_view name)
{
  std::string path(dir);
  while (path.size() > 1 && path.back() == '/') {
    path.pop_back();
  }
  return path + "/" + std::string(name);
}

// The fields every candidate has.
Candidate make_candidate(Origin origin, std::string source, std::string uri, EngineKind expected,
                         std::string fix)
{
  Candidate c;
  c.origin = origin;
  c.source = std::move(source);
  c.uri = std::move(uri);
  c.expected = expected;
  c.fix = std::move(fix);
  return c;
}

class Builder {
public:
  Builder(const Env& env, const transport::FileReader& files, const HostLookup& host, HostOs os)
    : m_env(env), m_files(files), m_host(host), m_os(os)
  {
  }

  // A candidate named by a URI (CONTAINER_HOST, a podman connection).
  void add_uri(Origin origin, std::string source, const std::string& uri, EngineKind expected,
               std::string fix, std::string_view ssh_default_socket = "/run/podman/podman.sock")
  {
    Candidate c = make_candidate(origin, std::move(source), uri, expected, std::move(fix));
    if (is_ssh(uri)) {
      c.problem = std::string(k_ssh_unsupported);
      c.unsupported = true;
      c.fix = ssh_fix(uri, ssh_default_socket);
    } else {
      try {
        c.endpoint = Endpoint::parse(uri);
      } catch (const Error& error) {
        c.problem = error.message();
      }
    }
    m_out.push_back(std::move(c));
  }

  // A candidate named the docker CLI's way (--host, DOCKER_HOST), with its
  // DOCKER_TLS_VERIFY / DOCKER_CERT_PATH settings.
  void add_docker_host(Origin origin, std::string source, const std::string& uri,
                       EngineKind expected, std::string fix)
  {
    if (is_ssh(uri)) {
      add_uri(origin, std::move(source), uri, expected, std::move(fix), "/var/run/docker.sock");
      return;
    }
    Candidate c = make_candidate(origin, std::move(source), uri, expected, std::move(fix));
    try {
      transport::DockerEndpointFlags flags;
      flags.host = uri;
      c.endpoint = transport::resolve_docker_endpoint(m_env, m_files, flags).endpoint;
    } catch (const Error& error) {
      c.problem = error.message();
    }
    m_out.push_back(std::move(c));
  }

  void add_socket(Origin origin, std::string source, const std::string& path, EngineKind expected,
                  std::string fix)
  {
    Candidate c =
      make_candidate(origin, std::move(source), "unix://" + path, expected, std::move(fix));
    c.endpoint = Endpoint::parse(c.uri);
    m_out.push_back(std::move(c));
  }

  void add_docker_context()
  {
    // The context the docker CLI would use if DOCKER_HOST were unset.
    auto vars = m_env.vars();
    vars.erase("DOCKER_HOST");
    Env without_host(std::move(vars));
    std::string name = m_env.get("DOCKER_CONTEXT").value_or("");
    try {
      auto named = transport::docker_host(without_host, m_files);
      for (auto& warning : named.warnings) {
        m_warnings.push_back(std::move(warning));
      }
      if (named.source == "default") {
        return; // the default socket is a candidate of its own
      }
      std::string source = "docker " + named.source;
      if (is_ssh(named.uri)) {
        // A limit of this build, not a broken context.
        add_uri(Origin::docker_context, std::move(source), named.uri, EngineKind::docker, "",
                "/var/run/docker.sock");
        return;
      }
      auto resolved = transport::resolve_docker_endpoint(without_host, m_files);
      Candidate c = make_candidate(
        Origin::docker_context, std::move(source), resolved.endpoint.str(), EngineKind::docker,
        fmt::format("start the engine of docker {} (Docker Desktop, colima, OrbStack...), "
                    "or switch with `docker context use default`",
                    named.source));
      c.endpoint = resolved.endpoint;
      m_out.push_back(std::move(c));
    } catch (const Error& error) {
      Candidate c = make_candidate(
        Origin::docker_context,
        name.empty() ? "docker context" : fmt::format("docker context \"{}\"", name), "",
        EngineKind::docker,
        "list the contexts with `docker context ls`, or `docker context use default`");
      c.problem = error.message();
      m_out.push_back(std::move(c));
    }
  }

  void add_podman_connection(Origin origin, const PodmanConnections& connections,
                             const std::string& name, std::string source, std::string fix)
  {
    auto it = connections.by_name.find(name);
    if (it == connections.by_name.end() || it->second.uri.empty()) {
      Candidate c = make_candidate(origin, std::move(source), "", EngineKind::podman,
                                   "list the connections with `podman system connection list`");
      c.problem = it == connections.by_name.end()
                    ? fmt::format("there is no podman connection named \"{}\"", name)
                    : fmt::format("podman connection \"{}\" has no URI", name);
      m_out.push_back(std::move(c));
      return;
    }
    add_uri(origin, std::move(source), it->second.uri, EngineKind::podman, std::move(fix));
    if (it->second.is_machine && m_out.back().unsupported) {
      m_out.back().fix = "crun-any reaches a podman machine through its API socket instead "
                         "(see the podman machine candidate)";
    }
  }

  // $XDG_RUNTIME_DIR, or what Podman assumes for a non-root user without it.
  std::optional<std::string> runtime_dir() const
  {
    if (auto dir = m_env.get("XDG_RUNTIME_DIR")) {
      return dir;
    }
    unsigned uid = m_host.user_id();
    if (uid != 0) {
      return fmt::format("/run/user/{}", uid);
    }
    return std::nullopt;
  }

  void add_default_sockets()
  {
    bool on_linux = m_os == HostOs::linux_os;
    auto home = m_env.get("HOME");
    if (on_linux) {
      if (auto run = runtime_dir()) {
        add_socket(Origin::rootless_podman, "rootless Podman socket",
                   join_path(*run, "podman/podman.sock"), EngineKind::podman,
                   "`systemctl --user start podman.socket`, or let crun-any start one (it needs "
                   "`podman` on PATH)");
        add_socket(Origin::rootless_docker, "rootless Docker socket",
                   join_path(*run, "docker.sock"), EngineKind::docker,
                   "`systemctl --user start docker` (rootless Docker)");
      }
    }
    if (home) {
      add_socket(Origin::docker_desktop, "Docker Desktop socket",
                 join_path(*home, ".docker/run/docker.sock"), EngineKind::docker,
                 "start Docker Desktop");
      add_socket(Origin::docker_desktop, "Docker Desktop socket",
                 join_path(*home, ".docker/desktop/docker.sock"), EngineKind::docker,
                 "start Docker Desktop");
      if (!on_linux) {
        add_socket(Origin::orbstack, "OrbStack socket",
                   join_path(*home, ".orbstack/run/docker.sock"), EngineKind::docker,
                   "start OrbStack");
      }
      add_socket(Origin::colima, "colima socket", join_path(*home, ".colima/default/docker.sock"),
                 EngineKind::docker, "`colima start`");
    }
    add_socket(Origin::system_docker, "system Docker socket", "/var/run/docker.sock",
               EngineKind::docker,
               on_linux ? "`sudo systemctl start docker` (and be in the docker group)"
                        : "start Docker Desktop (and allow the default Docker socket in its "
                          "advanced settings)");
    if (on_linux) {
      add_socket(Origin::rootful_podman, "rootful Podman socket", "/run/podman/podman.sock",
                 EngineKind::podman, "`sudo systemctl start podman.socket`");
    }
  }

  // The API sockets podman machine publishes on the Mac: 5.x
  // $TMPDIR/podman/<machine>-api.sock, 4.x
  // ~/.local/share/containers/podman/machine/<machine>/podman.sock.
  void add_podman_machines(const PodmanConnections& connections)
  {
    std::vector<std::string> machines;
    auto add_machine = [&](std::string name) {
      if (name.ends_with("-root")) {
        name.resize(name.size() - 5); // the rootful connection of the same machine
      }
      if (std::find(machines.begin(), machines.end(), name) == machines.end()) {
        machines.push_back(std::move(name));
      }
    };
    if (connections.default_name) {
      auto it = connections.by_name.find(*connections.default_name);
      if (it != connections.by_name.end() && it->second.is_machine) {
        add_machine(it->first);
      }
    }
    for (const auto& [name, connection] : connections.by_name) {
      if (connection.is_machine) {
        add_machine(name);
      }
    }
    add_machine("podman-machine-default");

    std::string tmp = m_env.get_or("TMPDIR", "/tmp");
    std::optional<std::string> data_home = m_env.get("XDG_DATA_HOME");
    if (!data_home) {
      if (auto home = m_env.get("HOME")) {
        data_home = join_path(*home, ".local/share");
      }
    }
    for (const auto& machine : machines) {
      std::string source = fmt::format("podman machine \"{}\"", machine);
      std::string fix = fmt::format("`podman machine start{}` (or `podman machine init` first)",
                                    machine == "podman-machine-default" ? "" : " " + machine);
      add_socket(Origin::podman_machine, source, join_path(tmp, "podman/" + machine + "-api.sock"),
                 EngineKind::podman, fix);
      if (data_home) {
        add_socket(Origin::podman_machine, source,
                   join_path(*data_home, "containers/podman/machine/" + machine + "/podman.sock"),
                   EngineKind::podman, fix);
      }
    }
  }

  // Apple's CLI, found as its row of the engine-kind table finds it; without
  // one the candidate is listed absent, with how to install it.
  void add_apple()
  {
    const EngineKindEntry& apple = engine_kind(EngineKind::apple);
    auto cli = apple.find(m_host);
    Candidate c =
      make_candidate(Origin::apple, "Apple container CLI", cli.value_or(""), EngineKind::apple,
                     cli ? "`container system start`" : std::string(apple.install_fix));
    c.executable = cli.value_or("");
    m_out.push_back(std::move(c));
  }

  void add_on_demand(const PodmanServicePlan& plan)
  {
    Candidate c = make_candidate(
      Origin::on_demand_podman, "on-demand Podman service", "unix://" + plan.socket,
      EngineKind::podman,
      plan.podman.empty()
        ? "install podman: crun-any then starts its service itself when no engine answers"
        : fmt::format("see the service's log {}", plan.log));
    c.endpoint = Endpoint::parse(c.uri);
    m_out.push_back(std::move(c));
  }

  std::vector<Candidate>& out() { return m_out; }
  std::vector<std::string>& warnings() { return m_warnings; }

private:
  const Env& m_env;
  const transport::FileReader& m_files;
  const HostLookup& m_host;
  HostOs m_os;
  std::vector<Candidate> m_out;
  std::vector<std::string> m_warnings;
};

std::string docker_host_fix(std::string_view value)
{
  return fmt::format("check DOCKER_HOST={}: start the engine it names, or unset it", value);
}

std::string container_host_fix(std::string_view value)
{
  return fmt::format("check CONTAINER_HOST={}: start the Podman service it names, or unset it",
                     value);
}

std::string connection_fix(std::string_view name)
{
  return fmt::format("start the engine of podman connection \"{}\", or check it with `podman "
                     "system connection list`",
                     name);
}

EngineKind expected_for(const Preference& preference)
{
  return preference.backend == BackendChoice::podman ? EngineKind::podman : EngineKind::docker;
}

// The key under which two candidates are the same place.
std::string identity(const Candidate& c, const HostLookup& host)
{
  if (!c.endpoint) {
    return c.problem.empty() ? c.uri : std::string(); // unusable ones are never merged
  }
  if (c.endpoint->kind == Endpoint::Kind::unix_socket) {
    return "unix://" + host.canonical(c.endpoint->path);
  }
  return c.endpoint->str() + (c.endpoint->tls ? " tls" : "");
}

} // namespace

std::vector<Candidate> deduplicate(std::vector<Candidate> candidates, const HostLookup& host)
{
  std::vector<Candidate> out;
  std::vector<std::string> keys;
  for (auto& candidate : candidates) {
    std::string key = identity(candidate, host);
    auto it = key.empty() ? keys.end() : std::find(keys.begin(), keys.end(), key);
    if (it == keys.end()) {
      keys.push_back(std::move(key));
      out.push_back(std::move(candidate));
      continue;
    }
    Candidate& kept = out[static_cast<std::size_t>(it - keys.begin())];
    std::string alias = candidate.source;
    if (candidate.uri != kept.uri) {
      alias += " (" + candidate.uri + ")";
    }
    if (alias != kept.source && std::find(kept.also_named_by.begin(), kept.also_named_by.end(),
                                          alias) == kept.also_named_by.end()) {
      kept.also_named_by.push_back(std::move(alias));
    }
  }
  return out;
}

Discovery discover_candidates(const Preference& preference, std::string_view host_flag,
                              const Env& env, const transport::FileReader& files,
                              const HostLookup& host, HostOs os)
{
  Discovery result;
  Builder builder(env, files, host, os);
  PodmanConnections connections = read_podman_connections(env, files);
  auto docker_host = env.get("DOCKER_HOST");
  auto container_connection = env.get("CONTAINER_CONNECTION");
  auto container_host = env.get("CONTAINER_HOST");

  // Apple's CLI is the one candidate the apple backend has, on any OS (the
  // stand-in of the tests runs on Linux); --host with it is select_backend's
  // usage error.
  if (preference.backend == BackendChoice::apple) {
    builder.add_apple();
    result.candidates = std::move(builder.out());
    return result;
  }

  // One named endpoint: it alone is tried.
  if (!host_flag.empty()) {
    builder.add_docker_host(Origin::host_flag, "--host", std::string(host_flag),
                            expected_for(preference),
                            fmt::format("check --host {}: start the engine it names", host_flag));
    result.single_endpoint = true;
  } else if (preference.backend == BackendChoice::docker && docker_host) {
    builder.add_docker_host(Origin::docker_host, "DOCKER_HOST", *docker_host, EngineKind::docker,
                            docker_host_fix(*docker_host));
    result.single_endpoint = true;
  } else if (preference.backend == BackendChoice::podman && container_connection) {
    builder.add_podman_connection(Origin::container_connection, connections, *container_connection,
                                  "CONTAINER_CONNECTION", connection_fix(*container_connection));
    result.single_endpoint = true;
  } else if (preference.backend == BackendChoice::podman && container_host) {
    builder.add_uri(Origin::container_host, "CONTAINER_HOST", *container_host, EngineKind::podman,
                    container_host_fix(*container_host));
    result.single_endpoint = true;
  }
  if (result.single_endpoint) {
    result.candidates = std::move(builder.out());
    return result;
  }

  if (docker_host) {
    builder.add_docker_host(Origin::docker_host, "DOCKER_HOST", *docker_host, EngineKind::docker,
                            docker_host_fix(*docker_host));
  }
  if (container_connection) {
    builder.add_podman_connection(Origin::container_connection, connections, *container_connection,
                                  "CONTAINER_CONNECTION", connection_fix(*container_connection));
  }
  if (container_host) {
    builder.add_uri(Origin::container_host, "CONTAINER_HOST", *container_host, EngineKind::podman,
                    container_host_fix(*container_host));
  }
  builder.add_docker_context();
  if (connections.default_name) {
    const std::string& name = *connections.default_name;
    builder.add_podman_connection(
      Origin::podman_default_connection, connections, name,
      fmt::format("podman default connection \"{}\" ({})", name, connections.default_file),
      connection_fix(name));
  }
  builder.add_default_sockets();
  if (os == HostOs::macos) {
    builder.add_podman_machines(connections);
    if (preference.backend == BackendChoice::automatic) {
      builder.add_apple(); // --backend docker|podman would only reject it
    }
  } else {
    // Podman runs natively only on Linux; on the Mac its service lives in
    // the podman machine, which crun-any does not start.
    result.podman_service = plan_podman_service(env, host);
    builder.add_on_demand(result.podman_service);
  }

  result.warnings = std::move(builder.warnings());
  for (auto& warning : connections.warnings) {
    result.warnings.push_back(std::move(warning));
  }
  result.candidates = deduplicate(std::move(builder.out()), host);
  return result;
}

} // namespace crun::backends::selection
