#include <crun/backends/model.hpp>

#include <crun/core/contract_versions.hpp>
#include <crun/core/error.hpp>
#include <crun/core/image_ref.hpp>

namespace crun::backends {
namespace {

nlohmann::json optional_list(const std::optional<std::vector<std::string>>& list)
{
  return list ? nlohmann::json(*list) : nlohmann::json(nullptr);
}

nlohmann::json config_json(const ImageConfig& config)
{
  return {
    {"user", config.user},
    {"env", config.env},
    {"entrypoint", optional_list(config.entrypoint)},
    {"cmd", optional_list(config.cmd)},
    {"working_dir", config.working_dir},
    {"labels", config.labels},
    {"exposed_ports", config.exposed_ports},
    {"volumes", config.volumes},
    {"stop_signal", config.stop_signal},
  };
}

} // namespace

nlohmann::json to_json(const core::Platform& platform)
{
  return {
    {"os", platform.os}, {"architecture", platform.architecture}, {"variant", platform.variant}};
}

nlohmann::json to_json(const ImageInfo& image)
{
  return {
    {"kind", "image"},
    {"schema_version", core::k_inspect_schema_version},
    {"backend", image.backend},
    {"reference", image.reference},
    {"id", image.id},
    {"digest", image.digest ? nlohmann::json(*image.digest) : nlohmann::json(nullptr)},
    {"repo_tags", image.repo_tags},
    {"repo_digests", image.repo_digests},
    {"platform", to_json(image.platform)},
    {"created", image.created},
    {"size", image.size},
    {"config", config_json(image.config)},
  };
}

nlohmann::json to_json(const ContainerInfo& container)
{
  nlohmann::json config = config_json(container.config);
  config["tty"] = container.tty;
  config["open_stdin"] = container.open_stdin;
  const ContainerState& s = container.state;
  bool exited = s.status == "exited" || s.status == "dead";
  nlohmann::json exit_code =
    s.exit_code_known ? nlohmann::json(s.exit_code) : nlohmann::json(nullptr);
  return {
    {"kind", "container"},
    {"schema_version", core::k_inspect_schema_version},
    {"backend", container.backend},
    {"id", container.id},
    {"name", container.name},
    {"reference", container.reference},
    {"image_id", container.image_id},
    {"platform", to_json(container.platform)},
    {"created", container.created},
    {"config", config},
    {"state",
     {{"status", s.status},
      {"running", s.running},
      {"exit_code", exit_code},
      {"error", s.error},
      {"oom_killed", s.oom_killed},
      {"started_at", s.started_at},
      {"finished_at", s.finished_at}}},
    {"exit_code", exited ? exit_code : nlohmann::json(nullptr)},
  };
}

std::optional<std::string> digest_for_repository(const std::vector<std::string>& repo_digests,
                                                 const std::string& repository)
{
  for (const auto& entry : repo_digests) {
    // An entry the engine wrote that is no reference is not ours to judge.
    auto ref = core::ImageRef::try_parse(entry);
    if (ref && ref->digest() && ref->repository() == repository) {
      return ref->digest()->str();
    }
  }
  return std::nullopt;
}

std::vector<std::string> normalized_names(const std::vector<std::string>& names)
{
  std::vector<std::string> out;
  for (const auto& name : names) {
    if (auto ref = core::ImageRef::try_parse(name)) {
      out.push_back(ref->str());
    }
  }
  return out;
}

} // namespace crun::backends
