#include "support/process.hpp"

#include <openssl/evp.h>

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>

extern char** environ; // POSIX

namespace crun::test {

namespace {

using Clock = std::chrono::steady_clock;

std::string errno_text(int err)
{
  return std::string(std::strerror(err));
}

void ignore_sigpipe_once()
{
  static std::once_flag once;
  std::call_once(once, [] { ::signal(SIGPIPE, SIG_IGN); });
}

void set_cloexec(int fd)
{
  int flags = ::fcntl(fd, F_GETFD);
  if (flags >= 0) {
    ::fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
  }
}

void set_nonblock(int fd)
{
  int flags = ::fcntl(fd, F_GETFL);
  if (flags >= 0) {
    ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
  }
}

void close_fd(int& fd)
{
  if (fd >= 0) {
    ::close(fd);
    fd = -1;
  }
}

// Everything the child needs, built before fork: after fork in a threaded
// process the child may only make async-signal-safe calls.
struct Prepared {
  std::vector<std::string> argv_storage;
  std::vector<char*> argv;
  std::vector<std::string> env_storage;
  std::vector<char*> envp;
  std::string exec_path;
  std::string cwd;
};

Prepared prepare(const std::vector<std::string>& argv, const ProcessOptions& options)
{
  if (argv.empty() || argv.front().empty()) {
    throw std::invalid_argument("crun::test: empty argv");
  }
  Prepared p;
  std::map<std::string, std::string> env;
  for (char** e = environ; e && *e; ++e) {
    std::string_view entry(*e);
    auto eq = entry.find('=');
    if (eq == std::string_view::npos) {
      continue;
    }
    env[std::string(entry.substr(0, eq))] = std::string(entry.substr(eq + 1));
  }
  for (const auto& name : options.env_unset) {
    env.erase(name);
  }
  for (const auto& kv : options.env_set) {
    auto eq = kv.find('=');
    if (eq == std::string::npos) {
      env.erase(kv);
    } else {
      env[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
  }
  for (const auto& [k, v] : env) {
    p.env_storage.push_back(k + "=" + v);
  }
  for (auto& s : p.env_storage) {
    p.envp.push_back(s.data());
  }
  p.envp.push_back(nullptr);

  p.argv_storage = argv;
  for (auto& s : p.argv_storage) {
    p.argv.push_back(s.data());
  }
  p.argv.push_back(nullptr);

  const std::string& name = argv.front();
  p.exec_path = name;
  if (name.find('/') == std::string::npos) {
    auto it = env.find("PATH");
    std::string path = it != env.end() ? it->second : "/usr/local/bin:/usr/bin:/bin";
    std::stringstream dirs(path);
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
      std::string candidate = (dir.empty() ? std::string(".") : dir) + "/" + name;
      struct stat st{};
      if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
          ::access(candidate.c_str(), X_OK) == 0) {
        p.exec_path = candidate;
        break;
      }
    }
  }
  if (options.cwd) {
    p.cwd = *options.cwd;
  }
  return p;
}

// In the child, after fork (or forkpty): async-signal-safe calls only.
[[noreturn]] void exec_child(const Prepared& p, int in_fd, int out_fd, int err_fd, int errpipe,
                             bool own_group)
{
  if (own_group) {
    ::setpgid(0, 0);
  }
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  for (int s = 1; s < NSIG; ++s) {
    if (s != SIGKILL && s != SIGSTOP) {
      ::signal(s, SIG_DFL);
    }
  }
  if (in_fd >= 0 && in_fd != 0) {
    ::dup2(in_fd, 0);
  }
  if (out_fd >= 0 && out_fd != 1) {
    ::dup2(out_fd, 1);
  }
  if (err_fd >= 0 && err_fd != 2) {
    ::dup2(err_fd, 2);
  }
  int err = 0;
  if (!p.cwd.empty() && ::chdir(p.cwd.c_str()) != 0) {
    err = errno;
  } else {
    ::execve(p.exec_path.c_str(), p.argv.data(), p.envp.data());
    err = errno;
  }
  ssize_t ignored = ::write(errpipe, &err, sizeof err);
  (void)ignored;
  ::_exit(127);
}

std::string tail(const std::string& s, std::size_t n)
{
  if (s.size() <= n) {
    return s;
  }
  return "[... " + std::to_string(s.size() - n) + " bytes before ...]" + s.substr(s.size() - n);
}

std::string join_argv(const std::vector<std::string>& argv)
{
  std::string out;
  for (const auto& a : argv) {
    if (!out.empty()) {
      out += ' ';
    }
    bool plain = !a.empty() && a.find_first_of(" \t\n'\"\\$`*?;&|<>(){}") == std::string::npos;
    out += plain ? a : "'" + a + "'";
  }
  return out;
}

std::string status_text(int exit_code, int term_signal, bool timed_out,
                        std::chrono::seconds timeout)
{
  if (timed_out) {
    return timeout.count() > 0 ? "timed out after " + std::to_string(timeout.count()) + "s (killed)"
                               : std::string("timed out (killed)");
  }
  if (term_signal != 0) {
    return "signal " + std::to_string(term_signal) + " (" + ::strsignal(term_signal) + ")";
  }
  return "exit " + std::to_string(exit_code);
}

} // namespace

struct ChildProcess::HashState {
  EVP_MD_CTX* ctx = nullptr;
  HashState()
  {
    ctx = EVP_MD_CTX_new();
    if (ctx == nullptr || EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) != 1) {
      throw std::runtime_error("crun::test: EVP sha256 init failed");
    }
  }
  ~HashState() { EVP_MD_CTX_free(ctx); }
  void update(const char* data, std::size_t n) { EVP_DigestUpdate(ctx, data, n); }
  std::string hex()
  {
    std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
    unsigned int len = 0;
    EVP_DigestFinal_ex(ctx, md.data(), &len);
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < len; ++i) {
      out += digits[md[i] >> 4];
      out += digits[md[i] & 0xf];
    }
    return out;
  }
};

