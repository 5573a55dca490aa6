// The engine-kind table: one row per engine crun-any drives.

#include <crun/backends/selection/engine_kinds.hpp>

#include "engine_kinds_impl.hpp"

namespace crun::backends::selection {
namespace {

using Target = EngineKindEntry::Target;

const EngineKindEntry k_docker{
  .kind = EngineKind::docker,
  .name = "docker",
  .target = Target::endpoint,
  .probe = kinds::ping,
  .assess = kinds::assess_pinged,
  .connect = kinds::connect_docker,
};

const EngineKindEntry k_podman{
  .kind = EngineKind::podman,
  .name = "podman",
  .target = Target::endpoint,
  .probe = kinds::ping,
  .assess = kinds::assess_pinged,
  .connect = kinds::connect_podman,
};

const EngineKindEntry k_apple{
  .kind = EngineKind::apple,
  .name = "apple",
  .target = Target::executable,
  .find = kinds::find_apple,
  .not_found = "Apple's container CLI is not installed (no `container` on PATH, nor "
               "/usr/local/bin/container)",
  .install_fix = "install it from https://github.com/apple/container/releases (macOS 26, "
                 "Apple silicon), then `container system start`",
  .probe = kinds::probe_apple,
  .assess = kinds::assess_apple,
  .connect = kinds::connect_apple,
};

} // namespace

const EngineKindEntry& engine_kind(EngineKind kind) noexcept
{
  switch (kind) {
  case EngineKind::docker: return k_docker;
  case EngineKind::podman: return k_podman;
  case EngineKind::apple: return k_apple;
  }
  return k_docker;
}

} // namespace crun::backends::selection
