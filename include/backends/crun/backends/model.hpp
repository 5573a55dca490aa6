#pragma once
// The engine-neutral model of images and containers, and its JSON form: the
// one schema `crun-any inspect` prints whatever the engine
// (docs/inspect-schema.md). Each adapter decodes its engine's JSON into these.

#include <crun/core/platform.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace crun::backends {

/// What an image (or a container created from it) runs with.
struct ImageConfig {
  std::string user;
  std::vector<std::string> env;
  std::optional<std::vector<std::string>> entrypoint;
  std::optional<std::vector<std::string>> cmd;
  std::string working_dir;
  std::map<std::string, std::string> labels;
  std::vector<std::string> exposed_ports;
  std::vector<std::string> volumes;
  std::string stop_signal;
};

// nlohmann::json's move constructor is noexcept in practice; clang-tidy 14
// cannot see it (bugprone-exception-escape on the implicit members).
struct ImageInfo { // NOLINT(bugprone-exception-escape)
  std::string backend;
  std::string reference;                 ///< the name asked for, normalised
  std::string id;                        ///< "sha256:" + config digest
  std::optional<std::string> digest;     ///< manifest digest for `reference`'s repository
  std::vector<std::string> repo_tags;    ///< normalised
  std::vector<std::string> repo_digests; ///< normalised
  core::Platform platform;
  std::string created;
  std::int64_t size = 0;
  ImageConfig config;
  nlohmann::json raw; ///< the engine's own JSON, for --raw
};

struct ContainerState {
  std::string status; ///< created, running, paused, restarting, removing, exited, dead
  bool running = false;
  int exit_code = 0;
  /// False where the engine cannot tell an exit code (Apple's `container`
  /// keeps none): `exit_code` is then printed as null.
  bool exit_code_known = true;
  std::string error;
  bool oom_killed = false;
  std::string started_at;
  std::string finished_at;
};

struct ContainerInfo { // NOLINT(bugprone-exception-escape): as ImageInfo
  std::string backend;
  std::string id;
  std::string name;
  std::string reference; ///< the image reference the container was created from
  std::string image_id;
  core::Platform platform;
  std::string created;
  ImageConfig config;
  bool tty = false;
  bool open_stdin = false;
  ContainerState state;
  nlohmann::json raw;
};

/// The unified JSON objects of docs/inspect-schema.md. Never fail.
nlohmann::json to_json(const ImageInfo& image);
nlohmann::json to_json(const ContainerInfo& container);
nlohmann::json to_json(const core::Platform& platform);

/// The repo digest of `repo_digests` that belongs to `repository`
/// ("docker.io/library/busybox"), as "sha256:..."; std::nullopt when none does.
/// Entries may be familiar ("busybox@sha256:...") or normalised. Never fails.
std::optional<std::string> digest_for_repository(const std::vector<std::string>& repo_digests,
                                                 const std::string& repository);

/// `names` normalised with core::ImageRef (entries that do not parse, like
/// "<none>:<none>", are dropped). Never fails.
std::vector<std::string> normalized_names(const std::vector<std::string>& names);

} // namespace crun::backends
