#include "apple_engine_impl.hpp"

#include <crun/backends/apple/apple_decode.hpp>
#include <crun/backends/apple/apple_errors.hpp>
#include <crun/core/error.hpp>
#include <crun/registry/registry_host.hpp>

namespace crun::backends::apple {
namespace {

struct Probed {
  AppleVersion version;
  ServiceStatus status;
};

AppleVersion read_version(const AppleCli& cli)
{
  auto done = cli.run({"--version"}, "report its version");
  if (done.status.code != 0 || done.status.signal != 0) {
    fail(Errc::engine_unavailable, "`{} --version` failed ({}): {}", cli.executable(),
         done.status.str(), first_error_line(done.err));
  }
  auto version = parse_apple_version(done.out);
  if (!version) {
    fail(Errc::protocol, "`{} --version` printed no version: {}", cli.executable(),
         first_error_line(done.out));
  }
  require_supported(*version, cli.executable());
  return *version;
}

ServiceStatus read_status(const AppleCli& cli, const AppleVersion& version)
{
  auto done = cli.run(status_args(version), "report its service's status");
  if (!status_has_format(version)) {
    return parse_status_text(done.out + done.err, done.status.code);
  }
  try {
    return parse_status_json(done.out);
  } catch (const Error&) {
    if (done.status.code == 0) {
      throw;
    }
    // Not the JSON of a stopped service: the CLI failed on its own.
    throw classify_failure(done.err, done.status.code,
                           {"read the service's status", "", "", cli.executable()});
  }
}

Probed probe(const AppleCli& cli)
{
  Probed probed{read_version(cli), {}};
  probed.status = read_status(cli, probed.version);
  if (!probed.status.running()) {
    fail(Errc::engine_unavailable,
         "Apple's container service is {} ({} {}): start it with `container system start`",
         probed.status.status, cli.executable(), probed.version.str());
  }
  const std::string& server = probed.status.server_version;
  if (!server.empty() && server != probed.version.str()) {
    fail(Errc::engine_error,
         "Apple's container CLI is {} but its running service is {} (an upgrade leaves the old "
         "service running): restart it with `container system stop && container system start`",
         probed.version.str(), server);
  }
  return probed;
}

} // namespace

AppleStatus probe_apple(const std::string& executable, const Env& env,
                        std::chrono::milliseconds timeout)
{
  Probed probed = probe(AppleCli(executable, env, timeout));
  return AppleStatus{executable, probed.version.str(), probed.status.server_version, true,
                     probed.status.host_architecture};
}

std::unique_ptr<Engine> connect_apple(const std::string& executable, const Env& env,
                                      std::chrono::milliseconds timeout)
{
  AppleCli cli(executable, env, timeout);
  Probed probed = probe(cli);
  return std::make_unique<AppleEngine>(std::move(cli), probed.version, std::move(probed.status));
}

std::unique_ptr<Engine> connect_apple(const AppleStatus& probed, const Env& env,
                                      std::chrono::milliseconds timeout)
{
  auto version = parse_apple_version(probed.client_version);
  if (!version) {
    fail(Errc::protocol, "Apple's container CLI at {} gave no version (\"{}\")", probed.executable,
         probed.client_version);
  }
  ServiceStatus status;
  status.status = probed.running ? "running" : "not running";
  status.server_version = probed.server_version;
  status.host_architecture = probed.host_architecture;
  return std::make_unique<AppleEngine>(AppleCli(probed.executable, env, timeout), *version,
                                       std::move(status));
}

AppleEngine::AppleEngine(AppleCli cli, AppleVersion version, ServiceStatus status)
  : m_cli(std::move(cli)), m_version(version), m_status(std::move(status))
{
  m_info.backend = "apple";
  m_info.endpoint = m_cli.executable();
  m_info.version = m_version.str();
}

core::Platform AppleEngine::native_platform()
{
  // Apple's `container` runs on Apple silicon only; 1.4.1 says so itself.
  std::string arch = m_status.host_architecture.empty() ? "arm64" : m_status.host_architecture;
  return core::Platform{"linux", arch, ""}.normalized();
}

void AppleEngine::pull(const core::ImageRef& ref, const core::Platform& platform, PullSink& sink,
                       const std::optional<registry::Credentials>& credentials)
{
  std::string host = registry::registry_host(ref);
  sink.on_event(core::PullEvent{core::PullEvent::Kind::status, "", "", 0, 0,
                                fmt::format("Pulling {} for {}", ref.str(), platform.str())});
  auto done =
    m_cli.run(pull_args(m_version, ref, platform), child_env(m_cli.env(), credentials, host),
              k_pull_timeout, fmt::format("pull {}", ref.str()));
  if (done.status.code != 0 || done.status.signal != 0) {
    std::vector<std::string> secrets;
    if (credentials) {
      secrets = {credentials->password, credentials->identity_token};
    }
    throw classify_failure(done.err, done.status.code,
                           {fmt::format("pull {} for {}", ref.str(), platform.str()), ref.str(),
                            platform.str(), m_cli.executable()},
                           secrets);
  }
  sink.on_event(core::PullEvent{core::PullEvent::Kind::status, "", "", 0, 0,
                                fmt::format("Pulled {}", ref.str())});
}

void AppleEngine::tag(const std::string& source, const core::ImageRef& target)
{
  auto done = m_cli.run(image_tag_args(source, target), fmt::format("tag {}", source));
  if (done.status.code != 0 || done.status.signal != 0) {
    throw classify_failure(
      done.err, done.status.code,
      {fmt::format("tag {} as {}", source, target.str()), source, "", m_cli.executable()});
  }
}

std::optional<nlohmann::json> AppleEngine::inspect_json(const Args& args,
                                                        const std::string& subject,
                                                        std::string_view what)
{
  auto done = m_cli.run(args, what);
  if (done.status.code != 0 || done.status.signal != 0) {
    Error error = classify_failure(done.err, done.status.code,
                                   {std::string(what), subject, "", m_cli.executable()});
    if (error.code() == Errc::not_found) {
      return std::nullopt;
    }
    throw error;
  }
  auto doc = nlohmann::json::parse(done.out, nullptr, false);
  if (doc.is_discarded()) {
    fail(Errc::protocol, "`container {}` printed no JSON: {}", args.front(),
         done.out.substr(0, 200));
  }
  return doc;
}

std::optional<ImageInfo> AppleEngine::inspect_image(const std::string& name)
{
  auto doc = inspect_json(image_inspect_args(name), name, fmt::format("inspect image {}", name));
  if (!doc) {
    return std::nullopt;
  }
  return decode_image(*doc, name, native_platform());
}

bool AppleEngine::has_local_image(const std::string& name, const core::Platform& platform)
{
  auto doc = inspect_json(image_inspect_args(name), name, fmt::format("inspect image {}", name));
  if (!doc || doc->empty() || !doc->is_array()) {
    return false;
  }
  for (const auto& stored : image_platforms(doc->front())) {
    if (stored.matches(platform)) {
      return true;
    }
  }
  return false;
}

std::optional<ContainerInfo> AppleEngine::inspect_container(const std::string& name)
{
  auto doc = inspect_json(inspect_args(name), name, fmt::format("inspect container {}", name));
  if (!doc) {
    return std::nullopt;
  }
  return decode_container(*doc);
}

void AppleEngine::remove_container(const std::string& id)
{
  auto done = m_cli.run(delete_force_args(id), fmt::format("delete container {}", id));
  if (done.status.code != 0 || done.status.signal != 0) {
    Error error =
      classify_failure(done.err, done.status.code,
                       {fmt::format("delete container {}", id), id, "", m_cli.executable()});
    if (error.code() != Errc::not_found) {
      throw error;
    }
  }
}

void AppleEngine::kill_container(const std::string& id, std::optional<std::string> signal) noexcept
{
  try {
    m_cli.run(kill_args(id, std::move(signal)), fmt::format("signal container {}", id));
  } catch (const Error&) {
    // It may have ended meanwhile; the run's own end reports what happened.
  } catch (const std::exception&) {
    // Only allocation can fail here; nothing to signal then.
  }
}

} // namespace crun::backends::apple
