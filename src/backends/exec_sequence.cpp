#include <crun/backends/exec_sequence.hpp>

#include <crun/core/error.hpp>
#include <crun/core/frame_decoder.hpp>

#include <csignal>
#include <mutex>

namespace crun::backends {
namespace {

// How much of the output's start is kept to tell the runtime's report of a
// process that could not start from the process's own output.
constexpr std::size_t k_kept = 4096;

// The exec's stream as the console pumps it, keeping a copy of its first
// bytes. read_some runs in the output pump's thread; kept() is read once
// the output has ended.
class KeepingStream final : public transport::ByteStream {
public:
  explicit KeepingStream(transport::ByteStream& inner) : m_inner(inner) {}

  std::size_t read_some(char* buf, std::size_t n) override
  {
    std::size_t got = m_inner.read_some(buf, n);
    std::lock_guard lock(m_mutex);
    if (m_kept.size() < k_kept) {
      m_kept.append(buf, std::min(got, k_kept - m_kept.size()));
    }
    return got;
  }
  void write_all(std::string_view data) override { m_inner.write_all(data); }
  void shutdown_write() override { m_inner.shutdown_write(); }
  void shutdown() override { m_inner.shutdown(); }
  void close() override { m_inner.close(); }
  int native_handle() const noexcept override { return m_inner.native_handle(); }

  std::string kept() const
  {
    std::lock_guard lock(m_mutex);
    return m_kept;
  }

private:
  transport::ByteStream& m_inner;
  mutable std::mutex m_mutex;
  std::string m_kept;
};

// The text of the kept bytes: the frames' payloads (stdout and stderr alike)
// of a multiplexed stream, the bytes themselves under -t.
std::string output_text(const std::string& raw, bool tty)
{
  if (tty) {
    return raw;
  }
  std::string text;
  try {
    core::FrameDecoder decoder;
    decoder.feed(raw, [&](core::Stream, std::string_view piece) { text.append(piece); });
  } catch (const Error&) {
    // What decoded before the bad header is all there is to read.
  }
  return text;
}

class StopIo {
public:
  explicit StopIo(RunConsole& console) : m_console(console) {}
  ~StopIo() { m_console.stop_io(); }
  StopIo(const StopIo&) = delete;
  StopIo& operator=(const StopIo&) = delete;

private:
  RunConsole& m_console;
};

// finish_output's failure in exec's words: the console speaks of a run's
// container, which it stopped; an exec'd process is not stopped (no engine
// API can), as with the docker CLI.
Error output_failure(const Error& error, const ExecSpec& spec)
{
  if (error.code() != Errc::broken_pipe && error.code() != Errc::output_error) {
    return error;
  }
  std::string reason = error.message();
  if (auto cut = reason.find("; the container was stopped"); cut != std::string::npos) {
    reason.erase(cut);
  }
  return Error(error.code(),
               fmt::format("{}; the rest of the command's output was dropped, and the command may "
                           "still be running in container {}",
                           reason, spec.container));
}

// What the signal thread needs to know about the exec in the main thread.
struct SignalState {
  std::mutex mutex;
  std::string exec_id; ///< empty until the exec has started
  transport::ByteStream* stream = nullptr;
};

} // namespace

bool is_runtime_exec_failure(std::string_view text)
{
  return text.find("OCI runtime") != std::string_view::npos ||
         text.find("OCI permission denied") != std::string_view::npos;
}

std::string runtime_failure_line(std::string_view text)
{
  std::string_view line = text;
  while (!line.empty()) {
    std::size_t end = line.find('\n');
    std::string_view current = line.substr(0, end);
    if (is_runtime_exec_failure(current) || end == std::string_view::npos) {
      line = current;
      break;
    }
    line.remove_prefix(end + 1);
  }
  if (line.starts_with("Error: ")) {
    line.remove_prefix(7);
  }
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
    line.remove_suffix(1);
  }
  return std::string(line.substr(0, 500));
}

int exec_sequence(ExecApi& api, const ExecSpec& spec, RunConsole& console)
{
  SignalState state;
  std::unique_ptr<transport::ByteStream> stream;
  std::unique_ptr<KeepingStream> keeping;
  // Declared after what the pumps and the signal handler use, so that on
  // every exit path they stop before those are destroyed.
  StopIo stop_io(console);

  console.watch_signals([&](int signal) -> std::optional<std::chrono::milliseconds> {
    std::lock_guard lock(state.mutex);
    if (signal == SIGWINCH) {
      if (spec.tty && !state.exec_id.empty()) {
        if (auto size = console.terminal_size()) {
          try {
            api.resize(state.exec_id, size->rows, size->cols);
          } catch (const Error&) {
            // The process may have ended meanwhile.
          }
        }
      }
      return std::nullopt;
    }
    if (signal == SIGPIPE) {
      // The output cannot be written: end the stream, so that finish_output
      // reports why. The process is not ours to stop (no engine can signal
      // an exec'd process), as it is not the docker CLI's.
      if (state.stream != nullptr) {
        state.stream->shutdown();
      }
      return std::nullopt;
    }
    if (signal == SIGINT || signal == SIGTERM || signal == SIGHUP || signal == SIGQUIT) {
      // As the docker CLI: not forwarded; crun-any ends, the process runs on.
      console.exit_now(128 + signal);
    }
    return std::nullopt;
  });

  std::string id = api.create(spec);
  if (spec.detach) {
    api.start_detached(id, spec);
    return 0;
  }
  stream = api.start(id, spec);
  keeping = std::make_unique<KeepingStream>(*stream);
  {
    std::lock_guard lock(state.mutex);
    state.exec_id = id;
    state.stream = keeping.get();
  }
  if (spec.tty) {
    console.enter_raw_mode();
  }
  console.start_io(*keeping, spec.tty, spec.interactive);
  if (spec.tty) {
    if (auto size = console.terminal_size()) {
      try {
        api.resize(id, size->rows, size->cols);
      } catch (const Error&) {
        // A process that ended at once has no terminal left to size.
      }
    }
  }
  try {
    console.finish_output();
  } catch (const Error& error) {
    throw output_failure(error, spec);
  }
  console.stop_io();
  int code = api.exit_code(id);
  if (code == 126 || code == 127) {
    std::string text = output_text(keeping->kept(), spec.tty);
    if (is_runtime_exec_failure(text)) {
      Errc errc = api.classify_start_error(text);
      if (errc == Errc::command_not_found || errc == Errc::command_not_executable) {
        throw Error(errc, fmt::format("cannot run {} in container {}: {}", spec.command.front(),
                                      spec.container, runtime_failure_line(text)));
      }
    }
  }
  return code;
}

} // namespace crun::backends
