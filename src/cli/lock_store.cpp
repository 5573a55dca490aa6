#include <crun/cli/lock_store.hpp>

#include <crun/cli/find_upwards.hpp>
#include <crun/cli/session.hpp>
#include <crun/core/error.hpp>

#include <fmt/ostream.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <system_error>

namespace crun::cli {
namespace fs = std::filesystem;
namespace {

std::string errno_text(int error)
{
  return std::generic_category().message(error);
}

// Closes a descriptor and, unless released, removes the temporary file it
// was opened on: every failure path leaves no temporary behind.
class TempFile {
public:
  TempFile(int fd, fs::path path) : m_fd(fd), m_path(std::move(path)) {}
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile()
  {
    if (m_fd >= 0) {
      ::close(m_fd);
    }
    if (!m_path.empty()) {
      ::unlink(m_path.c_str());
    }
  }
  int fd() const { return m_fd; }
  const fs::path& path() const { return m_path; }
  // The descriptor is closed; returns close's errno, 0 when it succeeded.
  int close()
  {
    int rc = ::close(m_fd);
    m_fd = -1;
    return rc == 0 ? 0 : errno;
  }
  void release() { m_path.clear(); }

private:
  int m_fd;
  fs::path m_path;
};

[[noreturn]] void write_failed(const fs::path& path, std::string_view what, int error)
{
  fail(Errc::file_error, "cannot write the lock file {}: {}: {}; it was left as it was",
       path.string(), what, errno_text(error));
}

// Whether `a` and `b` name the same file (or would, once created).
bool same_file(const fs::path& a, const fs::path& b)
{
  std::error_code error;
  fs::path ca = fs::weakly_canonical(fs::absolute(a), error);
  fs::path cb = fs::weakly_canonical(fs::absolute(b), error);
  return ca == cb;
}

} // namespace

std::optional<LockLocation> locate_lock(const Context& ctx, fs::path start)
{
  if (ctx.policy && ctx.policy->loaded.lockfile) {
    // The policy's lock: a flag or variable naming another file cannot
    // point require_lock at a lock of the user's choosing.
    const fs::path& pinned = *ctx.policy->loaded.lockfile;
    const auto& rule = ctx.policy->loaded.effective.lockfile;
    std::string source = rule ? core::describe_sources(rule->sources) : std::string("the policy");
    auto from_env = ctx.env.get("CRUN_ANY_LOCKFILE");
    for (const auto& [given, name] :
         {std::pair{ctx.global.lockfile, std::string("--lockfile")},
          std::pair{from_env.value_or(std::string()), std::string("CRUN_ANY_LOCKFILE")}}) {
      if (!given.empty() && !same_file(given, pinned)) {
        fail(Errc::policy_denied,
             "refused by the policy: lockfile (set by {}) is {}; {} {} cannot replace it: drop "
             "{}",
             source, pinned.string(), name, given, name);
      }
    }
    return LockLocation{pinned, true};
  }
  if (!ctx.global.lockfile.empty()) {
    return LockLocation{ctx.global.lockfile, true};
  }
  if (auto from_env = ctx.env.get("CRUN_ANY_LOCKFILE"); from_env && !from_env->empty()) {
    return LockLocation{*from_env, true};
  }
  auto found = find_upwards(core::k_lock_file_name, std::move(start), UpwardMatch::regular_file);
  if (!found) {
    return std::nullopt;
  }
  return LockLocation{*found, false};
}

core::LockFile read_lock(const fs::path& path)
{
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    fail(Errc::invalid_input, "cannot read the lock file {}: {}", path.string(), errno_text(errno));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    fail(Errc::invalid_input, "cannot read the lock file {}: read error", path.string());
  }
  return core::parse_lock_file(text.str(), path.string());
}

std::optional<LoadedLock> load_lock(const Context& ctx)
{
  auto location = locate_lock(ctx);
  if (!location) {
    return std::nullopt;
  }
  return LoadedLock{location->path, read_lock(location->path)};
}

std::optional<backends::LockedPull> consult_lock(const Context& ctx, const LoadedLock* loaded,
                                                 const core::ImageRef& ref,
                                                 const core::Platform& platform, bool quiet)
{
  if (loaded == nullptr) {
    return std::nullopt;
  }
  const std::string name = loaded->path.string();
  auto locked = backends::decide_from_lock(&loaded->lock, name, ref, platform);
  if (locked && !quiet) {
    fmt::print(ctx.io.err, "crun-any: using the lock {}: {} -> {} for {}\n", name,
               core::lock_key(ref), locked->manifest.str(), locked->platform);
    ctx.io.err.flush();
  }
  return locked;
}

void write_file_atomically(const fs::path& path, const std::string& text)
{
  struct stat existing{};
  if (::stat(path.c_str(), &existing) == 0) {
    if ((existing.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)) == 0 ||
        ::access(path.c_str(), W_OK) != 0) {
      fail(Errc::file_error,
           "the lock file {} is read-only: crun-any never rewrites it; make it writable to "
           "update it",
           path.string());
    }
  }
  fs::path dir = path.parent_path().empty() ? fs::path(".") : path.parent_path();

  std::random_device random;
  fs::path temp_path =
    dir / fmt::format(".{}.{:08x}.tmp", path.filename().string(), static_cast<unsigned>(random()));
  int fd = ::open(temp_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    write_failed(path, fmt::format("cannot create {}", temp_path.string()), errno);
  }
  TempFile temp(fd, temp_path);
  // Keep the mode of the file replaced (a group-writable lock stays so).
  if (::stat(path.c_str(), &existing) == 0) {
    ::fchmod(temp.fd(), existing.st_mode & 07777);
  }
  std::string_view rest = text;
  while (!rest.empty()) {
    ssize_t written = ::write(temp.fd(), rest.data(), rest.size());
    if (written < 0) {
      if (errno == EINTR) {
        continue;
      }
      write_failed(path, "write", errno);
    }
    rest.remove_prefix(static_cast<std::size_t>(written));
  }
  if (::fsync(temp.fd()) != 0) {
    write_failed(path, "fsync", errno);
  }
  if (int error = temp.close(); error != 0) {
    write_failed(path, "close", error);
  }
  if (::rename(temp.path().c_str(), path.c_str()) != 0) {
    write_failed(path, "rename", errno);
  }
  temp.release();
  // The rename is durable only once the directory is; a failure here leaves
  // the new file in place, so it is not reported as a failed write.
  int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
}

} // namespace crun::cli
