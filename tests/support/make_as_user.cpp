#include "support/make_as_user.hpp"

#include "support/bench.hpp"
#include "support/bench_fixtures.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>

namespace crun::test {
namespace {

std::string socket_path(const std::string& uri)
{
  return uri.substr(std::string("unix://").size());
}

} // namespace

MakeAsUser::MakeAsUser(const std::string& host, const std::string& backend, std::string tree)
  : m_proxy(FaultProxy::Listen::unix_socket, socket_path(host),
            Fault{Fault::Kind::close_early, "NONE", {}, 0}),
    m_tree(std::move(tree)),
    m_crun_any(crun_any_bin() + " --backend " + backend + " --host " + m_proxy.uri())
{
  std::filesystem::path socket = socket_path(m_proxy.uri());
  ::chmod(socket.parent_path().c_str(), 0755);
  ::chmod(socket.c_str(), 0777);
  ::chmod(m_tree.c_str(), 0755);
  if (::chown(m_tree.c_str(), k_user, k_group) != 0) {
    throw std::runtime_error("cannot give " + m_tree + " to the test user");
  }
}

ProcessResult MakeAsUser::make(const std::vector<std::string>& args) const
{
  ProcessOptions options;
  options.env_unset = k_engine_variables;
  options.env_set = {"HOME=" + m_tree, "XDG_CACHE_HOME=" + m_tree + "/.cache", "NO_COLOR=1"};
  options.timeout = std::chrono::seconds(120);
  std::vector<std::string> argv = {"setpriv",
                                   "--reuid",
                                   std::to_string(k_user),
                                   "--regid",
                                   std::to_string(k_group),
                                   "--clear-groups",
                                   "make",
                                   "-s",
                                   "-C",
                                   m_tree};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, options);
}

} // namespace crun::test
