#include <crun/core/run_labels.hpp>

namespace crun::core {
namespace {

std::string verdict_text(RunVerdict verdict)
{
  switch (verdict) {
  case RunVerdict::allowed: return "allowed";
  case RunVerdict::allowed_with_warnings: return "allowed-with-warnings";
  case RunVerdict::no_policy: break;
  }
  return "none";
}

} // namespace

std::map<std::string, std::string> run_labels(const RunProvenance& provenance)
{
  std::string prefix(k_run_label_prefix);
  std::map<std::string, std::string> labels;
  labels[std::string(k_run_label_platform)] = provenance.platform.str();
  labels[prefix + "policy"] = verdict_text(provenance.verdict);
  if (provenance.digest) {
    labels[prefix + "digest"] = *provenance.digest;
    labels[prefix + "locked"] = provenance.digest_from_lock ? "true" : "false";
  }
  labels[prefix + "version"] = provenance.version;
  return labels;
}

bool is_run_label(std::string_view key) noexcept
{
  return key.starts_with(k_run_label_prefix);
}

} // namespace crun::core
