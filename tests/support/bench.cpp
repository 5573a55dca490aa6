#include "support/bench.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <random>
#include <stdexcept>

#ifndef CRUN_BENCH_DIR_DEFAULT
#define CRUN_BENCH_DIR_DEFAULT "/tmp/crun-bench"
#endif
#ifndef CRUN_ANY_BIN_DEFAULT
#define CRUN_ANY_BIN_DEFAULT "crun-any"
#endif

namespace crun::test {

namespace {

std::string env_or(const char* name, const std::string& fallback)
{
  const char* v = std::getenv(name);
  return (v != nullptr && *v != '\0') ? std::string(v) : fallback;
}

std::string lower(std::string s)
{
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string trim(std::string s)
{
  auto not_space = [](unsigned char c) { return !std::isspace(c); };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
  s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
  return s;
}

std::string strip_unix(const std::string& host)
{
  const std::string scheme = "unix://";
  return host.rfind(scheme, 0) == 0 ? host.substr(scheme.size()) : host;
}

std::vector<std::string> concat(std::vector<std::string> a, const std::vector<std::string>& b)
{
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

} // namespace

const char* const k_accept_any_manifest =
  "application/vnd.oci.image.index.v1+json, "
  "application/vnd.docker.distribution.manifest.list.v2+json, "
  "application/vnd.oci.image.manifest.v1+json, "
  "application/vnd.docker.distribution.manifest.v2+json";

// --------------------------------------------------------------------- Bench

Bench Bench::load(const std::string& dir)
{
  const std::string path = dir + "/env";
  std::ifstream in(path);
  if (!in) {
    throw std::runtime_error(
      "the test bench is not up: " + path +
      " is missing. Start it with tests/bench/up (ctest -L integration runs it as the "
      "`bench` fixture), or set CRUN_BENCH_DIR to the directory of a running bench.");
  }
  Bench b;
  std::string line;
  while (std::getline(in, line)) {
    line = trim(line);
    if (line.empty() || line[0] == '#') {
      continue;
    }
    auto eq = line.find('=');
    if (eq == std::string::npos) {
      continue;
    }
    b.vars[line.substr(0, eq)] = line.substr(eq + 1);
  }
  std::vector<std::string> missing;
  auto need = [&](const char* key) -> std::string {
    auto it = b.vars.find(key);
    if (it == b.vars.end() || it->second.empty()) {
      missing.emplace_back(key);
      return {};
    }
    return it->second;
  };
  auto want = [&](const char* key) -> std::string {
    auto it = b.vars.find(key);
    return it == b.vars.end() ? std::string() : it->second;
  };
  b.dir = need("CRUN_BENCH_DIR");
  b.registry = need("CRUN_BENCH_REGISTRY");
  b.docker_host = need("CRUN_BENCH_DOCKER_HOST");
  b.podman_host = need("CRUN_BENCH_PODMAN_HOST");
  b.image_small = need("CRUN_BENCH_IMAGE_SMALL");
  b.image_multi = need("CRUN_BENCH_IMAGE_MULTI");
  b.image_arm64 = need("CRUN_BENCH_IMAGE_ARM64");
  b.image_big = need("CRUN_BENCH_IMAGE_BIG");
  b.big_payload_sha256 = need("CRUN_BENCH_BIG_PAYLOAD_SHA256");
  std::string bytes = need("CRUN_BENCH_BIG_PAYLOAD_BYTES");
  b.containers_conf = need("CRUN_BENCH_CONTAINERS_CONF");
  b.registries_conf = need("CRUN_BENCH_REGISTRIES_CONF");
  b.digest_small = want("CRUN_BENCH_DIGEST_SMALL");
  b.digest_multi = want("CRUN_BENCH_DIGEST_MULTI");
  b.digest_multi_amd64 = want("CRUN_BENCH_DIGEST_MULTI_AMD64");
  b.digest_multi_arm64 = want("CRUN_BENCH_DIGEST_MULTI_ARM64");
  b.digest_arm64 = want("CRUN_BENCH_DIGEST_ARM64");
  b.digest_big = want("CRUN_BENCH_DIGEST_BIG");
  b.podman_root = want("CRUN_BENCH_PODMAN_ROOT");
  b.podman_runroot = want("CRUN_BENCH_PODMAN_RUNROOT");
  b.logs = want("CRUN_BENCH_LOGS");
  b.auth_registry = want("CRUN_BENCH_AUTH_REGISTRY");
  b.auth_user = want("CRUN_BENCH_AUTH_USER");
  b.auth_password = want("CRUN_BENCH_AUTH_PASSWORD");
  b.image_private = want("CRUN_BENCH_IMAGE_PRIVATE");
  b.digest_private = want("CRUN_BENCH_DIGEST_PRIVATE");
  if (!missing.empty()) {
    std::string list;
    for (const auto& m : missing) {
      list += (list.empty() ? "" : ", ") + m;
    }
    throw std::runtime_error("the bench env file " + path + " lacks " + list +
                             ": rerun tests/bench/up");
  }
  try {
    b.big_payload_bytes = std::stoull(bytes);
  } catch (const std::exception&) {
    throw std::runtime_error("the bench env file " + path +
                             " has CRUN_BENCH_BIG_PAYLOAD_BYTES=" + bytes + ", not a number");
  }
  return b;
}

const Bench& Bench::get()
{
  static const Bench bench = load(configured_dir());
  return bench;
}

std::string Bench::configured_dir()
{
  std::string dir = env_or("CRUN_BENCH_DIR", CRUN_BENCH_DIR_DEFAULT);
  while (dir.size() > 1 && dir.back() == '/') {
    dir.pop_back(); // as tests/bench/up does, so that <dir>.unavailable is its file
  }
  return dir;
}

std::optional<std::string> Bench::unavailable(const std::string& dir)
{
#if !defined(__linux__)
  (void)dir;
  return "the test bench runs on Linux only (tests/bench/up)";
#else
  if (std::ifstream(dir + "/env")) {
    return std::nullopt;
  }
  // Left by tests/bench/up when this machine cannot run it (not root, no
  // apt); only read when there is no bench, so a stale one hides nothing.
  std::ifstream marker(dir + ".unavailable");
  std::string reason;
  if (marker && std::getline(marker, reason) && !trim(reason).empty()) {
    return "tests/bench/up cannot run here: " + trim(reason);
  }
  return "the test bench is not up (" + dir +
         "/env is missing): start it with tests/bench/up, "
         "or set CRUN_BENCH_DIR to the directory of a running bench";
#endif
}

bool bench_required()
{
  return env_or("CRUN_ANY_REQUIRE_BENCH", "") == "1";
}

std::string Bench::docker_socket() const
{
  return strip_unix(docker_host);
}

std::string Bench::podman_socket() const
{
  return strip_unix(podman_host);
}

std::vector<std::string> Bench::docker_env() const
{
  return {"DOCKER_HOST=" + docker_host};
}

std::vector<std::string> Bench::podman_env() const
{
  return {"CONTAINER_HOST=" + podman_host};
}

std::string Bench::ref(const std::string& repo, const std::string& tag) const
{
  return registry + "/" + repo + ":" + tag;
}

// ------------------------------------------------------------------ commands

std::string crun_any_bin()
{
  return env_or("CRUN_ANY_BIN", CRUN_ANY_BIN_DEFAULT);
}

ProcessResult run_crun_any(const std::vector<std::string>& args, const ProcessOptions& options)
{
  return run_process(concat({crun_any_bin()}, args), options);
}

ProcessResult run_docker(const std::vector<std::string>& args, const ProcessOptions& options)
{
  const Bench& bench = Bench::get();
  ProcessOptions opts = options;
  opts.env_unset.insert(opts.env_unset.end(), {"DOCKER_CONTEXT", "DOCKER_TLS_VERIFY",
                                               "DOCKER_CERT_PATH", "DOCKER_DEFAULT_PLATFORM"});
  std::vector<std::string> env = {"DOCKER_HOST=" + bench.docker_host,
                                  "DOCKER_CONFIG=" + bench.dir + "/docker-cli"};
  opts.env_set.insert(opts.env_set.begin(), env.begin(), env.end());
  return run_process(concat({env_or("CRUN_BENCH_DOCKER_CLI", "docker")}, args), opts);
}

ProcessResult run_podman(const std::vector<std::string>& args, const ProcessOptions& options)
{
  const Bench& bench = Bench::get();
  ProcessOptions opts = options;
  opts.env_unset.insert(opts.env_unset.end(), {"CONTAINER_HOST", "CONTAINER_CONNECTION"});
  return run_process(concat({"podman", "--remote", "--url", bench.podman_host}, args), opts);
}

// ---------------------------------------------------------------------- HTTP

std::optional<std::string> HttpResponse::header(const std::string& name) const
{
  auto it = headers.find(lower(name));
  if (it == headers.end()) {
    return std::nullopt;
  }
  return it->second;
}

HttpResponse http_request(const std::string& method, const std::string& url,
                          const std::vector<std::string>& headers,
                          const std::optional<std::string>& unix_socket,
                          std::chrono::seconds timeout)
{
  std::vector<std::string> argv = {"curl", "-sS",        "--noproxy",
                                   "*",    "--max-time", std::to_string(timeout.count())};
  if (method == "HEAD") {
    argv.emplace_back("-I");
  } else {
    argv.insert(argv.end(), {"-i", "-X", method});
  }
  for (const auto& h : headers) {
    argv.insert(argv.end(), {"-H", h});
  }
  if (unix_socket) {
    argv.insert(argv.end(), {"--unix-socket", *unix_socket});
  }
  argv.push_back(url);
  ProcessOptions opts;
  opts.timeout = timeout + std::chrono::seconds(10);
  ProcessResult r = run_process(argv, opts);

  HttpResponse resp;
  if (r.exit_code != 0) {
    resp.error = "curl " + method + " " + url + ": " + r.status() + ": " + trim(r.err);
    if (r.out.empty()) {
      return resp;
    }
  }
  std::string_view rest = r.out;
  // Header blocks: skip interim 1xx responses.
  for (;;) {
    auto end = rest.find("\r\n\r\n");
    std::size_t sep = 4;
    if (end == std::string_view::npos) {
      end = rest.find("\n\n");
      sep = 2;
    }
    std::string_view block = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + sep);
    resp.headers.clear();
    std::size_t pos = 0;
    bool first = true;
    while (pos <= block.size()) {
      auto nl = block.find('\n', pos);
      std::string line(
        block.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos));
      pos = nl == std::string_view::npos ? block.size() + 1 : nl + 1;
      if (!line.empty() && line.back() == '\r') {
        line.pop_back();
      }
      if (first) {
        resp.status_line = line;
        auto sp = line.find(' ');
        resp.status = sp == std::string::npos ? 0 : std::strtol(line.c_str() + sp + 1, nullptr, 10);
        first = false;
        continue;
      }
      auto colon = line.find(':');
      if (colon != std::string::npos) {
        resp.headers[lower(line.substr(0, colon))] = trim(line.substr(colon + 1));
      }
    }
    if (resp.status >= 100 && resp.status < 200 && rest.rfind("HTTP/", 0) == 0) {
      continue;
    }
    break;
  }
  resp.body = std::string(rest);
  return resp;
}

RegistryManifest registry_manifest(const std::string& repo, const std::string& reference,
                                   const std::string& accept)
{
  const Bench& bench = Bench::get();
  HttpResponse r =
    http_request("GET", "http://" + bench.registry + "/v2/" + repo + "/manifests/" + reference,
                 {"Accept: " + accept});
  RegistryManifest m;
  m.status = r.status;
  m.content_type = r.header("content-type").value_or("");
  m.digest = r.header("docker-content-digest").value_or("");
  m.body = std::move(r.body);
  m.error = std::move(r.error);
  return m;
}

HttpResponse registry_blob(const std::string& repo, const std::string& digest)
{
  const Bench& bench = Bench::get();
  return http_request("GET", "http://" + bench.registry + "/v2/" + repo + "/blobs/" + digest, {},
                      std::nullopt, std::chrono::seconds{120});
}

std::string unique_name(const std::string& prefix)
{
  static std::atomic<unsigned> counter{0};
  static const unsigned salt = std::random_device{}();
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04x", (salt + counter.load()) & 0xffff);
  return prefix + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" + buf;
}

} // namespace crun::test
