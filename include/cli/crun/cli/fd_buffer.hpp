#pragma once
// crun-any's stdout and stderr as std::ostream buffers over the descriptors
// themselves (write(2), no stdio), each remembering why its first write
// failed, so that the frame can say "cannot write to stdout: No space left
// on device" however long before the end the failure came. POSIX only.

#include <cstddef>
#include <ostream>
#include <streambuf>
#include <string_view>
#include <vector>

namespace crun::cli {

class FdBuffer : public std::streambuf {
public:
  /// Buffers up to `capacity` bytes for `fd` (0: every write goes out at once).
  explicit FdBuffer(int fd, std::size_t capacity = 64 * 1024);
  FdBuffer(const FdBuffer&) = delete;
  FdBuffer& operator=(const FdBuffer&) = delete;
  /// Writes what is buffered; never throws (a failure is kept, see error()).
  ~FdBuffer() override;

  /// The errno of the first write that failed; 0 while none has. After one
  /// fails, the rest is dropped and every write and sync reports failure.
  int error() const { return m_error; }

protected:
  int_type overflow(int_type ch) override;
  std::streamsize xsputn(const char* data, std::streamsize size) override;
  int sync() override;

private:
  bool write_out(const char* data, std::size_t size);
  bool drain();

  int m_fd;
  std::vector<char> m_buffer;
  int m_error = 0;
};

/// Flushes `stream` (crun-any's stdout or stderr, called `name` in the
/// message). Throws Error(Errc::broken_pipe) when its reader went away,
/// Error(Errc::output_error) when it cannot be written otherwise: "cannot
/// write to stdout: No space left on device". The reason is the FdBuffer's
/// when it is one, else errno of the flush (or "write error" when unknown).
void flush_or_fail(std::ostream& stream, std::string_view name);

} // namespace crun::cli
