// libFuzzer target: the attach-frame demultiplexer (core::FrameDecoder) fed
// in pieces whose size the first byte picks. A crun::Error is a correct
// answer.
#include <crun/core/error.hpp>
#include <crun/core/frame_decoder.hpp>

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
  const std::size_t piece = data[0] + std::size_t{1};
  std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::size_t total = 0;
  const crun::core::FrameSink sink = [&total](crun::core::Stream stream, std::string_view got) {
    (void)crun::core::stream_name(stream);
    total += got.size();
  };
  crun::core::FrameDecoder decoder;
  try {
    while (!bytes.empty()) {
      std::size_t n = std::min(piece, bytes.size());
      decoder.feed(bytes.substr(0, n), sink);
      bytes.remove_prefix(n);
    }
    (void)decoder.at_frame_boundary();
    decoder.finish();
  } catch (const crun::Error&) {
  }
  if (total > size) {
    __builtin_trap(); // more payload out than bytes in
  }
  return 0;
}
