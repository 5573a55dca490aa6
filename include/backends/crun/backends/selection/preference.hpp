#pragma once
// Which backend the user asked for, and where that came from:
//   --backend > CRUN_ANY_BACKEND > the user config file's "backend" > auto.
// The user config is $XDG_CONFIG_HOME/crun-any/config.json (else
// $HOME/.config/crun-any/config.json), a JSON object such as
// {"backend": "podman"}; its other keys belong to other features (the
// user's policy) and are ignored here. Pure over Env and FileReader.

#include <crun/core/env.hpp>
#include <crun/transport/file_reader.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace crun::backends::selection {

enum class BackendChoice { automatic, docker, podman, apple };

/// "auto", "docker", "podman" or "apple". Never fails.
std::string_view choice_name(BackendChoice choice) noexcept;

struct Preference {
  BackendChoice backend = BackendChoice::automatic;
  /// "--backend", "CRUN_ANY_BACKEND", the config file's path, or "default".
  std::string source = "default";
};

/// The user config file's path; std::nullopt when neither XDG_CONFIG_HOME
/// nor HOME is set. Never fails.
std::optional<std::string> user_config_path(const Env& env);

/// Decides the preference. `flag` is the --backend value ("" when absent).
/// Throws Error(Errc::usage) for a CRUN_ANY_BACKEND (or flag) that is not
/// auto|docker|podman|apple; Error(Errc::invalid_input) naming the file when
/// the config file is not valid JSON (with line and column), is not a JSON
/// object, or has a "backend" that is not one of those strings. A missing or
/// unreadable config file means no preference there.
Preference resolve_preference(std::string_view flag, const Env& env,
                              const transport::FileReader& files);

} // namespace crun::backends::selection
