#include <crun/core/frame_decoder.hpp>

#include <crun/core/error.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace crun::core {
namespace {

constexpr std::size_t k_header_bytes = 8;

std::string header_hex(const std::array<unsigned char, 8>& header, std::size_t size)
{
  std::string text;
  for (std::size_t i = 0; i < size; ++i) {
    if (i > 0) {
      text += ' ';
    }
    text += fmt::format("{:02x}", header[i]);
  }
  return text;
}

} // namespace

std::string_view stream_name(Stream stream) noexcept
{
  switch (stream) {
  case Stream::out: return "stdout";
  case Stream::err: return "stderr";
  case Stream::engine_error: return "engine-error";
  }
  return "stdout";
}

void FrameDecoder::feed(std::string_view bytes, const FrameSink& sink)
{
  while (!bytes.empty()) {
    if (m_remaining > 0) {
      const std::size_t take = std::min<std::size_t>(m_remaining, bytes.size());
      const std::string_view piece = bytes.substr(0, take);
      bytes.remove_prefix(take);
      // State first: if the sink throws, the decoder still agrees with what
      // it was given.
      m_remaining -= static_cast<std::uint32_t>(take);
      sink(m_current, piece);
      continue;
    }
    const std::size_t take = std::min(k_header_bytes - m_header_size, bytes.size());
    std::copy_n(bytes.begin(), take, m_header.begin() + static_cast<std::ptrdiff_t>(m_header_size));
    m_header_size += take;
    bytes.remove_prefix(take);
    if (m_header_size < k_header_bytes) {
      return;
    }
    // Bytes 1-3 are padding; moby's stdcopy ignores them and so do we.
    switch (m_header[0]) {
    case 0: // stdin echo: docker writes it to stdout
    case 1: m_current = Stream::out; break;
    case 2: m_current = Stream::err; break;
    case 3: m_current = Stream::engine_error; break;
    default:
      fail(Errc::protocol,
           "attach stream frame has unknown stream type {} (header {}), as when the raw "
           "stream of a Tty=true container is read as multiplexed",
           m_header[0], header_hex(m_header, k_header_bytes));
    }
    m_remaining = (std::uint32_t{m_header[4]} << 24U) | (std::uint32_t{m_header[5]} << 16U) |
                  (std::uint32_t{m_header[6]} << 8U) | std::uint32_t{m_header[7]};
    m_header_size = 0;
  }
}

void FrameDecoder::finish() const
{
  if (m_header_size > 0) {
    fail(Errc::protocol, "attach stream ended inside a frame header ({} of 8 bytes: {})",
         m_header_size, header_hex(m_header, m_header_size));
  }
  if (m_remaining > 0) {
    fail(Errc::protocol,
         "attach stream ended inside a {} frame, {} bytes short; output is truncated",
         stream_name(m_current), m_remaining);
  }
}

} // namespace crun::core