std::string sha256_hex(std::string_view data)
{
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), md.data(), &len, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("crun::test: EVP_Digest sha256 failed");
  }
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += digits[md[i] >> 4];
    out += digits[md[i] & 0xf];
  }
  return out;
}

std::string strip_ansi(std::string_view text)
{
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    char c = text[i];
    if (c == '\x1b' && i + 1 < text.size()) {
      char k = text[i + 1];
      if (k == '[') { // CSI: parameters, then a final byte 0x40-0x7e
        i += 2;
        while (i < text.size() && !(text[i] >= 0x40 && text[i] <= 0x7e)) {
          ++i;
        }
        ++i;
        continue;
      }
      if (k == ']') { // OSC: up to BEL or ST
        i += 2;
        while (i < text.size() && text[i] != '\x07' &&
               !(text[i] == '\x1b' && i + 1 < text.size() && text[i + 1] == '\\')) {
          ++i;
        }
        i += (i < text.size() && text[i] == '\x07') ? 1 : 2;
        continue;
      }
      i += 2; // two-byte escape
      continue;
    }
    if (c != '\r') {
      out += c;
    }
    ++i;
  }
  return out;
}

std::string ProcessResult::status() const
{
  return status_text(exit_code, term_signal, timed_out,
                     std::chrono::duration_cast<std::chrono::seconds>(elapsed));
}

std::string ProcessResult::describe() const
{
  std::ostringstream s;
  s << "$ " << join_argv(argv) << "\n"
    << "  -> " << status() << " in " << elapsed.count() << " ms, max RSS " << max_rss_kib
    << " KiB\n"
    << "  stdout (" << out_bytes << " bytes, sha256 " << out_sha256 << "):\n"
    << tail(out, 4000) << (out.empty() || out.back() == '\n' ? "" : "\n") << "  stderr:\n"
    << tail(err, 4000) << (err.empty() || err.back() == '\n' ? "" : "\n");
  return s.str();
}

std::string PtyResult::describe() const
{
  std::ostringstream s;
  s << "  -> " << status_text(exit_code, term_signal, timed_out, std::chrono::seconds{0}) << "\n"
    << "  terminal output:\n"
    << tail(output, 4000) << "\n";
  return s.str();
}

// ---------------------------------------------------------------- ChildProcess

ChildProcess::~ChildProcess()
{
  if (m_pid > 0 && !m_exited) {
    ::kill(-m_pid, SIGKILL);
    ::kill(m_pid, SIGKILL);
    int status = 0;
    while (::waitpid(m_pid, &status, 0) < 0 && errno == EINTR) {
    }
    m_exited = true;
  }
  if (m_reader.joinable()) {
    finish_reader();
  }
  close_fd(m_stdin_fd);
  close_fd(m_out_fd);
  close_fd(m_err_fd);
  close_fd(m_wake[0]);
  close_fd(m_wake[1]);
  delete m_hash;
}

