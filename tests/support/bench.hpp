// Test support: the bench of real engines that tests/bench/up starts (an OCI
// registry seeded with test images, dockerd, a Podman API service, arm64
// emulation), as the integration tests see it: read from $CRUN_BENCH_DIR/env.
#pragma once

#include "support/process.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace crun::test {

struct Bench {
  std::string dir;                // CRUN_BENCH_DIR
  std::string registry;           // host:port, plain HTTP (e.g. 127.0.0.1:5857)
  std::string docker_host;        // unix://.../docker.sock (dockerd 20.10, Engine API 1.41)
  std::string podman_host;        // unix://.../podman.sock (podman 4.3 service, libpod API)
  std::string image_small;        // amd64, Docker schema 2 manifest
  std::string image_multi;        // OCI index: linux/amd64 + linux/arm64
  std::string image_arm64;        // arm64 only, OCI manifest
  std::string image_big;          // amd64, OCI manifest, one layer with /payload
  std::string big_payload_sha256; // sha256 of /payload in image_big
  std::uint64_t big_payload_bytes = 0;
  std::string digest_small, digest_multi, digest_multi_amd64, digest_multi_arm64, digest_arm64,
    digest_big;
  std::string containers_conf; // what the Podman service runs with (CONTAINERS_CONF)
  std::string registries_conf; // lists the bench registry as insecure (CONTAINERS_REGISTRIES_CONF)
  std::string podman_root, podman_runroot;
  std::string logs; // the services' logs
  // The registry that requires a login (htpasswd, plain HTTP on loopback) and
  // the one user it knows. Empty when the env file predates them (rerun up).
  std::string auth_registry; // host:port (e.g. 127.0.0.1:5858)
  std::string auth_user, auth_password;
  std::string image_private;               // <auth_registry>/private/small:1, a copy of image_small
  std::string digest_private;              // its manifest digest, as the registry serves it
  std::map<std::string, std::string> vars; // every KEY=VALUE of the env file

  // The env file of the bench in dir; throws std::runtime_error saying what
  // is missing and how to start the bench.
  static Bench load(const std::string& dir);
  // The bench of configured_dir(), loaded once. Throws like load(); in a
  // test body gtest reports it as a failure (fixtures check unavailable()
  // first: support/bench_fixtures.hpp).
  static const Bench& get();
  // $CRUN_BENCH_DIR, else CRUN_BENCH_DIR_DEFAULT.
  static std::string configured_dir();
  // Why the bench of `dir` cannot be used, or nullopt when its env file is
  // there: not Linux, tests/bench/up could not run on this machine (the
  // reason it left in <dir>.unavailable), or it is not up.
  static std::optional<std::string> unavailable(const std::string& dir = configured_dir());

  std::string docker_socket() const; // docker_host without unix://
  std::string podman_socket() const; // podman_host without unix://
  // Environment that points a client at one engine, for ProcessOptions::env_set:
  // {"DOCKER_HOST=unix://..."} and {"CONTAINER_HOST=unix://..."}.
  std::vector<std::string> docker_env() const;
  std::vector<std::string> podman_env() const;
  // A repository reference in the bench registry: ref("bench/small", "1").
  std::string ref(const std::string& repo, const std::string& tag) const;
};

// Whether the bench must be there (CRUN_ANY_REQUIRE_BENCH=1, which `make
// test` sets): then a test that cannot use it fails instead of skipping.
bool bench_required();

// The crun-any binary under test: $CRUN_ANY_BIN, else CRUN_ANY_BIN_DEFAULT.
std::string crun_any_bin();

// crun-any with args. The environment is the test's own plus options.env_set;
// pass bench.docker_env() or bench.podman_env() (or --host) to pick an engine.
ProcessResult run_crun_any(const std::vector<std::string>& args,
                           const ProcessOptions& options = {});

// The engines' own CLIs against the bench: `docker` with DOCKER_HOST set to
// the bench's dockerd (DOCKER_CONTEXT and TLS variables unset, a private
// DOCKER_CONFIG), and `podman --remote --url <bench podman socket>`.
ProcessResult run_docker(const std::vector<std::string>& args, const ProcessOptions& options = {});
ProcessResult run_podman(const std::vector<std::string>& args, const ProcessOptions& options = {});

// A small HTTP client for tests (a curl subprocess): GET/HEAD over TCP, or
// over a unix socket when unix_socket is set (url then names only the path,
// e.g. "http://d/_ping").
struct HttpResponse {
  long status = 0; // 0 if no response at all (see error)
  std::string status_line;
  std::map<std::string, std::string> headers; // names lower-cased; the last of repeated ones
  std::string body;
  std::string error;                                                // curl's message when it failed
  std::optional<std::string> header(const std::string& name) const; // case-insensitive
};
HttpResponse http_request(const std::string& method, const std::string& url,
                          const std::vector<std::string>& headers = {},
                          const std::optional<std::string>& unix_socket = std::nullopt,
                          std::chrono::seconds timeout = std::chrono::seconds{60});

// The media types a client offers when it asks for a manifest or an index.
extern const char* const k_accept_any_manifest;

struct RegistryManifest {
  long status = 0;
  std::string content_type; // the media type the registry served
  std::string digest;       // Docker-Content-Digest header
  std::string body;         // the manifest's bytes, as served
  std::string error;
};
// GET http://<bench registry>/v2/<repo>/manifests/<reference> with Accept: accept.
RegistryManifest registry_manifest(const std::string& repo, const std::string& reference,
                                   const std::string& accept = k_accept_any_manifest);
// GET http://<bench registry>/v2/<repo>/blobs/<digest> (the body, e.g. an image config).
HttpResponse registry_blob(const std::string& repo, const std::string& digest);

// Runs fn at scope exit (cleanup that must happen when an assertion fails).
class Defer {
public:
  explicit Defer(std::function<void()> fn) : m_fn(std::move(fn)) {}
  Defer(const Defer&) = delete;
  Defer& operator=(const Defer&) = delete;
  ~Defer()
  {
    if (m_fn) {
      try {
        m_fn();
      } catch (...) {
      }
    }
  }
  void cancel() { m_fn = nullptr; }

private:
  std::function<void()> m_fn;
};

// A name unlikely to clash between tests and runs: "<prefix>-<pid>-<counter>-<random>".
std::string unique_name(const std::string& prefix);

} // namespace crun::test
