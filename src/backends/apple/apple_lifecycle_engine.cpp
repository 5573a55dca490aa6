// AppleEngine's lifecycle verbs (ps, stop, rm, logs, images, rmi) through
// the `container` CLI; `wait` is refused, since Apple has neither a wait nor
// an exit code (apple/container#1501).

#include "apple_engine_impl.hpp"

#include <crun/backends/apple/apple_errors.hpp>
#include <crun/backends/apple/apple_lifecycle.hpp>
#include <crun/core/error.hpp>
#include <crun/transport/pipe_stream.hpp>
#include <crun/transport/process.hpp>

#include <memory>

namespace crun::backends::apple {
namespace {

// The size of logs' read buffer: memory stays at it whatever the log's size.
constexpr std::size_t k_log_buffer_bytes = 64 * 1024;

nlohmann::json parse_list(const std::string& out, std::string_view what)
{
  auto doc = nlohmann::json::parse(out, nullptr, false);
  if (doc.is_discarded()) {
    fail(Errc::protocol, "`container {}` printed no JSON: {}", what, out.substr(0, 200));
  }
  return doc;
}

} // namespace

bool AppleEngine::run_unless_missing(const Args& args, const std::string& subject,
                                     std::string_view what)
{
  auto done = m_cli.run(args, what);
  if (done.status.code != 0 || done.status.signal != 0) {
    Error error = classify_failure(done.err, done.status.code,
                                   {std::string(what), subject, "", m_cli.executable()});
    if (error.code() == Errc::not_found) {
      return false;
    }
    throw error;
  }
  return true;
}

std::vector<ContainerSummary> AppleEngine::list_containers(const ContainerListOptions& options)
{
  auto done = m_cli.run(list_args(options.all), "list containers");
  if (done.status.code != 0 || done.status.signal != 0) {
    throw classify_failure(done.err, done.status.code,
                           {"list containers", "", "", m_cli.executable()});
  }
  // Apple's list has no filter: the labels are matched here.
  std::vector<ContainerSummary> rows;
  for (auto& row : decode_container_list(parse_list(done.out, "list"))) {
    if (labels_match(row.labels, options.label_filters)) {
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

bool AppleEngine::stop_container(const std::string& name, std::optional<int> timeout)
{
  return run_unless_missing(stop_args(name, timeout), name, fmt::format("stop container {}", name));
}

bool AppleEngine::remove_container(const std::string& name, const RemoveOptions& options)
{
  return run_unless_missing(delete_args(name, options), name,
                            fmt::format("delete container {}", name));
}

bool AppleEngine::container_logs(const std::string& name, const LogsOptions& options,
                                 const core::FrameSink& sink)
{
  Args args = logs_args(name, options);
  // `container logs` says little about a missing container beyond its exit
  // status, and its stderr goes straight to the user: ask first.
  if (!inspect_container(name)) {
    return false;
  }
  transport::ProcessSpec process;
  process.executable = m_cli.executable();
  process.argv = m_cli.argv(args);
  process.env = child_env(m_cli.env());
  process.out = transport::ChildStream::pipe();
  process.err = transport::ChildStream::inherit();
  auto started = transport::start_process(process);
  if (auto* failure = std::get_if<transport::StartFailure>(&started)) {
    fail(Errc::engine_unavailable, "cannot run Apple's container ({}): {}", m_cli.executable(),
         failure->str());
  }
  auto& child = std::get<transport::ChildProcess>(started);
  // Apple keeps one stdio log per container, stdout and stderr together:
  // it all arrives on the CLI's stdout (docs/backends.md).
  transport::PipeStream stream(transport::UniqueFd(), std::move(child.stdout_pipe()),
                               "container logs");
  std::unique_ptr<char[]> buffer(new char[k_log_buffer_bytes]);
  while (std::size_t n = stream.read_some(buffer.get(), k_log_buffer_bytes)) {
    sink(core::Stream::out, std::string_view(buffer.get(), n));
  }
  auto status = child.wait();
  if (status.code != 0 || status.signal != 0) {
    fail(Errc::engine_error, "cannot read the logs of container {}: `container logs` ended with {}",
         name, status.str());
  }
  return true;
}

std::optional<int> AppleEngine::wait_container(const std::string&)
{
  fail(Errc::usage, "the apple backend cannot wait for a container's exit code: Apple's "
                    "`container` has no wait and keeps no exit code (apple/container#1501)");
}

std::vector<ImageSummary> AppleEngine::list_images()
{
  auto done = m_cli.run(image_list_args(), "list images");
  if (done.status.code != 0 || done.status.signal != 0) {
    throw classify_failure(done.err, done.status.code, {"list images", "", "", m_cli.executable()});
  }
  return decode_image_list(parse_list(done.out, "image list"), native_platform());
}

std::optional<std::vector<std::string>> AppleEngine::remove_image(const std::string& name,
                                                                  bool force)
{
  Args args = image_delete_args(name, force);
  // `image delete` of a missing image says only "failed to delete one or
  // more images": ask first, as inspect does.
  auto found = inspect_json(image_inspect_args(name), name, fmt::format("inspect image {}", name));
  if (!found || (found->is_array() && found->empty())) {
    return std::nullopt;
  }
  if (!run_unless_missing(args, name, fmt::format("delete image {}", name))) {
    return std::nullopt;
  }
  return std::vector<std::string>{fmt::format("Untagged: {}", name)};
}

} // namespace crun::backends::apple