void ChildProcess::start(const std::vector<std::string>& argv, const ProcessOptions& options)
{
  if (m_pid > 0) {
    throw std::runtime_error("crun::test: ChildProcess already started");
  }
  ignore_sigpipe_once();
  m_options = options;
  m_argv = argv;
  Prepared prep = prepare(argv, options);
  m_hash = new HashState();

  int errpipe[2];
  if (::pipe2(errpipe, O_CLOEXEC) != 0 || ::pipe2(m_wake, O_CLOEXEC) != 0) {
    throw std::runtime_error("crun::test: pipe: " + errno_text(errno));
  }
  const bool stdin_pipe = options.stdin_data.has_value() || options.keep_stdin_open;

  if (options.pty) {
    struct winsize ws{};
    ws.ws_row = 24;
    ws.ws_col = 80;
    int master = -1;
    pid_t pid = ::forkpty(&master, nullptr, nullptr, &ws);
    if (pid < 0) {
      int e = errno;
      ::close(errpipe[0]);
      ::close(errpipe[1]);
      throw std::runtime_error("crun::test: forkpty: " + errno_text(e));
    }
    if (pid == 0) {
      exec_child(prep, -1, -1, -1, errpipe[1], false);
    }
    m_pid = pid;
    set_cloexec(master);
    set_nonblock(master);
    m_out_fd = master;
    m_stdin_fd = ::fcntl(master, F_DUPFD_CLOEXEC, 3);
    m_err_eof = true;
  } else {
    int in[2] = {-1, -1}, out[2], err[2];
    if (stdin_pipe) {
      if (::pipe2(in, O_CLOEXEC) != 0) {
        throw std::runtime_error("crun::test: pipe: " + errno_text(errno));
      }
    } else {
      in[0] = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    }
    if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) {
      throw std::runtime_error("crun::test: pipe: " + errno_text(errno));
    }
    pid_t pid = ::fork();
    if (pid < 0) {
      int e = errno;
      for (int fd : {in[0], in[1], out[0], out[1], err[0], err[1], errpipe[0], errpipe[1]}) {
        if (fd >= 0) {
          ::close(fd);
        }
      }
      throw std::runtime_error("crun::test: fork: " + errno_text(e));
    }
    if (pid == 0) {
      exec_child(prep, in[0], out[1], err[1], errpipe[1], true);
    }
    m_pid = pid;
    ::setpgid(pid, pid); // also in the child; whichever runs first
    ::close(in[0]);
    ::close(out[1]);
    ::close(err[1]);
    m_stdin_fd = in[1];
    m_out_fd = out[0];
    m_err_fd = err[0];
    set_nonblock(m_out_fd);
    set_nonblock(m_err_fd);
    if (m_stdin_fd >= 0) {
      set_nonblock(m_stdin_fd);
    }
  }
  m_started = Clock::now();
  ::close(errpipe[1]);
  int child_errno = 0;
  ssize_t n;
  while ((n = ::read(errpipe[0], &child_errno, sizeof child_errno)) < 0 && errno == EINTR) {
  }
  ::close(errpipe[0]);
  if (n == static_cast<ssize_t>(sizeof child_errno)) {
    std::lock_guard lock(m_mutex);
    m_err += "crun::test: cannot execute " + prep.exec_path +
             (prep.cwd.empty() ? "" : " in " + prep.cwd) + ": " + errno_text(child_errno) + "\n";
  }
  m_reader = std::thread([this] { reader_loop(); });
}

