#pragma once
// Shared by the registry unit tests: fixtures, error capture, and fakes of
// the file and process seams.

#include "support/error_of.hpp"
#include "support/fake_files.hpp"

#include <crun/core/error.hpp>
#include <crun/registry/credential_helper.hpp>
#include <crun/transport/file_reader.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace crun::registry::test {

/// The bytes of tests/fixtures/registry/`name`.
inline std::string fixture(const std::string& name)
{
  std::string path = std::string(CRUN_TEST_FIXTURES) + "/registry/" + name;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << "missing fixture " << path;
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/// The value of header `name` (exact case, as curl wrote it) in the
/// fixture `name`.headers.
inline std::string fixture_header(const std::string& fixture_name, const std::string& name)
{
  std::istringstream lines(fixture(fixture_name + ".headers"));
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    if (line.starts_with(name + ": ")) {
      return line.substr(name.size() + 2);
    }
  }
  ADD_FAILURE() << "no " << name << " in " << fixture_name << ".headers";
  return {};
}

using crun::test::error_of;
using crun::test::FakeFiles;

/// A HelperRunner that records calls and answers with `answer`.
class FakeHelperRunner final : public HelperRunner {
public:
  struct Call {
    std::vector<std::string> argv;
    std::string input;
  };
  HelperResult run(const std::vector<std::string>& argv, std::string_view input) override
  {
    calls.push_back({argv, std::string(input)});
    return answer(argv, input);
  }
  std::function<HelperResult(const std::vector<std::string>&, std::string_view)> answer =
    [](const std::vector<std::string>&, std::string_view) {
      return HelperResult{1, "credentials not found in native keychain\n"};
    };
  std::vector<Call> calls;
};

} // namespace crun::registry::test
