#include <crun/cli/fd_buffer.hpp>

#include <crun/core/error.hpp>

#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace crun::cli {

FdBuffer::FdBuffer(int fd, std::size_t capacity) : m_fd(fd), m_buffer(capacity)
{
  if (!m_buffer.empty()) {
    setp(m_buffer.data(), m_buffer.data() + m_buffer.size());
  }
}

FdBuffer::~FdBuffer()
{
  drain();
}

bool FdBuffer::write_out(const char* data, std::size_t size)
{
  while (size > 0 && m_error == 0) {
    ssize_t n = ::write(m_fd, data, size);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      m_error = errno != 0 ? errno : EIO;
      break;
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return m_error == 0;
}

bool FdBuffer::drain()
{
  bool ok = write_out(pbase(), static_cast<std::size_t>(pptr() - pbase()));
  if (!m_buffer.empty()) {
    setp(m_buffer.data(), m_buffer.data() + m_buffer.size());
  }
  return ok;
}

FdBuffer::int_type FdBuffer::overflow(int_type ch)
{
  if (!drain()) {
    return traits_type::eof();
  }
  if (traits_type::eq_int_type(ch, traits_type::eof())) {
    return traits_type::not_eof(ch);
  }
  char c = traits_type::to_char_type(ch);
  if (m_buffer.empty()) {
    return write_out(&c, 1) ? ch : traits_type::eof();
  }
  *pptr() = c;
  pbump(1);
  return ch;
}

std::streamsize FdBuffer::xsputn(const char* data, std::streamsize size)
{
  auto count = static_cast<std::size_t>(size);
  if (count <= static_cast<std::size_t>(epptr() - pptr())) {
    traits_type::copy(pptr(), data, count);
    pbump(static_cast<int>(count));
    return size;
  }
  // Larger than what is left: out with what is buffered, then directly.
  if (!drain() || !write_out(data, count)) {
    return 0;
  }
  return size;
}

int FdBuffer::sync()
{
  return drain() ? 0 : -1;
}

void flush_or_fail(std::ostream& stream, std::string_view name)
{
  errno = 0;
  stream.flush();
  if (stream.good()) {
    return;
  }
  int error = errno;
  if (const auto* buffer = dynamic_cast<const FdBuffer*>(stream.rdbuf())) {
    error = buffer->error();
  } else if (error == 0) {
    // An error that came earlier left the stream bad, so that flush did not
    // reach the buffer; this one does, and fails the same way.
    stream.clear();
    stream.flush();
    error = errno;
    stream.setstate(std::ios::badbit);
  }
  fail(error == EPIPE ? Errc::broken_pipe : Errc::output_error, "cannot write to {}: {}", name,
       error != 0 ? std::strerror(error) : "write error");
}

} // namespace crun::cli
