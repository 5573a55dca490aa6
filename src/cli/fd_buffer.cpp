#include <crun/cli/fd_buffer.hpp>

#include <unistd.h>

#include <cerrno>

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

} // namespace crun::cli
