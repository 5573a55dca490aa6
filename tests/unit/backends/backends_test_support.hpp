#pragma once
// Shared by the backends' unit tests: the captured engine answers
// (tests/fixtures/*/README.md say how each was captured), and for the
// adapters' tests over the fake HTTP server a console and a pull sink that
// record what reaches the user, and readers of the requests the engine sent.

#include "support/fake_http_server.hpp"

#include <crun/backends/engine.hpp>
#include <crun/backends/run_sequence.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <functional>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace crun::test {

/// The bytes of tests/fixtures/`path` ("docker/create.json"); a test failure
/// and "" when it is missing.
inline std::string fixture(const std::string& path)
{
  std::ifstream in(std::string(CRUN_TEST_FIXTURES) + "/" + path, std::ios::binary);
  EXPECT_TRUE(in) << path;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

inline nlohmann::json json_fixture(const std::string& path)
{
  return nlohmann::json::parse(fixture(path));
}

/// A console with no terminal and no streams: it records the lines warned,
/// reports `size` as the terminal's, and calls `on_start_io` when the
/// container's streams would start moving (after create, attach and wait,
/// before start), with the signal handler the run registered.
class RecordingConsole : public backends::RunConsole {
public:
  using SignalHandler = std::function<std::optional<std::chrono::milliseconds>(int)>;

  std::vector<std::string> warnings;
  std::vector<std::string> printed_ids;
  std::optional<backends::TerminalSize> size;
  std::function<void(const SignalHandler&)> on_start_io = [](const SignalHandler&) {};

  void print_id(const std::string& id) override { printed_ids.push_back(id); }
  void start_io(transport::ByteStream&, bool, bool) override { on_start_io(m_handler); }
  void finish_output() override {}
  void stop_io() override {}
  void enter_raw_mode() override {}
  std::optional<backends::TerminalSize> terminal_size() override { return size; }
  void watch_signals(SignalHandler handler) override { m_handler = std::move(handler); }
  void exit_now(int) override {}
  void warn(const std::string& line) override { warnings.push_back(line); }

private:
  SignalHandler m_handler;
};

/// A pull sink that keeps every event.
class RecordingSink : public backends::PullSink {
public:
  void on_event(const core::PullEvent& event) override { events.push_back(event); }
  std::vector<core::PullEvent> events;
};

/// "METHOD /path" of each of `requests`, but those to `skipped` paths.
inline std::vector<std::string> calls_of(const std::vector<FakeRequest>& requests,
                                         const std::set<std::string>& skipped)
{
  std::vector<std::string> out;
  for (const auto& request : requests) {
    if (!skipped.count(request.path)) {
      out.push_back(request.method + " " + request.path);
    }
  }
  return out;
}

/// The first of `requests` with `method` and `path`.
inline std::optional<FakeRequest> find_request(const std::vector<FakeRequest>& requests,
                                               const std::string& method, const std::string& path)
{
  for (const auto& request : requests) {
    if (request.method == method && request.path == path) {
      return request;
    }
  }
  return std::nullopt;
}

} // namespace crun::test
