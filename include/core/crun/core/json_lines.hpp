#pragma once
// Frames an engine's streamed JSON body (Docker /images/create, libpod
// /images/pull, /events, ...) into one JSON value per line. Both engines
// write each value with Go's json.Encoder, which ends it with '\n', and flush
// per value; the transport hands us whatever bytes arrived, cut anywhere.

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace crun::core {

/// Splits a byte stream into JSON values, one per '\n'-terminated line.
///
/// Rules (one test each in tests/unit/core/json_lines_test.cpp):
/// - lines end at '\n'; '\r' and blank lines are whitespace, so CRLF and
///   LF streams decode alike, even when a chunk ends between '\r' and '\n';
/// - a chunk may end anywhere, including inside a multi-byte UTF-8 character:
///   a line is only looked at once its '\n' has arrived;
/// - a line that is not JSON is Errc::protocol naming the line;
/// - at finish(), leftover non-whitespace is a truncation error.
///
/// Memory is bounded by the longest line plus the largest chunk fed, provided
/// the caller drains next() after every feed(). The decoder is single-use: after
/// it throws from feed() or finish() the stream is broken and should be dropped;
/// after next() throws on a non-JSON line that line is consumed and decoding
/// may continue.
class JsonLineDecoder {
public:
  /// Longest line accepted (without its '\n'); larger lines are a protocol
  /// error, so a broken or hostile engine cannot make us buffer without bound.
  static constexpr std::size_t k_max_line_bytes = 16 * 1024 * 1024;

  /// A decoder that accepts lines of up to `max_line_bytes` (tests use small
  /// limits). Never fails.
  explicit JsonLineDecoder(std::size_t max_line_bytes = k_max_line_bytes)
    : m_max_line_bytes(max_line_bytes)
  {
  }

  /// Appends `bytes` (any size, cut anywhere). Throws Errc::protocol when the
  /// line being assembled grows past the limit (k_max_line_bytes by default).
  void feed(std::string_view bytes);

  /// The next complete JSON value, or std::nullopt when no complete line is
  /// buffered (feed more). Blank and whitespace-only lines are skipped.
  /// Throws Errc::protocol naming (an excerpt of) the line and its number when
  /// a line is not JSON, or when a complete line exceeds the limit.
  std::optional<nlohmann::json> next();

  /// Declares the end of the stream. Throws Errc::protocol when bytes other
  /// than whitespace arrived after the last '\n' (the body was cut short), and
  /// Errc::internal when complete lines are still buffered (call next() until
  /// it returns std::nullopt first).
  void finish();

  /// Number of lines framed so far (blank ones included); for messages.
  std::size_t line_count() const noexcept { return m_line_count; }

private:
  void compact();

  std::size_t m_max_line_bytes;
  std::string m_buffer;
  std::size_t m_begin = 0;      ///< first byte not yet consumed by next()
  std::size_t m_scanned = 0;    ///< no '\n' in [m_begin, m_scanned)
  std::size_t m_tail_begin = 0; ///< first byte after the last '\n' in m_buffer
  std::size_t m_line_count = 0;
};

/// `text` cut to at most `max_bytes` (on a UTF-8 character boundary) and
/// quoted with escapes, for naming untrusted input in an error message:
/// `"Error: foo\n..." (4096 bytes)`. Never throws except std::bad_alloc.
std::string quoted_excerpt(std::string_view text, std::size_t max_bytes = 120);

} // namespace crun::core
