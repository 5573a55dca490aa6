// The policy files: found in precedence order, read fail-closed, and the
// admin file checked through the descriptor it is read from, so that no
// flag, variable, project or user can replace or loosen it.
#include <crun/cli/policy_files.hpp>

#include "admin_policy_path.hpp"

#include <crun/backends/selection/preference.hpp>
#include <crun/cli/find_upwards.hpp>
#include <crun/core/error.hpp>
#include <crun/transport/unique_fd.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <string>
#include <system_error>

namespace crun::cli {
namespace fs = std::filesystem;
namespace {

std::string errno_text(int error)
{
  return std::generic_category().message(error);
}

[[noreturn]] void cannot_read(const fs::path& path, int error)
{
  fail(Errc::policy_invalid, "cannot read the policy file {}: {}", path.string(),
       errno_text(error));
}

std::string_view file_type_name(mode_t mode)
{
  if (S_ISDIR(mode)) {
    return "a directory";
  }
  if (S_ISFIFO(mode)) {
    return "a named pipe";
  }
  if (S_ISSOCK(mode)) {
    return "a socket";
  }
  if (S_ISCHR(mode) || S_ISBLK(mode)) {
    return "a device";
  }
  return "another kind of file";
}

bool writable_by_others(mode_t mode)
{
  return (mode & (S_IWGRP | S_IWOTH)) != 0;
}

// Opens without blocking: a named pipe put where a policy is expected must
// not hang every command.
transport::UniqueFd open_policy(const fs::path& path)
{
  transport::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
  if (fd.get() < 0) {
    cannot_read(path, errno);
  }
  return fd;
}

std::string read_all(int fd, const fs::path& path)
{
  std::string text;
  std::array<char, 16384> buffer{};
  for (;;) {
    ssize_t got = ::read(fd, buffer.data(), buffer.size());
    if (got < 0) {
      if (errno == EINTR) {
        continue;
      }
      cannot_read(path, errno);
    }
    if (got == 0) {
      return text;
    }
    text.append(buffer.data(), static_cast<std::size_t>(got));
  }
}

void check_admin_file(const fs::path& path, const struct stat& info)
{
  const std::string name = path.string();
  if (!S_ISREG(info.st_mode)) {
    fail(Errc::policy_invalid,
         "the admin policy {} is not a regular file ({}): every command refuses until an admin "
         "replaces it with a regular file owned by root with mode 644",
         name, file_type_name(info.st_mode));
  }
  if (info.st_uid != 0) {
    fail(Errc::policy_invalid,
         "the admin policy {0} is owned by uid {1}, not root: every command refuses until an "
         "admin runs `chown root:root {0} && chmod 644 {0}`",
         name, info.st_uid);
  }
  if (writable_by_others(info.st_mode)) {
    fail(Errc::policy_invalid,
         "the admin policy {0} is writable by group or others (mode {1:04o}): every command "
         "refuses until an admin runs `chown root:root {0} && chmod 644 {0}`",
         name, info.st_mode & 07777);
  }
}

// Whoever can write the directory can replace the file in it, whatever the
// file's own mode.
void check_admin_directory(const fs::path& path)
{
  const fs::path dir = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  const std::string dir_name = dir.string();
  struct stat info{};
  if (::stat(dir.c_str(), &info) != 0) {
    fail(Errc::policy_invalid,
         "cannot check the directory {} of the admin policy {}: {}: every command refuses until "
         "an admin makes it a directory owned by root with mode 755",
         dir_name, path.string(), errno_text(errno));
  }
  if (info.st_uid != 0) {
    fail(Errc::policy_invalid,
         "the directory {0} of the admin policy {1} is owned by uid {2}, not root: every command "
         "refuses until an admin runs `chown root:root {0} && chmod 755 {0}`",
         dir_name, path.string(), info.st_uid);
  }
  if (writable_by_others(info.st_mode)) {
    fail(Errc::policy_invalid,
         "the directory {0} of the admin policy {1} is writable by group or others (mode "
         "{2:04o}): every command refuses until an admin runs `chown root:root {0} && chmod 755 "
         "{0}`",
         dir_name, path.string(), info.st_mode & 07777);
  }
}

// One descriptor for the check and the read: the file checked is the file
// read, whatever happens to the path in between.
std::string read_admin_policy(const fs::path& path)
{
  transport::UniqueFd fd = open_policy(path);
  struct stat info{};
  if (::fstat(fd.get(), &info) != 0) {
    cannot_read(path, errno);
  }
  check_admin_file(path, info);
  check_admin_directory(path);
  return read_all(fd.get(), path);
}

std::string read_policy_file(const fs::path& path)
{
  transport::UniqueFd fd = open_policy(path);
  // Blocking again for the read: `--policy <(...)` is a pipe whose writer
  // may not have written yet (with no writer at all, the read sees an empty
  // file, which does not parse).
  int flags = ::fcntl(fd.get(), F_GETFL);
  if (flags >= 0) {
    ::fcntl(fd.get(), F_SETFL, flags & ~O_NONBLOCK);
  }
  return read_all(fd.get(), path);
}

void add_named(std::vector<PolicyFile>& files, const std::string& path, std::string_view origin,
               std::string_view drop)
{
  if (!entry_exists(path)) {
    fail(Errc::policy_invalid,
         "the policy file {} named by {} does not exist: fix the path, or {} to do without it",
         path, origin, drop);
  }
  // Absolute, so that refusals and `policy show` name the file wherever
  // the reader stands, and a relative `lockfile` in it has one meaning.
  std::error_code error;
  fs::path absolute = fs::absolute(path, error);
  files.push_back({core::PolicyLevel::override_file, error ? fs::path(path) : absolute,
                   core::PolicyText::whole_file});
}

} // namespace

namespace detail {

SystemPaths system_paths(const Env& env, const fs::path& real_admin_policy,
                         const fs::path& real_binfmt_misc)
{
  SystemPaths real{real_admin_policy, real_binfmt_misc, false};
  auto root = env.get("CRUN_ANY_TEST_ROOT");
  if (!root) {
    return real;
  }
  std::error_code error;
  if (!fs::is_directory(*root, error) || entry_exists(real_admin_policy)) {
    return real;
  }
  const fs::path base(*root);
  return {base / policy_detail::admin_policy_relative_path(), base / "proc/sys/fs/binfmt_misc",
          true};
}

} // namespace detail

SystemPaths system_paths(const Env& env)
{
  return detail::system_paths(env, fs::path("/") / policy_detail::admin_policy_relative_path(),
                              "/proc/sys/fs/binfmt_misc");
}

std::vector<PolicyFile> find_policy_files(const Context& ctx, const SystemPaths& paths,
                                          fs::path start)
{
  std::vector<PolicyFile> files;
  if (entry_exists(paths.admin_policy)) {
    files.push_back({core::PolicyLevel::admin, paths.admin_policy, core::PolicyText::whole_file});
  }
  if (auto project =
        find_upwards(k_project_policy_name, std::move(start), UpwardMatch::any_entry)) {
    files.push_back({core::PolicyLevel::project, *project, core::PolicyText::whole_file});
  }
  if (auto user = backends::selection::user_config_path(ctx.env); user && entry_exists(*user)) {
    files.push_back({core::PolicyLevel::user, *user, core::PolicyText::policy_member});
  }
  if (!ctx.global.policy_file.empty()) {
    add_named(files, ctx.global.policy_file, "--policy", "drop --policy");
  }
  // Empty is unset, as for the engines' own variables.
  if (auto from_env = ctx.env.get("CRUN_ANY_POLICY"); from_env && !from_env->empty()) {
    add_named(files, *from_env, "CRUN_ANY_POLICY", "unset CRUN_ANY_POLICY");
  }
  return files;
}

LoadedPolicy load_policy(const Context& ctx, const SystemPaths& paths, fs::path start)
{
  LoadedPolicy loaded;
  loaded.files = find_policy_files(ctx, paths, std::move(start));
  std::vector<core::PolicyLayer> layers;
  layers.reserve(loaded.files.size());
  for (const PolicyFile& file : loaded.files) {
    std::string text = file.level == core::PolicyLevel::admin ? read_admin_policy(file.path)
                                                              : read_policy_file(file.path);
    layers.push_back({file.level, core::parse_policy(text, file.path.string(), file.part)});
  }
  loaded.effective = core::merge_policies(layers);
  if (const auto& lockfile = loaded.effective.lockfile) {
    fs::path value(lockfile->value);
    if (value.is_relative() && !lockfile->sources.empty()) {
      value = fs::path(lockfile->sources.front()).parent_path() / value;
    }
    loaded.lockfile = value;
  }
  return loaded;
}

} // namespace crun::cli
