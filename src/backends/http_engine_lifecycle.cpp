// HttpEngine's lifecycle verbs (ps, stop, rm, logs, wait, images, rmi):
// the bytes between http_lifecycle.hpp's builders and decoders.

#include <crun/backends/http_api.hpp>
#include <crun/backends/http_engine.hpp>
#include <crun/backends/json_fields.hpp>
#include <crun/core/error.hpp>
#include <crun/core/frame_decoder.hpp>

#include <memory>

namespace crun::backends {
namespace {

// The size of logs' read buffer: memory stays at it whatever the log's size.
constexpr std::size_t k_log_buffer_bytes = 64 * 1024;

// Calls `call`; false when it failed with not_found (no such container or
// image), rethrows anything else.
template <class F>
bool unless_missing(F&& call)
{
  try {
    call();
    return true;
  } catch (const Error& error) {
    if (error.code() == Errc::not_found) {
      return false;
    }
    throw;
  }
}

} // namespace

std::vector<ContainerSummary> HttpEngine::list_containers(const ContainerListOptions& options)
{
  return m_client.call_json(
    make_container_list_request(root(), options), "list containers",
    [&](const nlohmann::json& doc) { return decode_container_list(doc, m_info.backend); });
}

bool HttpEngine::stop_container(const std::string& name, std::optional<int> timeout)
{
  try {
    return unless_missing([&] {
      m_client.call(make_stop_request(root(), m_dialect.lifecycle, name, timeout),
                    fmt::format("stop container {}", name));
    });
  } catch (const Error& error) {
    // Docker answers 304 Not Modified, with no body, for a container that
    // is stopped already: stopped is what was asked.
    if (error.message().ends_with(": HTTP 304")) {
      return true;
    }
    throw;
  }
}

bool HttpEngine::remove_container(const std::string& name, const RemoveOptions& options)
{
  std::string body;
  bool found = unless_missing([&] {
    body = m_client.call(make_container_remove_request(root(), name, options),
                         fmt::format("remove container {}", name));
  });
  if (!found) {
    return false;
  }
  // libpod answers 200 with a report, which may hold the error.
  if (std::string error = decode_remove_report_error(body); !error.empty()) {
    if (error.find("no such container") != std::string::npos) {
      return false;
    }
    fail(Errc::engine_error, "cannot remove container {}: {}", name, error);
  }
  return true;
}

bool HttpEngine::container_logs(const std::string& name, const LogsOptions& options,
                                const core::FrameSink& sink)
{
  // The body is multiplexed unless the container has a terminal, and only
  // its Tty says which (frame_decoder.hpp): inspect first.
  auto state =
    m_client.find_json(make_container_inspect_request(root(), name),
                       fmt::format("inspect container {}", name), [](const nlohmann::json& doc) {
                         return std::pair{bool_field(field(doc, "Config"), "Tty"),
                                          bool_field(field(doc, "State"), "Running")};
                       });
  if (!state) {
    return false;
  }
  const bool tty = state->first;
  // A container that is not running has nothing more to follow, and Podman
  // 4.3.1 cuts a followed log of a stopped container short (1 MB of a 64 MB
  // log, observed): its whole log is read without following.
  LogsOptions asked = options;
  if (!state->second) {
    asked.follow = false;
  }
  std::string what = fmt::format("read the logs of container {}", name);
  OpenCall call;
  if (!unless_missing(
        [&] { call = m_client.open(make_logs_request(root(), name, asked), what); })) {
    return false;
  }
  // Followed logs last as long as the container: no deadline then; others
  // may be silent for no longer than a call.
  std::optional<std::chrono::milliseconds> idle;
  if (!asked.follow) {
    idle = m_client.timeouts().call;
  }
  core::FrameDecoder decoder;
  std::unique_ptr<char[]> buffer(new char[k_log_buffer_bytes]);
  while (std::size_t n = call.connection->read_body_some(buffer.get(), k_log_buffer_bytes, idle)) {
    std::string_view piece(buffer.get(), n);
    if (tty) {
      sink(core::Stream::out, piece);
    } else {
      decoder.feed(piece, sink);
    }
  }
  if (!tty) {
    decoder.finish();
  }
  return true;
}

std::optional<int> HttpEngine::wait_container(const std::string& name)
{
  std::string body;
  bool found = unless_missing([&] {
    // No deadline: the answer comes when the container stops (libpod sends
    // even its head only then).
    auto call = m_client.open(make_wait_exit_request(root(), m_dialect.lifecycle, name),
                              fmt::format("wait for container {}", name), HeadWait::unbounded);
    body = call.connection->read_body_all(4096);
  });
  if (!found) {
    return std::nullopt;
  }
  return decode_wait_exit(body);
}

std::vector<ImageSummary> HttpEngine::list_images()
{
  return m_client.call_json(
    make_image_list_request(root(), m_dialect.lifecycle), "list images",
    [&](const nlohmann::json& doc) { return decode_image_list(doc, m_info.backend); });
}

std::optional<std::vector<std::string>> HttpEngine::remove_image(const std::string& name,
                                                                 bool force)
{
  std::string body;
  bool found = unless_missing([&] {
    body = m_client.call(make_image_remove_request(root(), name, force),
                         fmt::format("remove image {}", name));
  });
  if (!found) {
    return std::nullopt;
  }
  if (std::string error = decode_remove_report_error(body); !error.empty()) {
    fail(Errc::engine_error, "cannot remove image {}: {}", name, error);
  }
  return decode_image_remove_lines(body);
}

} // namespace crun::backends
