#pragma once
// The lifecycle after `run -d` (ps, stop, rm, logs, wait, images, rmi): what
// the Engine methods for them take and give, in one shape for every engine.
// The rows' JSON (to_json) follows the inspect schema's names
// (docs/inspect-schema.md, "List rows").

#include <crun/core/frame_decoder.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace crun::backends {

/// One row of `ps`.
struct ContainerSummary { // NOLINT(bugprone-exception-escape): as ImageInfo
  std::string backend;
  std::string id;                ///< full ID, hex
  std::string name;              ///< without docker's leading '/'
  std::string reference;         ///< the image as the container was created from it
  std::string image_id;          ///< "sha256:..." where the engine tells it
  std::string command;           ///< the command line, words joined by spaces
  std::string created;           ///< RFC 3339, UTC; empty when unknown
  std::int64_t created_unix = 0; ///< 0 when unknown
  std::string status; ///< created, running, paused, restarting, removing, exited, dead, stopped
  bool running = false;
  std::optional<int> exit_code; ///< when the engine tells it and the container has exited
  std::string status_text; ///< the engine's own "Up 3 seconds" / "Exited (42) ..."; may be empty
  std::map<std::string, std::string> labels;
  nlohmann::json raw; ///< the engine's own row
};

/// One row of `images`.
struct ImageSummary { // NOLINT(bugprone-exception-escape): as ImageInfo
  std::string backend;
  std::string id;                        ///< "sha256:" + hex
  std::vector<std::string> repo_tags;    ///< as the engine names them
  std::vector<std::string> repo_digests; ///< "repo@sha256:..."
  std::string created;                   ///< RFC 3339, UTC; empty when unknown
  std::int64_t created_unix = 0;
  std::int64_t size = 0; ///< bytes; 0 when unknown
  std::map<std::string, std::string> labels;
  nlohmann::json raw;
};

/// `ps`'s selection: every container or the running ones, and label filters
/// ("key" or "key=value"; all must hold).
struct ContainerListOptions {
  bool all = false;
  std::vector<std::string> label_filters;
};

/// `rm`'s options.
struct RemoveOptions {
  bool force = false;   ///< kill a running container first
  bool volumes = false; ///< remove its anonymous volumes too
};

/// `logs`'s options.
struct LogsOptions {
  bool follow = false;     ///< until the container ends
  std::optional<int> tail; ///< the last N lines only
  bool timestamps = false; ///< each line prefixed with its RFC 3339 time
};

/// The row objects of `ps --format` / `images --format`; the keys are the
/// inspect schema's. Never fail.
nlohmann::json to_json(const ContainerSummary& row);
nlohmann::json to_json(const ImageSummary& row);

/// Whether `labels` satisfy every filter of `filters` ("key" present, or
/// "key=value" equal). Never fails.
bool labels_match(const std::map<std::string, std::string>& labels,
                  const std::vector<std::string>& filters);

/// RFC 3339 in UTC ("2026-11-30T21:03:44Z") of seconds since the epoch.
/// Never fails.
std::string rfc3339_from_unix(std::int64_t seconds);
/// Seconds since the epoch of an RFC 3339 time ("2026-11-30T21:03:54.64Z",
/// "...+01:00"); std::nullopt when it does not parse. Never fails.
std::optional<std::int64_t> unix_from_rfc3339(std::string_view text);

} // namespace crun::backends
