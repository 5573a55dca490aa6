#pragma once
// A bidirectional byte stream to a container's standard streams, as the
// console pumps use it: one thread reads the output while another writes
// the input and half-closes it at its end. A socket (RawStream: an engine's
// hijacked attach connection) and a child's pipes (PipeStream: a CLI-driven
// engine such as Apple's `container`) both fit.

#include <cstddef>
#include <string_view>

namespace crun::transport {

class ByteStream {
public:
  virtual ~ByteStream() = default;
  ByteStream() = default;
  ByteStream(const ByteStream&) = delete;
  ByteStream& operator=(const ByteStream&) = delete;

  // Threads: read_some may run in one thread while write_all and
  // shutdown_write run in another. shutdown() is safe from any thread at any
  // time. close() and the destructor must not overlap any other call.

  /// Reads up to `n` (> 0) bytes into `buf`; blocks until at least one byte
  /// is available. Returns the bytes read; 0 at end of stream (including a
  /// peer that went away: the container's outcome is its wait's to report,
  /// not the stream's), and after shutdown() or close(). Throws
  /// Error(Errc::engine_error) naming the peer on any other failure.
  virtual std::size_t read_some(char* buf, std::size_t n) = 0;

  /// Writes all of `data`; blocks while the peer is not reading. Never
  /// raises SIGPIPE. Throws Error(Errc::engine_error) naming the peer when
  /// the other end is closed (typically the container exited, so a stdin
  /// pump should stop quietly), after shutdown_write() or shutdown(), or on
  /// any other failure.
  virtual void write_all(std::string_view data) = 0;

  /// Half-closes: the container reads end of file on its stdin while
  /// read_some keeps receiving. Idempotent; never throws.
  virtual void shutdown_write() = 0;

  /// Ends both directions, waking a read_some or write_all blocked in
  /// another thread (read_some then returns 0). Never throws.
  virtual void shutdown() = 0;

  /// Releases the descriptors. Idempotent; never throws.
  virtual void close() = 0;

  /// The descriptor read_some reads, for poll() and terminal plumbing; -1
  /// after close(). Never fails.
  virtual int native_handle() const noexcept = 0;
};

} // namespace crun::transport
