#include <crun/transport/docker_endpoint.hpp>

#include <crun/core/error.hpp>

#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include <array>

namespace crun::transport {

namespace {

using nlohmann::json;

std::string join(std::string_view dir, std::string_view name)
{
  std::string path(dir);
  if (!path.empty() && path.back() != '/') {
    path += '/';
  }
  path += name;
  return path;
}

// Each default TLS file is used only if it exists, as the CLI drops missing
// defaults (cli/flags/options.go SetDefaultOptions).
void add_tls_files(Endpoint& endpoint, const std::string& dir, const FileReader& files)
{
  auto existing = [&](std::string_view name) {
    auto path = join(dir, name);
    return files.read(path) ? path : std::string();
  };
  endpoint.ca_file = existing("ca.pem");
  endpoint.cert_file = existing("cert.pem");
  endpoint.key_file = existing("key.pem");
}

ResolvedEndpoint from_host(const std::string& host, std::string source, const Env& env,
                           const std::optional<std::string>& config_dir, const FileReader& files)
{
  // Any non-empty value counts, "0" included: the CLI tests `!= ""`.
  bool verify = env.get("DOCKER_TLS_VERIFY").has_value();
  bool tls = verify || env.get("DOCKER_TLS").has_value();
  Endpoint endpoint = Endpoint::parse(host, tls);
  if (endpoint.kind == Endpoint::Kind::tcp && tls) {
    endpoint.tls_verify = verify;
    auto cert_dir = env.get("DOCKER_CERT_PATH");
    if (!cert_dir) {
      cert_dir = config_dir;
    }
    if (cert_dir) {
      add_tls_files(endpoint, *cert_dir, files);
    }
  }
  return ResolvedEndpoint{std::move(endpoint), std::move(source), {}};
}

// config.json's currentContext; "" when there is none. An unreadable file is a
// warning, as the CLI only warns about it and carries on with defaults.
std::string current_context(const std::optional<std::string>& config_dir, const FileReader& files,
                            std::vector<std::string>& warnings)
{
  if (!config_dir) {
    return {};
  }
  auto path = join(*config_dir, "config.json");
  auto text = files.read(path);
  if (!text) {
    return {};
  }
  json config = json::parse(*text, nullptr, false);
  if (config.is_discarded() || !config.is_object()) {
    warnings.push_back(fmt::format("ignoring {}: not a valid json object", path));
    return {};
  }
  auto it = config.find("currentContext");
  if (it == config.end() || !it->is_string()) {
    return {};
  }
  return it->get<std::string>();
}

// A context's docker endpoint as its meta.json stores it.
struct ContextEndpoint {
  std::string host;
  bool skip_verify = false;
  std::string tls_dir; // where its TLS files are, if it has any
};

ContextEndpoint read_context(const std::string& name, std::string_view chosen_by,
                             const std::optional<std::string>& config_dir, const FileReader& files)
{
  auto hash = docker_context_dir_name(name);
  std::string meta_path =
    config_dir ? join(*config_dir, "contexts/meta/" + hash + "/meta.json") : std::string();
  auto text = config_dir ? files.read(meta_path) : std::nullopt;
  if (!text) {
    fail(Errc::invalid_input,
         "docker context \"{}\" (from {}) does not exist{}: list the contexts with "
         "`docker context ls`",
         name, chosen_by,
         config_dir ? fmt::format(" (no {})", meta_path)
                    : std::string(" (neither DOCKER_CONFIG nor HOME is set)"));
  }

  json meta = json::parse(*text, nullptr, false);
  const json* docker = nullptr;
  if (!meta.is_discarded() && meta.is_object()) {
    auto endpoints = meta.find("Endpoints");
    if (endpoints != meta.end() && endpoints->is_object()) {
      auto it = endpoints->find("docker");
      if (it != endpoints->end() && it->is_object()) {
        docker = &*it;
      }
    }
  }
  if (!docker) {
    fail(Errc::invalid_input,
         "docker context \"{}\" has no docker endpoint in {}: check it with "
         "`docker context inspect {}`",
         name, meta_path, name);
  }

  ContextEndpoint context;
  context.host = docker->value("Host", std::string());
  context.skip_verify = docker->value("SkipTLSVerify", false);
  if (context.host.empty()) {
    context.host = k_default_docker_host;
  }
  context.tls_dir = join(*config_dir, "contexts/tls/" + hash + "/docker");
  return context;
}

ResolvedEndpoint from_context(const std::string& name, std::string_view chosen_by,
                              const std::optional<std::string>& config_dir, const FileReader& files)
{
  ContextEndpoint context = read_context(name, chosen_by, config_dir, files);
  Endpoint probe;
  add_tls_files(probe, context.tls_dir, files);
  // The CLI uses TLS for a context iff it stores TLS data or skips
  // verification (cli/context/docker/load.go tlsConfig).
  bool tls = context.skip_verify || !probe.ca_file.empty() || !probe.cert_file.empty() ||
             !probe.key_file.empty();
  Endpoint endpoint = Endpoint::parse(context.host, tls);
  if (endpoint.kind == Endpoint::Kind::tcp && endpoint.tls) {
    endpoint.tls_verify = !context.skip_verify;
    endpoint.ca_file = probe.ca_file;
    endpoint.cert_file = probe.cert_file;
    endpoint.key_file = probe.key_file;
  }
  return ResolvedEndpoint{std::move(endpoint), fmt::format("context \"{}\"", name), {}};
}

// What names the endpoint, in the order of docker/cli resolveContextName
// (DOCKER_HOST beats DOCKER_CONTEXT): a host, or else a context ("" or
// "default" meaning the platform's socket).
struct Naming {
  std::optional<std::string> host{}; // --host or DOCKER_HOST
  std::string source{};              // "--host", "DOCKER_HOST"
  std::string context{};
  std::string chosen_by{};
  std::vector<std::string> warnings{};

