#pragma once
// Podman's stored connections, read the way the podman CLI reads them
// (engine-apis.md 1.2): podman-connections.json (Podman >= 5.0;
// $PODMAN_CONNECTIONS_CONF, else $XDG_CONFIG_HOME/containers/, else
// ~/.config/containers/) first, then containers.conf's [engine]
// active_service and [engine.service_destinations.NAME] (the only form in
// 4.x): $CONTAINERS_CONF alone when set, else /etc/containers/containers.conf
// then the user's containers.conf. Pure over Env and FileReader.

#include <crun/core/env.hpp>
#include <crun/transport/file_reader.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace crun::backends::selection {

struct PodmanConnection {
  std::string uri{};       ///< "unix:///…", "ssh://core@127.0.0.1:53211/run/…"
  bool is_machine = false; ///< made by `podman machine init`
  std::string file{};      ///< where it was read, for messages
};

struct PodmanConnections {
  std::map<std::string, PodmanConnection> by_name{};
  std::optional<std::string> default_name{}; ///< Connection.Default, else active_service
  std::string default_file{};                ///< where the default was set
  /// Files that could not be read as their format says, for doctor; they are
  /// otherwise ignored, as they are Podman's files, not crun-any's.
  std::vector<std::string> warnings{};
};

/// Reads every connection. Never throws (except std::bad_alloc): a broken
/// file becomes a warning.
PodmanConnections read_podman_connections(const Env& env, const transport::FileReader& files);

/// The connections of one podman-connections.json text, into `out`; they
/// replace connections of the same name and the default read before, since
/// Podman prefers this file to containers.conf.
/// Returns false when the text is not the expected JSON. Never throws.
bool parse_connections_json(const std::string& text, const std::string& file,
                            PodmanConnections& out);

/// The [engine] active_service and service destinations of one
/// containers.conf text (a small subset of TOML: tables, dotted table names,
/// basic and literal strings, booleans, inline tables), into `out`; a later
/// file's values replace an earlier one's, as containers.conf files stack.
/// Lines it cannot read are skipped. Never throws.
void parse_containers_conf(const std::string& text, const std::string& file,
                           PodmanConnections& out);

} // namespace crun::backends::selection
