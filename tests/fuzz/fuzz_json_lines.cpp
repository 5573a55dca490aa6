// libFuzzer target: the JSON-lines decoder (core::JsonLineDecoder) fed in
// pieces, and every line through both pull-event decoders into a
// PullProgress. The first byte picks the piece size and a small line limit.
// A crun::Error is a correct answer.
#include <crun/core/error.hpp>
#include <crun/core/json_lines.hpp>
#include <crun/core/pull_events.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

// NOLINTNEXTLINE(readability-identifier-naming): libFuzzer names the entry point
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
  if (size == 0) {
    return 0;
  }
  const unsigned config = data[0];
  std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::size_t piece = (config & 0x3fU) + 1;
  const std::size_t limit =
    (config & 0x40U) != 0 ? 256 : crun::core::JsonLineDecoder::k_max_line_bytes;
  crun::core::JsonLineDecoder decoder(limit);
  crun::core::PullProgress docker;
  crun::core::PullProgress libpod;
  try {
    while (!bytes.empty()) {
      std::size_t n = std::min(piece, bytes.size());
      decoder.feed(bytes.substr(0, n));
      bytes.remove_prefix(n);
      while (auto line = decoder.next()) {
        try {
          for (const auto& event : crun::core::decode_docker_pull(*line)) {
            (void)crun::core::pull_event_kind_name(event.kind);
            docker.apply(event);
          }
        } catch (const crun::Error&) {
        }
        try {
          for (const auto& event : crun::core::decode_libpod_pull(*line)) {
            libpod.apply(event);
          }
        } catch (const crun::Error&) {
        }
      }
    }
    decoder.finish();
  } catch (const crun::Error&) {
  }
  (void)docker.done_count();
  (void)libpod.done_count();
  (void)crun::core::quoted_excerpt(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
