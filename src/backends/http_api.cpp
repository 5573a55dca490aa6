#include <crun/backends/http_api.hpp>

#include <crun/core/url.hpp>

#include <fmt/format.h>

#include <charconv>

namespace crun::backends {

int compare_versions(std::string_view a, std::string_view b)
{
  // Takes the leading number of `v` and moves `v` past the next dot.
  auto part = [](std::string_view& v) {
    int value = 0;
    auto dot = v.find('.');
    std::string_view head = v.substr(0, dot);
    std::from_chars(head.data(), head.data() + head.size(), value);
    v = dot == std::string_view::npos ? std::string_view() : v.substr(dot + 1);
    return value;
  };
  for (int i = 0; i < 3; ++i) {
    int pa = part(a);
    int pb = part(b);
    if (pa != pb) {
      return pa < pb ? -1 : 1;
    }
  }
  return 0;
}

transport::HttpRequest make_api_request(std::string method, std::string_view root,
                                        std::string_view path, const QueryParams& params)
{
  transport::HttpRequest req;
  req.method = std::move(method);
  req.target = fmt::format("{}{}{}", root, path, core::query_string(params));
  return req;
}

std::string path_name(std::string_view name)
{
  return core::percent_encode(name, "/:@");
}

void set_json_body(transport::HttpRequest& request, const nlohmann::json& body)
{
  // Bytes that are not UTF-8 (in an argument, an env value, a label) go as
  // U+FFFD, as the docker CLI's JSON encoder sends them, rather than abort
  // the command with nlohmann's type_error.
  request.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  request.content_type = "application/json";
}

void ask_upgrade(transport::HttpRequest& request)
{
  request.headers.emplace_back("Connection", "Upgrade");
  request.headers.emplace_back("Upgrade", "tcp");
}

transport::HttpRequest make_ping_request()
{
  return make_api_request("GET", "", "/_ping");
}

transport::HttpRequest make_version_request(std::string_view root)
{
  return make_api_request("GET", root, "/version");
}

transport::HttpRequest make_tag_request(std::string_view root, std::string_view source,
                                        const core::ImageRef& target)
{
  return make_api_request("POST", root, fmt::format("/images/{}/tag", path_name(source)),
                          {{"repo", target.repository()}, {"tag", target.tag_or_latest()}});
}

transport::HttpRequest make_image_inspect_request(std::string_view root, std::string_view name)
{
  return make_api_request("GET", root, fmt::format("/images/{}/json", path_name(name)));
}

transport::HttpRequest make_container_inspect_request(std::string_view root, std::string_view id)
{
  return make_api_request("GET", root, fmt::format("/containers/{}/json", path_name(id)));
}

transport::HttpRequest make_start_request(std::string_view root, std::string_view id)
{
  return make_api_request("POST", root, fmt::format("/containers/{}/start", path_name(id)));
}

transport::HttpRequest make_kill_request(std::string_view root, std::string_view id,
                                         std::string_view signal)
{
  return make_api_request("POST", root, fmt::format("/containers/{}/kill", path_name(id)),
                          {{"signal", std::string(signal)}});
}

transport::HttpRequest make_resize_request(std::string_view root, std::string_view id,
                                           unsigned rows, unsigned cols)
{
  return make_api_request("POST", root, fmt::format("/containers/{}/resize", path_name(id)),
                          {{"h", std::to_string(rows)}, {"w", std::to_string(cols)}});
}

} // namespace crun::backends
