#include <crun/backends/apple/apple_lifecycle.hpp>

#include <crun/backends/apple/apple_decode.hpp>
#include <crun/backends/json_fields.hpp>
#include <crun/core/error.hpp>
#include <crun/core/image_ref.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace crun::backends::apple {

Args list_args(bool all)
{
  Args args{"list"};
  if (all) {
    args.emplace_back("--all");
  }
  args.insert(args.end(), {"--format", "json"});
  return args;
}

Args stop_args(const std::string& id, std::optional<int> timeout)
{
  Args args{"stop"};
  if (timeout) {
    args.insert(args.end(), {"--time", std::to_string(*timeout)});
  }
  args.push_back(id);
  return args;
}

Args delete_args(const std::string& id, const RemoveOptions& options)
{
  if (options.volumes) {
    fail(Errc::usage, "rm -v: the apple backend cannot remove a container's volumes with it "
                      "(`container delete` has no such option); leave -v out");
  }
  Args args{"delete"};
  if (options.force) {
    args.emplace_back("--force");
  }
  args.push_back(id);
  return args;
}

Args logs_args(const std::string& id, const LogsOptions& options)
{
  if (options.timestamps) {
    fail(Errc::usage, "logs -t: the apple backend cannot show timestamps (`container logs` has "
                      "no such option); leave -t out");
  }
  Args args{"logs"};
  if (options.follow) {
    args.emplace_back("--follow");
  }
  if (options.tail) {
    args.insert(args.end(), {"-n", std::to_string(*options.tail)});
  }
  args.push_back(id);
  return args;
}

Args image_list_args()
{
  return {"image", "list", "--format", "json"};
}

Args image_delete_args(const std::string& name, bool force)
{
  if (force) {
    fail(Errc::usage, "rmi -f: the apple backend has no forced removal (`container image "
                      "delete --force` only ignores missing images); leave -f out");
  }
  return {"image", "delete", name};
}

std::vector<ContainerSummary> decode_container_list(const nlohmann::json& doc)
{
  if (!doc.is_array()) {
    fail(Errc::protocol, "a container list that is not a JSON array");
  }
  std::vector<ContainerSummary> rows;
  for (const auto& item : doc) {
    auto info = decode_container(nlohmann::json::array({item}));
    if (!info) {
      continue;
    }
    ContainerSummary row;
    row.backend = "apple";
    row.id = info->id;
    row.name = info->name;
    row.reference = info->reference;
    row.image_id = info->image_id;
    std::vector<std::string> words;
    if (info->config.entrypoint) {
      words = *info->config.entrypoint;
    }
    if (info->config.cmd) {
      words.insert(words.end(), info->config.cmd->begin(), info->config.cmd->end());
    }
    row.command = fmt::format("{}", fmt::join(words, " "));
    row.created = info->created;
    if (auto seconds = unix_from_rfc3339(info->created)) {
      row.created_unix = *seconds;
    }
    row.status = info->state.status;
    row.running = info->state.running;
    row.labels = info->config.labels;
    row.raw = item;
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<ImageSummary> decode_image_list(const nlohmann::json& doc, const core::Platform& native)
{
  if (!doc.is_array()) {
    fail(Errc::protocol, "an image list that is not a JSON array");
  }
  std::vector<ImageSummary> rows;
  for (const auto& item : doc) {
    if (!item.is_object()) {
      continue;
    }
    ImageSummary row;
    row.backend = "apple";
    row.raw = item;
    if (item.contains("reference")) {
      // 0.x: the name and its local index only.
      std::string reference = string_field(item, "reference");
      row.repo_tags.push_back(reference);
      row.id = string_field(field(item, "descriptor"), "digest");
      rows.push_back(std::move(row));
      continue;
    }
    std::string name = string_field(field(item, "configuration"), "name");
    auto info = decode_image(nlohmann::json::array({item}), name, native);
    if (!info) {
      continue;
    }
    row.id = info->id;
    row.repo_tags.push_back(name);
    if (info->digest) {
      if (auto ref = core::ImageRef::try_parse(name)) {
        row.repo_digests.push_back(fmt::format("{}@{}", ref->repository(), *info->digest));
      }
    }
    row.created = info->created;
    if (auto seconds = unix_from_rfc3339(info->created)) {
      row.created_unix = *seconds;
    }
    row.size = info->size;
    row.labels = info->config.labels;
    rows.push_back(std::move(row));
  }
  return rows;
}

} // namespace crun::backends::apple
