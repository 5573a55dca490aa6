// Fake machines for backend selection: files, PATH, sockets, engines.
#pragma once

#include "support/fake_files.hpp"

#include <crun/backends/selection/host_lookup.hpp>
#include <crun/backends/selection/podman_service.hpp>
#include <crun/backends/selection/prober.hpp>
#include <crun/backends/selection/selection.hpp>
#include <crun/core/error.hpp>
#include <crun/transport/file_reader.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

namespace crun::backends::selection::testing {

using crun::test::FakeFiles;

class FakeHost final : public HostLookup {
public:
  std::optional<std::string> find_executable(std::string_view name) const override
  {
    auto it = executables.find(std::string(name));
    if (it == executables.end()) {
      return std::nullopt;
    }
    return it->second;
  }
  bool exists(const std::string& path) const override
  {
    return paths.count(path) > 0 || paths.count(canonical(path)) > 0;
  }
  std::string canonical(const std::string& path) const override
  {
    auto it = links.find(path);
    return it == links.end() ? path : it->second;
  }
  unsigned user_id() const override { return uid; }

  std::map<std::string, std::string> executables; ///< name -> path
  std::set<std::string> paths;                    ///< files that exist
  std::map<std::string, std::string> links;       ///< symlink -> target
  unsigned uid = 1000;
};

/// A ping answer like Docker's or Podman's.
inline ProbeResult docker_ping(std::string version = "27.3.1", std::string api = "1.47")
{
  return ProbeResult{ProbeResult::Kind::docker, std::move(api), "",
                     "Docker/" + std::move(version) + " (linux)"};
}
inline ProbeResult podman_ping(const std::string& version = "5.2.0")
{
  return ProbeResult{ProbeResult::Kind::podman, "1.41", version, "Libpod/" + version + " (linux)"};
}

/// What Apple's CLI says when its service runs.
inline apple::AppleStatus apple_status(const std::string& executable, std::string client = "1.2.2",
                                       std::string server = "1.2.2")
{
  return apple::AppleStatus{executable, std::move(client), std::move(server), true};
}

/// Engines by endpoint string ("unix:///x.sock"); anything else refuses.
/// CLIs by path (`clis`); an unknown one fails as a stopped Apple service.
class FakeProber final : public Prober {
public:
  struct Behaviour {
    std::optional<ProbeResult> answer{};
    Errc error = Errc::engine_unavailable;
    /// Answers nothing: fails as the socket deadlines do, after connecting
    /// and then waiting for the head each took all of `timeout`.
    bool silent = false;
    /// Waits, before answering, until every probe marked so has started:
    /// they all fail when they never run at the same time (after 10 s).
    bool together = false;
  };

  ProbeResult probe(const transport::Endpoint& endpoint,
                    std::chrono::milliseconds timeout) const override
  {
    ++m_running;
    struct Done {
      std::atomic<int>& running;
      ~Done() { --running; }
    } done{m_running};
    std::string key = endpoint.str();
    Behaviour behaviour;
    {
      std::lock_guard lock(m_mutex);
      m_probed.insert(key);
      auto it = engines.find(key);
      if (it != engines.end()) {
        behaviour = it->second;
      }
    }
    if (behaviour.together) {
      meet_the_others();
    }
    if (behaviour.silent) {
      std::this_thread::sleep_for(2 * timeout);
      fail(Errc::engine_unavailable, "the engine at {} did not answer GET /_ping within {} ms", key,
           timeout.count());
    }
    if (behaviour.answer) {
      return *behaviour.answer;
    }
    if (behaviour.error == Errc::protocol) {
      fail(Errc::protocol, "the server at {} answered /_ping without an Api-Version header", key);
    }
    fail(behaviour.error, "cannot connect to the engine at {}: connection refused", key);
  }

  struct CliBehaviour {
    std::optional<apple::AppleStatus> answer{};
    Errc error = Errc::engine_unavailable;
    std::string message{};
  };

  apple::AppleStatus probe_cli(const std::string& executable,
                               std::chrono::milliseconds /*timeout*/) const override
  {
    CliBehaviour behaviour;
    {
      std::lock_guard lock(m_mutex);
      m_probed.insert(executable);
      auto it = clis.find(executable);
      if (it != clis.end()) {
        behaviour = it->second;
      }
    }
    if (behaviour.answer) {
      return *behaviour.answer;
    }
    if (!behaviour.message.empty()) {
      fail(behaviour.error, "{}", behaviour.message);
    }
    fail(Errc::engine_unavailable,
         "the container service is not running ({}); start it with `container system start`",
         executable);
  }

  bool probed(const std::string& key) const
  {
    std::lock_guard lock(m_mutex);
    return m_probed.count(key) > 0;
  }

  /// The probes that are still running. Never fails.
  int running() const { return m_running.load(); }

  std::map<std::string, Behaviour> engines;
  std::map<std::string, CliBehaviour> clis;

private:
  void meet_the_others() const
  {
    std::unique_lock lock(m_mutex);
    std::size_t expected = 0;
    for (const auto& [key, behaviour] : engines) {
      expected += behaviour.together ? 1 : 0;
    }
    ++m_arrived;
    m_all_arrived.notify_all();
    if (!m_all_arrived.wait_for(lock, std::chrono::seconds(10),
                                [&] { return m_arrived >= expected; })) {
      fail(Errc::internal, "probed one after the other: {} of {} probes ran at once", m_arrived,
           expected);
    }
  }

  mutable std::mutex m_mutex;
  mutable std::condition_variable m_all_arrived;
  mutable std::size_t m_arrived = 0;
  mutable std::set<std::string> m_probed;
  mutable std::atomic<int> m_running{0};
};

class FakeStarter final : public PodmanServiceStarter {
public:
  ProbeResult start(const PodmanServicePlan& plan) override
  {
    ++calls;
    last_plan = plan;
    if (failure) {
      throw *failure;
    }
    return podman_ping("4.3.1");
  }
  int calls = 0;
  PodmanServicePlan last_plan{};
  std::optional<Error> failure{};
};

/// A Linux user's machine where nothing is found yet (HOME and
/// XDG_RUNTIME_DIR set), for the tests to furnish.
class FakeMachineTest : public ::testing::Test {
protected:
  FakeMachineTest()
  {
    env.set("HOME", "/home/me");
    env.set("XDG_RUNTIME_DIR", "/run/user/1000");
  }

  /// An engine behaving as `behaviour` at the unix socket `path`.
  void engine(const std::string& path, FakeProber::Behaviour behaviour)
  {
    host.paths.insert(path);
    prober->engines["unix://" + path] = std::move(behaviour);
  }

  Env env;
  FakeFiles files;
  FakeHost host;
  std::shared_ptr<FakeProber> prober = std::make_shared<FakeProber>();
};

} // namespace crun::backends::selection::testing
