#pragma once
// Every place an engine may answer, built from the environment, the docker
// and podman configuration files and the well-known sockets, in ranking
// order (candidate.hpp) and deduplicated. Pure over Env, FileReader and
// HostLookup: nothing is pinged here.

#include <crun/backends/selection/candidate.hpp>
#include <crun/backends/selection/host_lookup.hpp>
#include <crun/backends/selection/podman_service.hpp>
#include <crun/backends/selection/preference.hpp>
#include <crun/core/env.hpp>
#include <crun/transport/file_reader.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace crun::backends::selection {

struct Discovery {
  /// Ranked and deduplicated; the on-demand Podman service, when there is
  /// one (Linux), is last.
  std::vector<Candidate> candidates{};
  /// True when one endpoint was named (--host; DOCKER_HOST with --backend
  /// docker; CONTAINER_CONNECTION or CONTAINER_HOST with --backend podman):
  /// it is the only candidate, and whatever answers there is used.
  bool single_endpoint = false;
  /// Where the on-demand service would run (its podman is empty when podman
  /// is not on PATH); meaningful when the last candidate is on_demand_podman.
  PodmanServicePlan podman_service{};
  /// Configuration files that could not be read (ignored).
  std::vector<std::string> warnings{};
};

/// Builds the candidates for `preference`, `host_flag` (the --host value,
/// "" when absent) and the machine `os`. Never throws (except
/// std::bad_alloc): a setting that cannot be used becomes a candidate whose
/// `problem` says why, so that doctor can show it.
Discovery discover_candidates(const Preference& preference, std::string_view host_flag,
                              const Env& env, const transport::FileReader& files,
                              const HostLookup& host, HostOs os);

/// Merges candidates that name the same socket (symlinks resolved through
/// `host`) or the same tcp address into the first, highest-ranked one,
/// whose also_named_by lists the others' sources. Never fails.
std::vector<Candidate> deduplicate(std::vector<Candidate> candidates, const HostLookup& host);

} // namespace crun::backends::selection