void ChildProcess::reader_loop()
{
  std::string pending_in;
  bool writing_in = false;
  if (m_options.stdin_data && !m_options.stdin_data->empty()) {
    pending_in = *m_options.stdin_data;
    writing_in = true;
  } else {
    std::lock_guard lock(m_mutex);
    if (!m_options.keep_stdin_open && !m_options.pty) {
      close_fd(m_stdin_fd); // stdin_data was "" (an empty pipe): EOF right away
    }
    m_stdin_ready = true;
    m_cv.notify_all();
  }
  std::size_t written = 0;
  std::vector<char> buf(1 << 16);

  auto finish_stdin = [&] {
    writing_in = false;
    std::lock_guard lock(m_mutex);
    if (!m_options.keep_stdin_open && !m_options.pty) {
      close_fd(m_stdin_fd);
    }
    m_stdin_ready = true;
    m_cv.notify_all();
  };

  for (;;) {
    std::array<pollfd, 4> fds{};
    int n = 0;
    int i_out = -1, i_err = -1, i_in = -1;
    bool out_eof, err_eof;
    {
      std::lock_guard lock(m_mutex);
      out_eof = m_out_eof;
      err_eof = m_err_eof;
    }
    if (!out_eof) {
      i_out = n;
      fds[n++] = {m_out_fd, POLLIN, 0};
    }
    if (!err_eof) {
      i_err = n;
      fds[n++] = {m_err_fd, POLLIN, 0};
    }
    if (writing_in) {
      i_in = n;
      fds[n++] = {m_stdin_fd, POLLOUT, 0};
    }
    if (n == 0) {
      break;
    }
    int i_wake = n;
    fds[n++] = {m_wake[0], POLLIN, 0};
    int r = ::poll(fds.data(), static_cast<nfds_t>(n), -1);
    if (r < 0) {
      if (errno == EINTR) {
        continue;
      }
      break;
    }
    if (fds[i_wake].revents != 0) {
      break;
    }
    auto drain = [&](int idx, int fd, bool is_out) {
      if (idx < 0 || fds[idx].revents == 0) {
        return;
      }
      for (;;) {
        ssize_t got = ::read(fd, buf.data(), buf.size());
        if (got > 0) {
          std::lock_guard lock(m_mutex);
          if (is_out) {
            m_hash->update(buf.data(), static_cast<std::size_t>(got));
            m_out_bytes += static_cast<std::uint64_t>(got);
            if (!m_options.hash_stdout) {
              m_out.append(buf.data(), static_cast<std::size_t>(got));
            }
          } else {
            m_err.append(buf.data(), static_cast<std::size_t>(got));
          }
          continue;
        }
        if (got < 0 && errno == EINTR) {
          continue;
        }
        if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
          return;
        }
        // 0 (EOF), or EIO (a pty whose other side is closed), or an error.
        std::lock_guard lock(m_mutex);
        (is_out ? m_out_eof : m_err_eof) = true;
        return;
      }
    };
    drain(i_out, m_out_fd, true);
    drain(i_err, m_err_fd, false);
    if (i_in >= 0 && fds[i_in].revents != 0) {
      ssize_t w = ::write(m_stdin_fd, pending_in.data() + written, pending_in.size() - written);
      if (w > 0) {
        written += static_cast<std::size_t>(w);
        if (written == pending_in.size()) {
          finish_stdin();
        }
      } else if (w < 0 && errno != EAGAIN && errno != EINTR) {
        finish_stdin(); // EPIPE: the child does not read its stdin
      }
    }
    m_cv.notify_all();
  }
  if (writing_in) {
    finish_stdin();
  }
  std::lock_guard lock(m_mutex);
  m_out_eof = m_err_eof = true;
  m_cv.notify_all();
}

void ChildProcess::finish_reader()
{
  {
    // After the child exits, its output ends when every holder of the pipes
    // is gone; a grandchild that keeps them open gets a short grace only.
    std::unique_lock lock(m_mutex);
    m_cv.wait_for(lock, std::chrono::seconds(m_timed_out ? 2 : 5),
                  [this] { return m_out_eof && m_err_eof; });
  }
  char c = 'x';
  ssize_t ignored = ::write(m_wake[1], &c, 1);
  (void)ignored;
  m_reader.join();
}

bool ChildProcess::running()
{
  if (m_pid <= 0 || m_exited) {
    return false;
  }
  int status = 0;
  struct rusage ru{};
  pid_t r = ::wait4(m_pid, &status, WNOHANG, &ru);
  if (r == m_pid) {
    m_exited = true;
    m_wait_status = status;
    m_max_rss_kib = ru.ru_maxrss;
    return false;
  }
  return true;
}

bool ChildProcess::send(int signal, bool group)
{
  if (m_pid <= 0 || m_exited) {
    return false;
  }
  return ::kill(group ? -m_pid : m_pid, signal) == 0;
}

bool ChildProcess::wait_for_output(std::string_view needle, std::chrono::milliseconds timeout,
                                   Stream stream)
{
  std::unique_lock lock(m_mutex);
  auto found = [&] {
    bool in_out = stream != Stream::err && m_out.find(needle) != std::string::npos;
    bool in_err = stream != Stream::out && m_err.find(needle) != std::string::npos;
    return in_out || in_err;
  };
  return m_cv.wait_for(lock, timeout, [&] { return found() || (m_out_eof && m_err_eof); }) &&
         found();
}

