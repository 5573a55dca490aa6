// Test support: run programs (the crun-any binary, the engines' CLIs) the way
// a user or a script would, and capture what they print. POSIX only: fork and
// exec with an argument vector (never a shell), pipes drained with poll so
// neither fills, a timeout that kills the whole process group.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace crun::test {

struct ProcessOptions {
  std::vector<std::string> env_set;   // "K=V": added to the inherited environment, overriding
  std::vector<std::string> env_unset; // names removed from the inherited environment
  std::optional<std::string>
    stdin_data; // nullopt: stdin is /dev/null; else a pipe fed this, then closed
  std::chrono::seconds timeout{180}; // then the process group gets SIGKILL and timed_out is set
  bool hash_stdout = false; // don't keep stdout (out stays empty); out_sha256/out_bytes still set
  std::optional<std::string> cwd; // working directory of the child
  // ChildProcess only:
  bool keep_stdin_open =
    false;          // stdin stays an open pipe after stdin_data, for write_stdin()/close_stdin()
  bool pty = false; // stdin, stdout and stderr are one pseudo-terminal (80x24); output is in out
};

struct ProcessResult {
  int exit_code = -1;  // -1 if signalled (or never started)
  int term_signal = 0; // the signal that ended it, else 0
  std::string out, err;
  std::string out_sha256;      // hex sha256 of all of stdout (kept or not)
  std::uint64_t out_bytes = 0; // bytes of stdout (kept or not)
  long max_rss_kib = 0;        // ru_maxrss from wait4 of the child
  bool timed_out = false;
  std::chrono::milliseconds elapsed{0};

  // "exit 0" / "exit 125" / "signal 9" / "timed out after 180s", for messages.
  std::string status() const;
  // A multi-line description (argv, status, stdout/stderr tails) for test failures.
  std::string describe() const;
  std::vector<std::string> argv; // what was run
};

// Runs argv (argv[0] looked up in PATH, the PATH of env_set if it sets one)
// and waits for it. An argv[0] that cannot be executed gives exit_code 127
// and the reason in err.
ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options = {});

// A process that runs while the test talks to it: send signals, read its
// output as it comes, write to its stdin, then wait for it.
class ChildProcess {
public:
  enum class Stream { out, err, either };

  ChildProcess() = default;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess(); // kills the process group (SIGKILL) if it still runs, and reaps it

  // Starts argv; throws std::runtime_error if fork fails or a process is
  // already running. options.timeout counts from start and bounds wait().
  void start(const std::vector<std::string>& argv, const ProcessOptions& options = {});
  pid_t pid() const { return m_pid; }
  bool running(); // not yet exited (reaps it if it has)

  // kill(pid, signal); the whole process group if group is set. False if it failed.
  bool send(int signal, bool group = false);

  // Blocks until needle appears in the output (stdout, stderr or either) or
  // the timeout passes, or the output is closed. True if it appeared.
  bool wait_for_output(std::string_view needle,
                       std::chrono::milliseconds timeout = std::chrono::seconds{30},
                       Stream stream = Stream::either);
  std::string out() const; // what stdout (or the pty) printed so far (also after wait())
  std::string err() const; // what stderr printed so far

  bool write_stdin(std::string_view data); // needs keep_stdin_open (or pty); false on EPIPE
  void close_stdin();                      // EOF for a pipe; for a pty, sends ^D

  // Waits for exit (up to what remains of options.timeout, then SIGKILL of
  // the group) and for its output, and returns everything.
  ProcessResult wait();

private:
  void reader_loop();
  void finish_reader();

  pid_t m_pid = -1;
  ProcessOptions m_options;
  std::vector<std::string> m_argv;
  std::chrono::steady_clock::time_point m_started;
  int m_stdin_fd = -1;
  int m_out_fd = -1;
  int m_err_fd = -1;
  int m_wake[2] = {-1, -1}; // wakes the reader thread to stop
  std::thread m_reader;
  mutable std::mutex m_mutex;
  std::condition_variable m_cv;
  std::string m_out, m_err;
  bool m_out_eof = false, m_err_eof = false;
  bool m_exited = false;
  bool m_stdin_ready = false;
  std::optional<ProcessResult> m_result;
  bool m_timed_out = false;
  int m_wait_status = 0;
  long m_max_rss_kib = 0;
  struct HashState;
  HashState* m_hash = nullptr;
  std::uint64_t m_out_bytes = 0;
};

struct PtyResult {
  int exit_code = -1; // -1 if signalled
  int term_signal = 0;
  std::string output; // every byte seen on the terminal (echoed input included, \r\n line ends)
  bool timed_out = false;
  std::string describe() const;
};

// Runs argv on a new pseudo-terminal (80x24, as `-t` tests need), writes
// input to it (the terminal echoes it; "\x04" is EOF at a line start, "\x03"
// is ^C), and returns what the terminal showed. options give env and cwd.
PtyResult run_in_pty(const std::vector<std::string>& argv, std::string_view input = {},
                     std::chrono::seconds timeout = std::chrono::seconds{180},
                     const ProcessOptions& options = {});

// Lower-case hex SHA-256.
std::string sha256_hex(std::string_view data);

// Removes ANSI escape sequences (CSI, OSC) and \r from terminal output.
std::string strip_ansi(std::string_view text);

} // namespace crun::test