  bool is_default() const { return !host && (context.empty() || context == "default"); }
};

Naming name_endpoint(const Env& env, const FileReader& files, const DockerEndpointFlags& flags,
                     const std::optional<std::string>& config_dir)
{
  if (flags.host && flags.context) {
    fail(Errc::usage, "conflicting options: use either --host or --context, not both");
  }
  Naming naming;
  if (flags.context) {
    naming.context = *flags.context;
    naming.chosen_by = "--context";
  } else if (flags.host) {
    naming.host = *flags.host;
    naming.source = "--host";
  } else if (auto host = env.get("DOCKER_HOST")) {
    naming.host = *host;
    naming.source = "DOCKER_HOST";
  } else if (auto context = env.get("DOCKER_CONTEXT")) {
    naming.context = *context;
    naming.chosen_by = "DOCKER_CONTEXT";
  } else {
    naming.context = current_context(config_dir, files, naming.warnings);
    naming.chosen_by = "currentContext in " + join(config_dir.value_or(""), "config.json");
  }
  return naming;
}

} // namespace

std::optional<std::string> docker_config_dir(const Env& env)
{
  if (auto dir = env.get("DOCKER_CONFIG")) {
    return dir;
  }
  if (auto home = env.get("HOME")) {
    return join(*home, ".docker");
  }
  return std::nullopt;
}

std::string docker_context_dir_name(std::string_view name)
{
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  if (EVP_Digest(name.data(), name.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1) {
    // Only an OpenSSL without SHA-256 gets here: a broken installation.
    fail(Errc::internal, "openssl cannot compute sha256 for docker context \"{}\"", name);
  }
  std::string hex;
  hex.reserve(size * 2);
  for (unsigned int i = 0; i < size; ++i) {
    hex += fmt::format("{:02x}", digest[i]);
  }
  return hex;
}

DockerHost docker_host(const Env& env, const FileReader& files, const DockerEndpointFlags& flags)
{
  auto config_dir = docker_config_dir(env);
  Naming naming = name_endpoint(env, files, flags, config_dir);
  if (naming.host) {
    return DockerHost{*naming.host, naming.source, {}};
  }
  if (naming.is_default()) {
    return DockerHost{std::string(k_default_docker_host), "default", std::move(naming.warnings)};
  }
  return DockerHost{read_context(naming.context, naming.chosen_by, config_dir, files).host,
                    fmt::format("context \"{}\"", naming.context), std::move(naming.warnings)};
}

ResolvedEndpoint resolve_docker_endpoint(const Env& env, const FileReader& files,
                                         const DockerEndpointFlags& flags)
{
  auto config_dir = docker_config_dir(env);
  Naming naming = name_endpoint(env, files, flags, config_dir);
  if (naming.host) {
    return from_host(*naming.host, naming.source, env, config_dir, files);
  }
  // "default" is never stored: it means the platform's socket.
  ResolvedEndpoint resolved =
    naming.is_default()
      ? from_host(std::string(k_default_docker_host), "default", env, config_dir, files)
      : from_context(naming.context, naming.chosen_by, config_dir, files);
  resolved.warnings = std::move(naming.warnings);
  return resolved;
}

} // namespace crun::transport
