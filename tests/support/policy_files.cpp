#include "support/policy_files.hpp"

#include "support/bench.hpp"
#include "support/socket_io.hpp"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace crun::test {

void write_file(const std::string& path, const std::string& text, mode_t mode)
{
  std::filesystem::path file(path);
  std::error_code error;
  if (file.has_parent_path()) {
    std::filesystem::create_directories(file.parent_path(), error);
    ASSERT_FALSE(error) << "cannot create " << file.parent_path() << ": " << error.message();
  }
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    ASSERT_TRUE(out) << "cannot write " << path;
  }
  ASSERT_EQ(::chmod(path.c_str(), mode), 0) << "chmod " << path << ": " << std::strerror(errno);
}

const std::vector<std::string> k_policy_variables = {"CRUN_ANY_POLICY", "CRUN_ANY_TEST_ROOT",
                                                     "XDG_CONFIG_HOME", "CRUN_ANY_LOCKFILE"};

SeamRoot::SeamRoot()
{
  std::error_code error;
  std::filesystem::create_directories(admin_dir(), error);
  EXPECT_FALSE(error) << "cannot create " << admin_dir() << ": " << error.message();
  // Every directory on the way 0755: mkdtemp made the root 0700.
  for (const std::string& dir : {path(), path() + "/etc", admin_dir()}) {
    EXPECT_EQ(::chmod(dir.c_str(), 0755), 0) << "chmod " << dir << ": " << std::strerror(errno);
  }
}

void SeamRoot::write_admin(const std::string& text, mode_t mode) const
{
  write_file(admin_file(), text, mode);
}

void SeamRoot::binfmt_without_emulators() const
{
  write_file(binfmt_dir() + "/status", "enabled\n", 0644);
}

PolicyWorld::PolicyWorld()
{
  for (const std::string& dir : {work(), config_home()}) {
    std::error_code error;
    std::filesystem::create_directories(dir, error);
    EXPECT_FALSE(error) << "cannot create " << dir << ": " << error.message();
  }
}

void PolicyWorld::write_user(const std::string& policy) const
{
  write_file(user_config(), "{\"policy\": " + policy + "}\n");
}

std::string PolicyWorld::write_override(const std::string& name, const std::string& policy) const
{
  write_file(file(name), policy);
  return file(name);
}

ProcessOptions PolicyWorld::options(const std::vector<std::string>& env) const
{
  ProcessOptions options;
  options.cwd = work();
  options.env_unset = k_policy_variables;
  options.env_set.push_back("XDG_CONFIG_HOME=" + config_home());
  options.env_set.insert(options.env_set.end(), env.begin(), env.end());
  return options;
}

namespace {

// Whether a line of `err` names `rule` and, in the "(set by ...)" right
// after it, `file`: "<rule> (set by <file>)", "<rule> (set by <a> and
// <file>)" (a list two files narrowed), "<rule>: <value> (set by <file>)".
bool names_rule_and_file(const std::string& err, const std::string& rule, const std::string& file)
{
  for (const std::string& line : lines_with(err, rule)) {
    for (auto at = line.find(rule); at != std::string::npos; at = line.find(rule, at + 1)) {
      const std::size_t after = at + rule.size();
      const std::size_t set = line.find("(set by ", after);
      if (set == std::string::npos || set - after > 32) {
        continue; // not this rule's own "(set by": at most ": <value> " between
      }
      const std::size_t close = line.find(')', set);
      if (line.substr(set, close == std::string::npos ? close : close - set).find(file) !=
          std::string::npos) {
        return true;
      }
    }
  }
  return false;
}

} // namespace

::testing::AssertionResult refused_by(const ProcessResult& result, int code,
                                      const std::string& rule, const std::string& file)
{
  const std::string violation = rule + " (set by ... " + file + " ...)";
  if (result.exit_code != code) {
    return ::testing::AssertionFailure()
           << "expected exit " << code << " naming " << violation << "\n"
           << result.describe();
  }
  if (result.err.find("crun-any: error: refused by the policy") == std::string::npos ||
      !names_rule_and_file(result.err, rule, file)) {
    return ::testing::AssertionFailure()
           << "stderr lacks \"crun-any: error: refused by the policy\" or " << violation << "\n"
           << result.describe();
  }
  return ::testing::AssertionSuccess();
}

std::vector<std::string> lines_with(const std::string& text, const std::string& needle)
{
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) {
      end = text.size();
    }
    std::string line = text.substr(start, end - start);
    if (line.find(needle) != std::string::npos) {
      lines.push_back(line);
    }
    start = end + 1;
  }
  return lines;
}

bool real_admin_policy_exists()
{
  std::error_code error;
  return std::filesystem::exists("/etc/crun-any/policy.json", error);
}

Listener::Listener()
{
  BoundSocket bound = bind_loopback();
  m_fd = bound.fd;
  m_port = bound.port;
  EXPECT_EQ(::listen(m_fd, 16), 0) << "listen: " << std::strerror(errno);
  ::fcntl(m_fd, F_SETFL, ::fcntl(m_fd, F_GETFL) | O_NONBLOCK);
}

Listener::~Listener()
{
  if (m_fd >= 0) {
    ::close(m_fd);
  }
}

int Listener::connections()
{
  for (;;) {
    int client = ::accept(m_fd, nullptr, nullptr);
    if (client < 0) {
      return m_seen; // EAGAIN: nobody else is waiting
    }
    ::close(client);
    ++m_seen;
  }
}

std::string copy_registry_tag(const std::string& repo, const std::string& from,
                              const std::string& to_tag)
{
  RegistryManifest manifest = registry_manifest(repo, from);
  EXPECT_EQ(manifest.status, 200) << repo << ":" << from << ": " << manifest.error;
  if (manifest.status != 200) {
    return {};
  }
  ProcessOptions options;
  options.stdin_data = manifest.body;
  options.timeout = std::chrono::seconds(60);
  auto put = run_process(
    {"curl", "-sS", "--noproxy", "*", "--max-time", "30", "-X", "PUT", "-H",
     "Content-Type: " + manifest.content_type, "--data-binary", "@-", "-o", "/dev/null", "-w",
     "%{http_code}", "http://" + Bench::get().registry + "/v2/" + repo + "/manifests/" + to_tag},
    options);
  EXPECT_EQ(put.out, "201") << put.describe();
  return manifest.digest;
}

} // namespace crun::test
