#include <crun/backends/http_lifecycle.hpp>

#include <crun/backends/http_api.hpp>
#include <crun/backends/json_fields.hpp>
#include <crun/core/error.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <charconv>

namespace crun::backends {
namespace {

const char* flag(bool on)
{
  return on ? "true" : "false";
}

std::map<std::string, std::string> string_map(const nlohmann::json& value)
{
  std::map<std::string, std::string> out;
  if (value.is_object()) {
    for (const auto& [key, item] : value.items()) {
      if (item.is_string()) {
        out.emplace(key, item.get<std::string>());
      }
    }
  }
  return out;
}

std::string with_sha256(std::string id)
{
  if (!id.empty() && id.find(':') == std::string::npos) {
    id.insert(0, "sha256:");
  }
  return id;
}

// Docker's Created is seconds; libpod's container rows carry RFC 3339.
void read_created(const nlohmann::json& value, std::string& text, std::int64_t& seconds)
{
  if (value.is_number_integer()) {
    seconds = value.get<std::int64_t>();
    text = rfc3339_from_unix(seconds);
  } else if (value.is_string()) {
    if (auto parsed = unix_from_rfc3339(value.get<std::string>())) {
      seconds = *parsed;
      text = rfc3339_from_unix(seconds);
    }
  }
}

} // namespace

transport::HttpRequest make_container_list_request(std::string_view root,
                                                   const ContainerListOptions& options)
{
  QueryParams params{{"all", flag(options.all)}};
  if (!options.label_filters.empty()) {
    nlohmann::json filters = {{"label", options.label_filters}};
    params.emplace_back("filters", filters.dump());
  }
  return make_api_request("GET", root, "/containers/json", params);
}

transport::HttpRequest make_stop_request(std::string_view root, const LifecycleSpelling& spelling,
                                         std::string_view name, std::optional<int> timeout)
{
  QueryParams params;
  if (timeout) {
    params.emplace_back(std::string(spelling.stop_timeout), std::to_string(*timeout));
  }
  return make_api_request("POST", root, fmt::format("/containers/{}/stop", path_name(name)),
                          params);
}

transport::HttpRequest make_container_remove_request(std::string_view root, std::string_view name,
                                                     const RemoveOptions& options)
{
  return make_api_request("DELETE", root, fmt::format("/containers/{}", path_name(name)),
                          {{"force", flag(options.force)},
                           {"v", flag(options.volumes)},
                           {"volumes", flag(options.volumes)}});
}

transport::HttpRequest make_logs_request(std::string_view root, std::string_view name,
                                         const LogsOptions& options)
{
  return make_api_request(
    "GET", root, fmt::format("/containers/{}/logs", path_name(name)),
    {{"stdout", "true"},
     {"stderr", "true"},
     {"follow", flag(options.follow)},
     {"timestamps", flag(options.timestamps)},
     {"tail", options.tail ? std::to_string(*options.tail) : std::string("all")}});
}

transport::HttpRequest make_wait_exit_request(std::string_view root,
                                              const LifecycleSpelling& spelling,
                                              std::string_view name)
{
  QueryParams params;
  if (!spelling.wait_condition.empty()) {
    params.emplace_back("condition", std::string(spelling.wait_condition));
  }
  return make_api_request("POST", root, fmt::format("/containers/{}/wait", path_name(name)),
                          params);
}

transport::HttpRequest make_image_list_request(std::string_view root,
                                               const LifecycleSpelling& spelling)
{
  QueryParams params;
  if (spelling.image_list_digests) {
    params.emplace_back("digests", "true");
  }
  return make_api_request("GET", root, "/images/json", params);
}

transport::HttpRequest make_image_remove_request(std::string_view root, std::string_view name,
                                                 bool force)
{
  return make_api_request("DELETE", root, fmt::format("/images/{}", path_name(name)),
                          {{"force", flag(force)}});
}

std::optional<int> exit_code_from_status(std::string_view status)
{
  constexpr std::string_view k_prefix = "Exited (";
  if (!status.starts_with(k_prefix)) {
    return std::nullopt;
  }
  status.remove_prefix(k_prefix.size());
  int code = 0;
  auto [end, ec] = std::from_chars(status.data(), status.data() + status.size(), code);
  if (ec != std::errc() || end == status.data() + status.size() || *end != ')') {
    return std::nullopt;
  }
  return code;
}

std::vector<ContainerSummary> decode_container_list(const nlohmann::json& doc,
                                                    std::string_view backend)
{
  if (!doc.is_array()) {
    fail(Errc::protocol, "a container list that is not a JSON array");
  }
  std::vector<ContainerSummary> rows;
  for (const auto& item : doc) {
    if (!item.is_object()) {
      continue;
    }
    ContainerSummary row;
    row.backend = backend;
    row.id = string_field(item, "Id");
    auto names = string_list(field(item, "Names"));
    if (!names.empty()) {
      row.name = names.front();
      if (row.name.starts_with('/')) {
        row.name.erase(0, 1);
      }
    }
    row.reference = string_field(item, "Image");
    row.image_id = with_sha256(string_field(item, "ImageID"));
    const auto& command = field(item, "Command");
    if (command.is_array()) {
      auto words = string_list(command);
      row.command = fmt::format("{}", fmt::join(words, " "));
    } else {
      row.command = string_field(item, "Command");
    }
    read_created(field(item, "Created"), row.created, row.created_unix);
    row.status = string_field(item, "State");
    row.running = row.status == "running";
    row.status_text = string_field(item, "Status");
    bool exited = row.status == "exited" || row.status == "dead";
    if (exited) {
      if (field(item, "ExitCode").is_number_integer()) {
        row.exit_code = static_cast<int>(int_field(item, "ExitCode"));
      } else {
        row.exit_code = exit_code_from_status(row.status_text);
      }
    }
    row.labels = string_map(field(item, "Labels"));
    row.raw = item;
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<ImageSummary> decode_image_list(const nlohmann::json& doc, std::string_view backend)
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
    row.backend = backend;
    row.id = with_sha256(string_field(item, "Id"));
    for (auto& tag : string_list(field(item, "RepoTags"))) {
      if (tag != "<none>:<none>" && tag.find('@') == std::string::npos) {
        row.repo_tags.push_back(std::move(tag));
      }
    }
    for (auto& digest : string_list(field(item, "RepoDigests"))) {
      if (digest.find("<none>") == std::string::npos) {
        row.repo_digests.push_back(std::move(digest));
      }
    }
    read_created(field(item, "Created"), row.created, row.created_unix);
    row.size = int_field(item, "Size");
    row.labels = string_map(field(item, "Labels"));
    row.raw = item;
    rows.push_back(std::move(row));
  }
  return rows;
}

int decode_wait_exit(std::string_view body)
{
  nlohmann::json doc = nlohmann::json::parse(body, nullptr, false);
  if (doc.is_number_integer()) {
    return doc.get<int>();
  }
  if (doc.is_object() && field(doc, "StatusCode").is_number_integer()) {
    const auto& error = field(doc, "Error");
    if (error.is_object() && !string_field(error, "Message").empty()) {
      fail(Errc::engine_error, "the engine could not wait for the container: {}",
           string_field(error, "Message"));
    }
    return static_cast<int>(int_field(doc, "StatusCode"));
  }
  fail(Errc::protocol, "a wait answer that holds no exit code: {}",
       first_line(body.substr(0, 200)));
}

std::string decode_remove_report_error(std::string_view body)
{
  nlohmann::json doc = nlohmann::json::parse(body, nullptr, false);
  if (doc.is_array()) {
    for (const auto& report : doc) {
      if (report.is_object() && !string_field(report, "Err").empty()) {
        return string_field(report, "Err");
      }
    }
  } else if (doc.is_object()) {
    for (const auto& error : string_list(field(doc, "Errors"))) {
      return error;
    }
  }
  return {};
}

std::vector<std::string> decode_image_remove_lines(std::string_view body)
{
  nlohmann::json doc = nlohmann::json::parse(body, nullptr, false);
  std::vector<std::string> lines;
  auto add = [&](const char* key, const nlohmann::json& value) {
    for (const auto& item : string_list(value)) {
      lines.push_back(
        fmt::format("{}: {}", key, std::string_view(key) == "Deleted" ? with_sha256(item) : item));
    }
  };
  if (doc.is_array()) {
    for (const auto& entry : doc) {
      add("Untagged", field(entry, "Untagged"));
      add("Deleted", field(entry, "Deleted"));
    }
  } else if (doc.is_object()) {
    add("Untagged", field(doc, "Untagged"));
    add("Deleted", field(doc, "Deleted"));
  }
  return lines;
}

} // namespace crun::backends