std::string ChildProcess::out() const
{
  std::lock_guard lock(m_mutex);
  return m_out;
}

std::string ChildProcess::err() const
{
  std::lock_guard lock(m_mutex);
  return m_err;
}

bool ChildProcess::write_stdin(std::string_view data)
{
  int fd;
  {
    // Wait until the initial stdin_data is written: the caller's bytes come after.
    std::unique_lock lock(m_mutex);
    m_cv.wait_for(lock, std::chrono::seconds(30), [this] { return m_stdin_ready; });
    if (!m_stdin_ready) {
      return false;
    }
    fd = m_stdin_fd;
  }
  if (fd < 0) {
    return false;
  }
  std::size_t done = 0;
  auto deadline = Clock::now() + std::chrono::seconds(30);
  while (done < data.size()) {
    ssize_t w = ::write(fd, data.data() + done, data.size() - done);
    if (w > 0) {
      done += static_cast<std::size_t>(w);
      continue;
    }
    if (w < 0 && errno == EINTR) {
      continue;
    }
    if (w < 0 && errno == EAGAIN) {
      if (Clock::now() > deadline) {
        return false;
      }
      pollfd p{fd, POLLOUT, 0};
      ::poll(&p, 1, 100);
      continue;
    }
    return false;
  }
  return true;
}

void ChildProcess::close_stdin()
{
  if (m_options.pty) {
    write_stdin("\x04");
    return;
  }
  std::lock_guard lock(m_mutex);
  close_fd(m_stdin_fd);
}

ProcessResult ChildProcess::wait()
{
  if (m_result) {
    return *m_result;
  }
  ProcessResult result;
  result.argv = m_argv;
  if (m_pid <= 0) {
    result.err = "crun::test: ChildProcess::wait() before start()";
    return result;
  }
  const auto deadline = m_started + m_options.timeout;
  while (!m_exited) {
    int status = 0;
    struct rusage ru{};
    pid_t r = ::wait4(m_pid, &status, WNOHANG, &ru);
    if (r == m_pid) {
      m_exited = true;
      m_wait_status = status;
      m_max_rss_kib = ru.ru_maxrss;
      break;
    }
    if (r < 0 && errno != EINTR) {
      break;
    }
    if (Clock::now() >= deadline && !m_timed_out) {
      m_timed_out = true;
      ::kill(-m_pid, SIGKILL);
      ::kill(m_pid, SIGKILL);
      continue;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (m_timed_out) {
    ::kill(-m_pid, SIGKILL); // whatever of its group is left
  }
  if (m_reader.joinable()) {
    finish_reader();
  }
  {
    std::lock_guard lock(m_mutex);
    close_fd(m_stdin_fd);
  }
  close_fd(m_out_fd);
  close_fd(m_err_fd);

  result.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - m_started);
  result.timed_out = m_timed_out;
  if (WIFEXITED(m_wait_status)) {
    result.exit_code = WEXITSTATUS(m_wait_status);
  } else if (WIFSIGNALED(m_wait_status)) {
    result.exit_code = -1;
    result.term_signal = WTERMSIG(m_wait_status);
  }
  result.max_rss_kib = m_max_rss_kib;
  std::lock_guard lock(m_mutex);
  result.out = m_out;
  result.err = m_err;
  result.out_bytes = m_out_bytes;
  result.out_sha256 = m_hash->hex();
  m_result = result;
  return result;
}

// ------------------------------------------------------------------ helpers

ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options)
{
  ProcessOptions opts = options;
  opts.keep_stdin_open = false;
  opts.pty = false;
  ChildProcess child;
  child.start(argv, opts);
  return child.wait();
}

PtyResult run_in_pty(const std::vector<std::string>& argv, std::string_view input,
                     std::chrono::seconds timeout, const ProcessOptions& options)
{
  ProcessOptions opts = options;
  opts.pty = true;
  opts.keep_stdin_open = true;
  opts.hash_stdout = false;
  opts.timeout = timeout;
  opts.stdin_data = std::string(input);
  ChildProcess child;
  child.start(argv, opts);
  ProcessResult r = child.wait();
  PtyResult p;
  p.exit_code = r.exit_code;
  p.term_signal = r.term_signal;
  p.timed_out = r.timed_out;
  p.output = std::move(r.out);
  if (!r.err.empty()) { // an exec failure is reported in err
    p.output += r.err;
  }
  return p;
}

} // namespace crun::test
