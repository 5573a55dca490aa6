// `crun-any exec` over the Docker and Podman APIs: the builders and decoders
// of http_exec.hpp, and HttpEngine::exec, an ExecApi over them run through
// exec_sequence.
#include <crun/backends/http_exec.hpp>

#include <crun/backends/exec_sequence.hpp>
#include <crun/backends/http_api.hpp>
#include <crun/backends/http_engine.hpp>
#include <crun/backends/json_fields.hpp>
#include <crun/core/error.hpp>

#include <chrono>
#include <thread>

namespace crun::backends {

transport::HttpRequest make_exec_create_request(std::string_view root, const ExecSpec& spec)
{
  auto req =
    make_api_request("POST", root, fmt::format("/containers/{}/exec", path_name(spec.container)));
  nlohmann::json body = {
    {"AttachStdin", spec.interactive && !spec.detach},
    {"AttachStdout", !spec.detach},
    {"AttachStderr", !spec.detach},
    {"Tty", spec.tty},
    {"Cmd", spec.command},
  };
  if (!spec.env.empty()) {
    body["Env"] = spec.env;
  }
  if (!spec.user.empty()) {
    body["User"] = spec.user;
  }
  if (!spec.workdir.empty()) {
    body["WorkingDir"] = spec.workdir;
  }
  set_json_body(req, body);
  return req;
}

transport::HttpRequest make_exec_start_request(std::string_view root, std::string_view id,
                                               const ExecSpec& spec)
{
  auto req = make_api_request("POST", root, fmt::format("/exec/{}/start", path_name(id)));
  set_json_body(req, {{"Detach", spec.detach}, {"Tty", spec.tty}});
  if (!spec.detach) {
    ask_upgrade(req);
  }
  return req;
}

transport::HttpRequest make_exec_resize_request(std::string_view root, std::string_view id,
                                                unsigned rows, unsigned cols)
{
  return make_api_request("POST", root, fmt::format("/exec/{}/resize", path_name(id)),
                          {{"h", std::to_string(rows)}, {"w", std::to_string(cols)}});
}

transport::HttpRequest make_exec_inspect_request(std::string_view root, std::string_view id)
{
  return make_api_request("GET", root, fmt::format("/exec/{}/json", path_name(id)));
}

std::string decode_exec_create(const nlohmann::json& doc)
{
  if (!doc.is_object() || !doc.contains("Id") || !doc["Id"].is_string() ||
      doc["Id"].get<std::string>().empty()) {
    fail(Errc::protocol, "the exec's create answer has no Id: {}", doc.dump().substr(0, 200));
  }
  return doc["Id"].get<std::string>();
}

std::optional<int> decode_exec_exit_code(const nlohmann::json& doc)
{
  if (!doc.is_object()) {
    fail(Errc::protocol, "the exec's inspect answer is not a JSON object");
  }
  if (doc.contains("Running") && doc["Running"].is_boolean() && doc["Running"].get<bool>()) {
    return std::nullopt;
  }
  if (!doc.contains("ExitCode") || !doc["ExitCode"].is_number_integer()) {
    return std::nullopt;
  }
  return doc["ExitCode"].get<int>();
}

Error exec_create_error(const Error& error, std::string_view container, std::string_view cli)
{
  const std::string& message = error.message();
  if (error.code() == Errc::not_found) {
    return Error(Errc::not_found,
                 fmt::format("no such container: {} (`crun-any ps -a` lists them)", container));
  }
  if (message.find("is not running") != std::string::npos ||
      message.find("can only create exec sessions on running containers") != std::string::npos) {
    return Error(Errc::engine_error,
                 fmt::format("container {} is not running: start it first (`{} start {}`)",
                             container, cli, container));
  }
  return error;
}

namespace {

// How long the engine may take to report the exit code once the output has
// ended (Docker may still say Running for a moment).
constexpr std::chrono::seconds k_exit_code_wait{10};

class HttpExecApi : public ExecApi {
public:
  HttpExecApi(const ApiClient& client, std::string root, std::string cli,
              Errc (*classify)(std::string_view))
    : m_client(client), m_root(std::move(root)), m_cli(std::move(cli)), m_classify(classify)
  {
  }

  std::string create(const ExecSpec& spec) override
  {
    try {
      return m_client.call_json(make_exec_create_request(m_root, spec),
                                fmt::format("exec in container {}", spec.container),
                                decode_exec_create);
    } catch (const Error& error) {
      throw exec_create_error(error, spec.container, m_cli);
    }
  }

  std::unique_ptr<transport::ByteStream> start(const std::string& exec_id,
                                               const ExecSpec& spec) override
  {
    // The head within the call timeout; the stream then lasts as long as
    // the process runs.
    auto call = m_client.open(make_exec_start_request(m_root, exec_id, spec),
                              fmt::format("start the exec in container {}", spec.container));
    return call.connection->upgrade();
  }

  void start_detached(const std::string& exec_id, const ExecSpec& spec) override
  {
    m_client.call(make_exec_start_request(m_root, exec_id, spec),
                  fmt::format("start the exec in container {}", spec.container));
  }

  void resize(const std::string& exec_id, unsigned rows, unsigned cols) override
  {
    m_client.call(make_exec_resize_request(m_root, exec_id, rows, cols),
                  fmt::format("resize exec {}", exec_id));
  }

  int exit_code(const std::string& exec_id) override
  {
    auto deadline = std::chrono::steady_clock::now() + k_exit_code_wait;
    while (true) {
      auto code = m_client.call_json(make_exec_inspect_request(m_root, exec_id),
                                     fmt::format("read the exit code of exec {}", exec_id),
                                     decode_exec_exit_code);
      if (code) {
        return *code;
      }
      if (std::chrono::steady_clock::now() >= deadline) {
        fail(Errc::engine_error,
             "the engine at {} still reports exec {} running {} s after its output ended",
             m_client.endpoint().str(), exec_id, k_exit_code_wait.count());
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  Errc classify_start_error(std::string_view text) override { return m_classify(text); }

private:
  const ApiClient& m_client;
  std::string m_root;
  std::string m_cli;
  Errc (*m_classify)(std::string_view);
};

} // namespace

int HttpEngine::exec(const ExecSpec& spec, RunConsole& console)
{
  HttpExecApi api(m_client, m_dialect.root, m_info.backend, m_dialect.classify_start_error);
  return exec_sequence(api, spec, console);
}

} // namespace crun::backends
