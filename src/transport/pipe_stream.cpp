// A child's pipes as a ByteStream. Both ends this process holds are
// non-blocking and every wait is a poll() that also watches a wake-up pipe:
// a thread blocked in read() on a pipe is not woken by another thread
// closing it, so shutdown() writes a byte there instead (and the byte stays,
// so every later wait returns at once).

#include <crun/transport/pipe_stream.hpp>

#include "sigpipe_block.hpp"
#include "system_error_text.hpp"

#include <crun/core/error.hpp>

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>

namespace crun::transport {
namespace {

void prepare(int fd)
{
  if (fd < 0) {
    return;
  }
  int flags = ::fcntl(fd, F_GETFL);
  if (flags != -1) {
    ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
  }
  int fd_flags = ::fcntl(fd, F_GETFD);
  if (fd_flags != -1) {
    ::fcntl(fd, F_SETFD, fd_flags | FD_CLOEXEC);
  }
}

// Waits until `fd` is ready for `events` or the wake-up pipe is readable;
// false when woken (the stream is shut down).
bool wait_for(int fd, short events, int wake)
{
  for (;;) {
    pollfd fds[2] = {{fd, events, 0}, {wake, POLLIN, 0}};
    int n = ::poll(fds, 2, -1);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return true; // let the read or write report what is wrong
    }
    return fds[1].revents == 0;
  }
}

} // namespace

PipeStream::PipeStream(UniqueFd to_child, UniqueFd from_child, std::string peer)
  : m_to_child(std::move(to_child)), m_from_child(std::move(from_child)), m_peer(std::move(peer))
{
  int wake[2] = {-1, -1};
  if (::pipe(wake) != 0) {
    fail(Errc::internal, "cannot make a pipe for the stream to {}: {}", m_peer,
         detail::errno_text(errno));
  }
  m_wake_read.reset(wake[0]);
  m_wake_write.reset(wake[1]);
  prepare(m_to_child.get());
  prepare(m_from_child.get());
  prepare(m_wake_read.get());
  prepare(m_wake_write.get());
}

PipeStream::PipeStream(ChildProcess& child, std::string peer)
  : PipeStream(std::move(child.stdin_pipe()), std::move(child.stdout_pipe()), std::move(peer))
{
}

PipeStream::~PipeStream()
{
  close();
}

std::size_t PipeStream::read_some(char* buf, std::size_t n)
{
  if (n == 0) {
    return 0;
  }
  for (;;) {
    int fd = m_from_child.get();
    if (fd < 0 || m_shut.load()) {
      return 0;
    }
    ssize_t got = ::read(fd, buf, n);
    if (got >= 0) {
      return static_cast<std::size_t>(got);
    }
    int error = errno;
    if (error == EINTR) {
      continue;
    }
    if (error == EAGAIN || error == EWOULDBLOCK) {
      if (!wait_for(fd, POLLIN, m_wake_read.get())) {
        return 0;
      }
      continue;
    }
    fail(Errc::engine_error, "cannot read from {}: {}", m_peer, detail::errno_text(error));
  }
}

void PipeStream::write_all(std::string_view data)
{
  detail::SigpipeBlock block;
  while (!data.empty()) {
    int fd = m_to_child.get();
    if (fd < 0 || m_shut.load() || m_write_shut.load()) {
      fail(Errc::engine_error, "cannot write to {}: the stream is closed", m_peer);
    }
    ssize_t sent = ::write(fd, data.data(), data.size());
    if (sent >= 0) {
      data.remove_prefix(static_cast<std::size_t>(sent));
      continue;
    }
    int error = errno;
    if (error == EINTR) {
      continue;
    }
    if (error == EAGAIN || error == EWOULDBLOCK) {
      if (!wait_for(fd, POLLOUT, m_wake_read.get())) {
        fail(Errc::engine_error, "cannot write to {}: the stream is closed", m_peer);
      }
      continue;
    }
    if (error == EPIPE) {
      block.raised();
      fail(Errc::engine_error, "cannot write to {}: the stream is closed ({})", m_peer,
           detail::errno_text(error));
    }
    fail(Errc::engine_error, "cannot write to {}: {}", m_peer, detail::errno_text(error));
  }
}

void PipeStream::shutdown_write()
{
  // Only the writing thread calls this and write_all, so closing here races
  // with no other use of the descriptor.
  m_write_shut.store(true);
  m_to_child.reset();
}

void PipeStream::shutdown()
{
  if (m_shut.exchange(true)) {
    return;
  }
  if (m_wake_write.get() >= 0) {
    char byte = 0;
    [[maybe_unused]] auto ignored = ::write(m_wake_write.get(), &byte, 1);
  }
}

void PipeStream::close()
{
  m_shut.store(true);
  m_to_child.reset();
  m_from_child.reset();
  m_wake_read.reset();
  m_wake_write.reset();
}

} // namespace crun::transport
