#pragma once
// A child's stdin and stdout pipes as one ByteStream, so that the console
// pumps drive a CLI-driven engine's child (Apple's `container run`) as they
// drive an engine's attach socket: write_all feeds the child's stdin,
// shutdown_write closes it (the child reads end of file), read_some reads
// its stdout. The child's stderr stays the caller's. POSIX.

#include <crun/transport/byte_stream.hpp>
#include <crun/transport/process.hpp>
#include <crun/transport/unique_fd.hpp>

#include <atomic>
#include <cstddef>
#include <string>
#include <string_view>

namespace crun::transport {

class PipeStream final : public ByteStream {
public:
  /// Takes `to_child` (the write end of the child's stdin; may be -1 when
  /// there is no input) and `from_child` (the read end of its stdout), both
  /// switched to non-blocking and close-on-exec. `peer` names the other end
  /// in messages ("container run"). Throws Error(Errc::internal) when the
  /// descriptors cannot be set up (the wake-up pipe cannot be made: out of
  /// descriptors).
  PipeStream(UniqueFd to_child, UniqueFd from_child, std::string peer);
  /// Takes `child`'s stdin and stdout pipes (ChildStream::pipe() for both;
  /// its stdin may be another mode), leaving the child itself, its stderr
  /// and its waiting to the caller. Throws as the constructor above.
  PipeStream(ChildProcess& child, std::string peer);
  ~PipeStream() override;

  /// See ByteStream. A read blocks in poll() on the stdout pipe and an
  /// internal wake-up pipe, which shutdown() writes to.
  std::size_t read_some(char* buf, std::size_t n) override;
  /// See ByteStream. EPIPE (the child closed its stdin or exited) is
  /// Error(Errc::engine_error) "... the stream is closed"; SIGPIPE is blocked
  /// in the writing thread and consumed.
  void write_all(std::string_view data) override;
  /// Closes the child's stdin. See ByteStream.
  void shutdown_write() override;
  /// See ByteStream; the descriptors stay open until close().
  void shutdown() override;
  void close() override;
  /// The read end of the child's stdout; -1 after close().
  int native_handle() const noexcept override { return m_from_child.get(); }

private:
  UniqueFd m_to_child;
  UniqueFd m_from_child;
  UniqueFd m_wake_read;
  UniqueFd m_wake_write;
  std::atomic<bool> m_shut{false};
  std::atomic<bool> m_write_shut{false};
  std::string m_peer;
};

} // namespace crun::transport
