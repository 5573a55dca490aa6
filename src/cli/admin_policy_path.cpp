#include "admin_policy_path.hpp"

namespace crun::cli::policy_detail {

std::filesystem::path admin_policy_relative_path()
{
#ifdef __APPLE__
  return "Library/Application Support/crun-any/policy.json";
#else
  return "etc/crun-any/policy.json";
#endif
}

} // namespace crun::cli::policy_detail
