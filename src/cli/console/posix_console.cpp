#include <crun/cli/posix_console.hpp>

#include "signal_watcher.hpp"
#include "terminal.hpp"

#include <crun/core/error.hpp>
#include <crun/core/frame_decoder.hpp>
#include <crun/util/printable.hpp>

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>

namespace crun::cli {
namespace {

constexpr std::size_t k_buffer_bytes = 64 * 1024;

// Writes all of `data` to `fd`; false when the reader has gone (EPIPE) or
// the write fails otherwise. crun-any ignores SIGPIPE, so a closed pipe
// (`crun-any run ... | head -1`) is an error code here, not a dead process.
bool write_fd(int fd, std::string_view data)
{
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      if (errno == EAGAIN) {
        pollfd pfd{fd, POLLOUT, 0};
        ::poll(&pfd, 1, -1);
        continue;
      }
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

class PosixConsole : public backends::RunConsole {
public:
  PosixConsole(int in, int out, int err) : m_in(in), m_out(out), m_err(err) {}
  ~PosixConsole() override { stop_io(); }

  void print_id(const std::string& id) override { write_fd(m_out, id + "\n"); }

  void start_io(transport::ByteStream& stream, bool tty, bool forward_stdin) override
  {
    m_stream = &stream;
    m_output = std::thread([this, tty] { pump_output(tty); });
    if (forward_stdin) {
      if (::pipe(m_wake) == 0) {
        m_input = std::thread([this] { pump_input(); });
      }
    }
  }

  void finish_output() override
  {
    if (m_output.joinable()) {
      m_output.join();
    }
    if (m_write_errno != 0) {
      // Read after the join: the pump set these before it ended.
      fail(m_write_errno == EPIPE ? Errc::broken_pipe : Errc::output_error,
           "cannot write to {}: {}; the container was stopped and the rest of its output "
           "dropped",
           m_write_stream, std::strerror(m_write_errno));
    }
  }

  void stop_io() override
  {
    {
      // No pump notifies the watcher while it closes its pipe.
      std::lock_guard lock(m_notify_mutex);
      m_signals.stop();
      m_signals_stopped = true;
    }
    if (m_input.joinable()) {
      unsigned char byte = 0;
      [[maybe_unused]] auto ignored = ::write(m_wake[1], &byte, 1);
      m_input.join();
    }
    for (int& fd : m_wake) {
      if (fd >= 0) {
        ::close(fd);
        fd = -1;
      }
    }
    if (m_output.joinable()) {
      // A failure path: the output will not be read to its end.
      m_stream->shutdown();
      m_output.join();
    }
    m_raw.restore();
  }

  void enter_raw_mode() override { m_raw.enter(m_in); }

  std::optional<backends::TerminalSize> terminal_size() override
  {
    auto size = window_size(m_out);
    if (!size) {
      size = window_size(m_in);
    }
    if (!size) {
      return std::nullopt;
    }
    return backends::TerminalSize{size->rows, size->cols};
  }

  void watch_signals(
    std::function<std::optional<std::chrono::milliseconds>(int signal)> handler) override
  {
    std::lock_guard lock(m_notify_mutex);
    m_signals.start(std::move(handler));
    m_signals_stopped = false;
  }

  void exit_now(int code) override
  {
    m_raw.restore();
    std::_Exit(code);
  }

  // Warnings carry engine messages and user-given names: escaped as errors are.
  void warn(const std::string& line) override
  {
    write_fd(m_err, util::escape_unprintable(line) + "\n");
  }

private:
  // The first write of the container's output that fails ends the run: the
  // error is kept for finish_output() and the run is told through the
  // watcher (handler(SIGPIPE)), which stops the container; otherwise a
  // container writing forever into a gone reader (`| head -1`) would spin on.
  void output_failed(const char* stream)
  {
    if (m_write_errno != 0) {
      return;
    }
    m_write_errno = errno != 0 ? errno : EIO;
    m_write_stream = stream;
    std::lock_guard lock(m_notify_mutex);
    if (!m_signals_stopped) {
      m_signals.notify(SIGPIPE);
    }
  }

  void pump_output(bool tty)
  {
    core::FrameDecoder decoder;
    bool out_open = true;
    bool err_open = true;
    auto write_out = [&](std::string_view piece) {
      if (out_open && !write_fd(m_out, piece)) {
        out_open = false;
        output_failed("stdout");
      }
    };
    auto sink = [&](core::Stream stream, std::string_view piece) {
      if (stream == core::Stream::err || stream == core::Stream::engine_error) {
        if (err_open && !write_fd(m_err, piece)) {
          err_open = false;
          output_failed("stderr");
        }
      } else {
        write_out(piece);
      }
    };
    std::unique_ptr<char[]> buffer(new char[k_buffer_bytes]);
    try {
      while (std::size_t n = m_stream->read_some(buffer.get(), k_buffer_bytes)) {
        // With a closed stdout the output is still read, so the container
        // never blocks on a full pipe until it is stopped; it is just dropped.
        if (tty) {
          write_out(std::string_view(buffer.get(), n));
        } else {
          decoder.feed(std::string_view(buffer.get(), n), sink);
        }
      }
    } catch (const Error& error) {
      write_fd(m_err, fmt::format("crun-any: warning: container output ended early: {}\n",
                                  error.message()));
    }
  }

  void pump_input()
  {
    std::unique_ptr<char[]> buffer(new char[k_buffer_bytes]);
    while (true) {
      pollfd fds[2] = {{m_in, POLLIN, 0}, {m_wake[0], POLLIN, 0}};
      if (::poll(fds, 2, -1) < 0) {
        if (errno == EINTR) {
          continue;
        }
        break;
      }
      if (fds[1].revents != 0) {
        return;
      }
      ssize_t n = ::read(m_in, buffer.get(), k_buffer_bytes);
      if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
        continue;
      }
      if (n <= 0) {
        break;
      }
      try {
        m_stream->write_all(std::string_view(buffer.get(), static_cast<std::size_t>(n)));
      } catch (const Error&) {
        // The container closed its stdin or exited: nothing more to forward.
        return;
      }
    }
    // stdin ended: the container sees end of file.
    m_stream->shutdown_write();
  }

  int m_in;
  int m_out;
  int m_err;
  transport::ByteStream* m_stream = nullptr;
  std::thread m_output;
  std::thread m_input;
  int m_wake[2] = {-1, -1};
  SignalWatcher m_signals;
  std::mutex m_notify_mutex; ///< guards m_signals against a notify while it stops
  bool m_signals_stopped = true;
  int m_write_errno = 0;                ///< of the first failed write of output
  const char* m_write_stream = nullptr; ///< "stdout" or "stderr"
  RawMode m_raw;
};

} // namespace

std::unique_ptr<backends::RunConsole> make_posix_console(int in, int out, int err)
{
  return std::make_unique<PosixConsole>(in, out, err);
}

} // namespace crun::cli
