// libFuzzer target: the Podman connections reader
// (backends::selection::parse_connections_json, parse_containers_conf) over
// the same bytes. Both answer with warnings; a crun::Error is a correct
// answer too.
#include <crun/backends/selection/podman_connections.hpp>
#include <crun/core/error.hpp>

#include <cstddef>
#include <cstdint>
#include <string>

// NOLINTNEXTLINE(readability-identifier-naming): libFuzzer names the entry point
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
  const std::string text(reinterpret_cast<const char*>(data), size);
  namespace selection = crun::backends::selection;
  try {
    selection::PodmanConnections out;
    (void)selection::parse_connections_json(text, "podman-connections.json", out);
  } catch (const crun::Error&) {
  }
  try {
    selection::PodmanConnections out;
    selection::parse_containers_conf(text, "containers.conf", out);
  } catch (const crun::Error&) {
  }
  return 0;
}
