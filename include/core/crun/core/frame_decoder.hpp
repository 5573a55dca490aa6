#pragma once
// Demultiplexes the attach stream of a container created with Tty=false, on
// Docker and Podman alike (docs/engine-apis.md §4.3): frames of an 8-byte header
// [type, 0, 0, 0, length as big-endian u32] followed by `length` payload bytes.
// Choose this decoder from the Tty you set, never from Content-Type (both test
// engines send raw-stream for multiplexed bodies) nor by sniffing bytes.

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>

namespace crun::core {

/// Where a piece of attach output belongs.
enum class Stream {
  out,          ///< the container's stdout (type 1), and stdin echo (type 0)
  err,          ///< the container's stderr (type 2)
  engine_error, ///< type 3: an error from the engine itself (moby stdcopy's
                ///< "systemerr", Podman's error channel), not container output
};

/// The name of `stream` for messages: "stdout", "stderr", "engine-error".
std::string_view stream_name(Stream stream) noexcept;

/// Receives output in arrival order. `piece` is only valid during the call.
using FrameSink = std::function<void(Stream stream, std::string_view piece)>;

/// Streaming demultiplexer: memory stays at one 8-byte header whatever the
/// frame size, because payload bytes are handed to the sink as they arrive,
/// as views into the fed bytes. A frame may therefore reach the sink in
/// several pieces (frames are not aligned to lines either); concatenating the
/// pieces per stream gives the exact output. Empty pieces are never delivered.
class FrameDecoder {
public:
  /// Decodes `bytes` (any size, cut anywhere, including inside a header),
  /// calling `sink` for each payload piece. Throws Errc::protocol naming the
  /// header bytes when a frame's type is not 0-3 (for example when a Tty=true
  /// raw stream is decoded as multiplexed); the decoder is then broken and
  /// must be dropped. Exceptions from `sink` propagate; the bytes of the piece
  /// that threw count as delivered.
  void feed(std::string_view bytes, const FrameSink& sink);

  /// True when the bytes fed so far end exactly at a frame boundary (also
  /// before any byte). At EOF the caller must check it: false means the
  /// connection dropped inside a frame, so the output already delivered is
  /// real but incomplete. The caller keeps what it wrote, and reports the
  /// truncation (finish() throws the message) instead of claiming success;
  /// for `run`, the container's exit status still comes from wait.
  bool at_frame_boundary() const noexcept { return m_header_size == 0 && m_remaining == 0; }

  /// Declares EOF. Throws Errc::protocol describing where the stream was cut
  /// (inside a header, or how many payload bytes of which stream are missing)
  /// unless at_frame_boundary().
  void finish() const;

private:
  std::array<unsigned char, 8> m_header{};
  std::size_t m_header_size = 0; ///< header bytes collected for the next frame
  std::uint32_t m_remaining = 0; ///< payload bytes of the current frame still to come
  Stream m_current = Stream::out;
};

} // namespace crun::core
