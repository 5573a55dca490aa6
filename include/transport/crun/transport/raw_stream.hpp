#pragma once
// A hijacked connection (the attach stream) as a raw bidirectional byte
// stream over a blocking POSIX socket. Plain ::recv/::send on one fd let one
// thread pump the container's output while another pumps stdin into it,
// without an event loop between them. One of the ByteStreams the console
// pumps take (byte_stream.hpp).

#include <crun/core/error.hpp>
#include <crun/transport/byte_stream.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace crun::transport {

class RawStream final : public ByteStream {
public:
  /// Takes ownership of the connected socket `fd` (switched to blocking mode,
  /// close-on-exec and, on macOS, SO_NOSIGPIPE). `read_ahead` holds bytes that
  /// already arrived and are returned first by read_some. `peer` names the
  /// other end in messages ("unix:///var/run/docker.sock"). Never fails: the
  /// settings are best effort, and a bad fd shows up on the first read or write.
  RawStream(int fd, std::string read_ahead, std::string peer);
  /// Closes the socket if still open.
  ~RawStream() override;

  // Threads: read_some may run in one thread while write_all and
  // shutdown_write run in another. shutdown() is safe from any thread at any
  // time. close() and the destructor must not overlap any other call.

  /// Reads up to `n` (> 0) bytes into `buf`; blocks until at least one byte is
  /// available. Returns the bytes read; 0 at end of stream, which includes the
  /// engine resetting the connection (the outcome of the container is the wait
  /// call's to report, not the stream's), and after shutdown() or close().
  /// Throws Error(Errc::engine_error) on any other socket failure.
  std::size_t read_some(char* buf, std::size_t n) override;

  /// Writes all of `data`; blocks while the socket buffer is full. Never raises
  /// SIGPIPE. Throws Error(Errc::engine_error) naming the peer when the engine
  /// has closed the stream (EPIPE, ECONNRESET: typically the container exited,
  /// so a stdin pump should stop quietly), after shutdown_write(), or on any
  /// other socket failure.
  void write_all(std::string_view data) override;

  /// Half-closes: the engine reads end of file (this is how stdin's EOF reaches
  /// the container) while read_some keeps receiving. Idempotent; never throws.
  void shutdown_write() override;

  /// Shuts both directions, which wakes a read_some or write_all blocked in
  /// another thread (read_some then returns 0). Never throws.
  void shutdown() override;

  /// Closes the socket. Idempotent; never throws.
  void close() override;

  /// The socket, for poll() and terminal plumbing; -1 after close(). Never fails.
  int native_handle() const noexcept override { return m_fd; }

private:
  int m_fd;
  std::string m_read_ahead;
  std::size_t m_read_ahead_pos = 0;
  std::string m_peer;
};

} // namespace crun::transport
