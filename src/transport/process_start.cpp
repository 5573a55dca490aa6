// start_process: fork and execve. Everything the child needs is made
// before fork (after it, in a threaded process, only async-signal-safe calls
// are allowed): the argument and environment arrays, and one source
// descriptor per redirected stream, numbered 3 or above and close-on-exec so
// that setting up one stream cannot overwrite another's source and none
// leaks into the program. A pseudo-terminal is opened before fork too; the
// child makes it its controlling terminal after setsid.

#include <crun/transport/process.hpp>
#include <crun/util/close_descriptors.hpp>

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstdlib>

namespace crun::transport {
namespace {

// The calls that can fail, named in StartFailure; the child reports an
// index into this table, since it may not allocate.
constexpr std::array<const char*, 11> k_calls = {
  "execve", "fork",    "pipe",          "open /dev/null",  "dup",         "dup2",
  "setsid", "grantpt", "open terminal", "ioctl TIOCSCTTY", "posix_openpt"};
enum Call {
  call_execve,
  call_fork,
  call_pipe,
  call_open_null,
  call_dup,
  call_dup2,
  call_setsid,
  call_grantpt,
  call_open_terminal,
  call_set_controlling_terminal,
  call_openpt,
};

// What the child writes to the report pipe when it cannot exec.
struct Report {
  int call = 0;
  int error = 0;
};

StartFailure failure(Call call, int error)
{
  return StartFailure{k_calls[static_cast<std::size_t>(call)], error};
}

// A close-on-exec copy of `fd` numbered 3 or above; -1 on failure.
int copy_above_stdio(int fd)
{
  return ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
}

// `fd` itself when it is 3 or above, else a copy above stdio (the original
// closed); close-on-exec either way. -1 on failure.
int move_above_stdio(int fd)
{
  if (fd < 0) {
    return fd;
  }
  if (fd > 2) {
    ::fcntl(fd, F_SETFD, FD_CLOEXEC);
    return fd;
  }
  int moved = copy_above_stdio(fd);
  ::close(fd);
  return moved;
}

// A pipe with both ends close-on-exec and above stdio (pipe2 is not on macOS).
bool make_pipe(UniqueFd& read_end, UniqueFd& write_end)
{
  int fds[2];
  if (::pipe(fds) != 0) {
    return false;
  }
  read_end.reset(move_above_stdio(fds[0]));
  write_end.reset(move_above_stdio(fds[1]));
  return read_end.get() >= 0 && write_end.get() >= 0;
}

// The descriptor the child puts at `target` (-1: leave it as it is), and
// this process's end of a pipe.
struct StreamPlan {
  UniqueFd source;
  UniqueFd parent_end;
};

// A new pseudo-terminal: the controller (kept here) and the terminal (the
// child's), both close-on-exec and above stdio.
struct TerminalPlan {
  UniqueFd controller;
  UniqueFd terminal;
};

std::optional<StartFailure> open_terminal(const ProcessSpec& spec, TerminalPlan& plan)
{
  plan.controller.reset(move_above_stdio(::posix_openpt(O_RDWR | O_NOCTTY)));
  if (plan.controller.get() < 0) {
    return failure(call_openpt, errno);
  }
  ::fcntl(plan.controller.get(), F_SETFD, FD_CLOEXEC);
  if (::grantpt(plan.controller.get()) != 0 || ::unlockpt(plan.controller.get()) != 0) {
    return failure(call_grantpt, errno);
  }
  const char* name = ::ptsname(plan.controller.get()); // before fork: not async-signal-safe
  if (name == nullptr) {
    return failure(call_grantpt, errno);
  }
  plan.terminal.reset(move_above_stdio(::open(name, O_RDWR | O_NOCTTY | O_CLOEXEC)));
  if (plan.terminal.get() < 0) {
    return failure(call_open_terminal, errno);
  }
  if (spec.terminal_rows != 0 && spec.terminal_cols != 0) {
    winsize size{};
    size.ws_row = spec.terminal_rows;
    size.ws_col = spec.terminal_cols;
    ::ioctl(plan.terminal.get(), TIOCSWINSZ, &size); // best effort: the default size remains
  }
  return std::nullopt;
}

std::optional<StartFailure> plan_stream(const ChildStream& stream, int target, StreamPlan& plan,
                                        const TerminalPlan& terminal)
{
  switch (stream.mode) {
  case ChildStream::Mode::terminal:
    plan.source.reset(copy_above_stdio(terminal.terminal.get()));
    if (plan.source.get() < 0) {
      return failure(call_dup, errno);
    }
    return std::nullopt;
  case ChildStream::Mode::inherit: return std::nullopt;
  case ChildStream::Mode::null:
    plan.source.reset(
      move_above_stdio(::open("/dev/null", (target == 0 ? O_RDONLY : O_WRONLY) | O_CLOEXEC)));
    if (plan.source.get() < 0) {
      return failure(call_open_null, errno);
    }
    return std::nullopt;
  case ChildStream::Mode::pipe: {
    bool made = target == 0 ? make_pipe(plan.source, plan.parent_end)
                            : make_pipe(plan.parent_end, plan.source);
    if (!made) {
      return failure(call_pipe, errno);
    }
    return std::nullopt;
  }
  case ChildStream::Mode::descriptor:
    plan.source.reset(copy_above_stdio(stream.fd));
    if (plan.source.get() < 0) {
      return failure(call_dup, errno);
    }
    return std::nullopt;
  }
  return std::nullopt;
}

[[noreturn]] void report_and_exit(int report_fd, Call call)
{
  Report report{call, errno};
  ssize_t ignored = ::write(report_fd, &report, sizeof report);
  (void)ignored;
  ::_exit(127);
}

// In the child, between fork and exec: async-signal-safe calls only.
[[noreturn]] void exec_child(const ProcessSpec& spec, const std::array<StreamPlan, 3>& streams,
                             int terminal_fd, int report_fd, int descriptor_limit,
                             char* const* argv, char* const* envp)
{
  if ((spec.new_session || terminal_fd >= 0) && ::setsid() < 0) {
    report_and_exit(report_fd, call_setsid);
  }
  // A session leader's first terminal is not its controlling one on every
  // system (BSD, macOS) until it asks.
  if (terminal_fd >= 0 && ::ioctl(terminal_fd, TIOCSCTTY, 0) < 0) {
    report_and_exit(report_fd, call_set_controlling_terminal);
  }
  // crun-any blocks signals in its threads and ignores SIGPIPE; neither is
  // the program's business (ignored signals stay ignored across execve).
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  for (int sig = 1; sig < NSIG; ++sig) {
    if (sig != SIGKILL && sig != SIGSTOP) {
      ::signal(sig, SIG_DFL);
    }
  }
  for (int target = 0; target < 3; ++target) {
    int source = streams[static_cast<std::size_t>(target)].source.get();
    if (source >= 0 && ::dup2(source, target) < 0) {
      report_and_exit(report_fd, call_dup2);
    }
  }
  util::close_descriptors_except(report_fd, descriptor_limit);
  ::execve(spec.executable.c_str(), argv, envp);
  report_and_exit(report_fd, call_execve);
}

} // namespace

std::variant<ChildProcess, StartFailure> start_process(const ProcessSpec& spec)
{
  std::array<StreamPlan, 3> streams;
  const ChildStream* wanted[] = {&spec.in, &spec.out, &spec.err};
  TerminalPlan terminal;
  for (const ChildStream* stream : wanted) {
    if (stream->mode == ChildStream::Mode::terminal) {
      if (auto failed = open_terminal(spec, terminal)) {
        return *failed;
      }
      break;
    }
  }
  for (int target = 0; target < 3; ++target) {
    auto& plan = streams[static_cast<std::size_t>(target)];
    if (auto failed = plan_stream(*wanted[target], target, plan, terminal)) {
      return *failed;
    }
  }
  UniqueFd report_read;
  UniqueFd report_write;
  if (!make_pipe(report_read, report_write)) {
    return failure(call_pipe, errno);
  }

  std::vector<char*> argv;
  for (const auto& arg : spec.argv) {
    argv.push_back(const_cast<char*>(arg.c_str()));
  }
  if (argv.empty()) {
    argv.push_back(const_cast<char*>(spec.executable.c_str())); // programs expect an argv[0]
  }
  argv.push_back(nullptr);
  std::vector<std::string> entries;
  for (const auto& [name, value] : spec.env.vars()) {
    entries.push_back(name + "=" + value);
  }
  std::vector<char*> envp;
  envp.reserve(entries.size());
  for (auto& entry : entries) {
    envp.push_back(entry.data());
  }
  envp.push_back(nullptr);
  long open_max = ::sysconf(_SC_OPEN_MAX);
  int limit = open_max > 0 && open_max < 65536 ? static_cast<int>(open_max) : 65536;

  pid_t pid = ::fork();
  if (pid < 0) {
    return failure(call_fork, errno);
  }
  if (pid == 0) {
    exec_child(spec, streams, terminal.terminal.get(), report_write.get(), limit, argv.data(),
               envp.data());
  }

  report_write.reset();
  terminal.terminal.reset(); // the child's now: its end of file is the controller's EIO
  Report report;
  ssize_t got;
  do {
    got = ::read(report_read.get(), &report, sizeof report);
  } while (got < 0 && errno == EINTR);
  if (got == static_cast<ssize_t>(sizeof report)) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    bool known = report.call >= 0 && report.call < static_cast<int>(k_calls.size());
    return StartFailure{known ? k_calls[static_cast<std::size_t>(report.call)] : "exec",
                        report.error};
  }
  return ChildProcess(pid, std::move(streams[0].parent_end), std::move(streams[1].parent_end),
                      std::move(streams[2].parent_end), std::move(terminal.controller));
}

} // namespace crun::transport
