// Selection of the apple backend through the real binary, on Linux: Apple's
// `container` is found through PATH (a stand-in there), or is absent; a CLI
// that does not say its service runs leaves nothing usable (exit 4, 125 for
// run) with the fix `container system start`; --host with it is a usage
// error. Needs no bench: nothing here reaches an engine. What the adapter
// does with a working stand-in is the Apple suite's to prove.
#include "support/bench_fixtures.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/stat.h>

#include <fstream>

namespace {

using crun::test::ProcessOptions;
using crun::test::ProcessResult;
using crun::test::run_crun_any;
using json = nlohmann::json;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

class AppleSelection : public ::testing::Test {
protected:
  void SetUp() override
  {
    if (::access("/usr/local/bin/container", F_OK) == 0) {
      GTEST_SKIP() << "/usr/local/bin/container exists: the machine has an Apple CLI";
    }
  }

  // crun-any with a private HOME and PATH = `path` only (plus /usr/bin:/bin,
  // which have no `container`), no engine variables, plus `extra`.
  ProcessResult crun(const std::vector<std::string>& args, const std::string& path,
                     std::vector<std::string> extra = {})
  {
    ProcessOptions options;
    options.env_unset = crun::test::k_engine_variables;
    options.env_set = {"HOME=" + temp.sub("home"), "XDG_RUNTIME_DIR=" + temp.sub("rt"),
                       "PATH=" + path + ":/usr/bin:/bin", "NO_COLOR=1"};
    options.env_set.insert(options.env_set.end(), extra.begin(), extra.end());
    options.timeout = 60s;
    return run_crun_any(args, options);
  }

  // A `container` in its own directory that answers nothing useful.
  std::string stand_in_dir()
  {
    std::string dir = temp.sub("bin");
    std::string path = dir + "/container";
    std::ofstream(path) << "#!/bin/sh\necho 'Error: XPC connection error: Connection invalid' "
                           ">&2\nexit 1\n";
    ::chmod(path.c_str(), 0755);
    return dir;
  }

  crun::test::TempDir temp{"capl"};
};

TEST_F(AppleSelection, WithoutTheCliTheCandidateIsAbsentWithTheInstallLink)
{
  std::string empty = temp.sub("empty");
  auto r = crun({"doctor", "--json"}, empty, {"CRUN_ANY_BACKEND=apple"});
  EXPECT_EQ(r.exit_code, 4) << r.describe();
  json doc = json::parse(r.out, nullptr, false);
  ASSERT_FALSE(doc.is_discarded()) << r.describe();
  ASSERT_EQ(doc.at("candidates").size(), 1U) << doc.dump(2);
  const json& apple = doc.at("candidates").at(0);
  EXPECT_EQ(apple.at("origin"), "apple");
  EXPECT_EQ(apple.at("health"), "absent");
  EXPECT_THAT(apple.at("fix").get<std::string>(),
              HasSubstr("https://github.com/apple/container/releases"));

  auto pull = crun({"--backend", "apple", "pull", "alpine"}, empty);
  EXPECT_EQ(pull.exit_code, 4) << pull.describe();
  EXPECT_THAT(pull.err, HasSubstr("no `container` on PATH"));
}

TEST_F(AppleSelection, TheCliOnPathIsTheCandidateAndADownServiceIsExit4Or125)
{
  std::string dir = stand_in_dir();
  auto r = crun({"--backend", "apple", "doctor", "--json"}, dir);
  EXPECT_EQ(r.exit_code, 4) << r.describe();
  json doc = json::parse(r.out, nullptr, false);
  ASSERT_FALSE(doc.is_discarded()) << r.describe();
  ASSERT_EQ(doc.at("candidates").size(), 1U) << doc.dump(2);
  const json& apple = doc.at("candidates").at(0);
  EXPECT_EQ(apple.at("endpoint"), dir + "/container");
  EXPECT_EQ(apple.at("expected"), "apple");
  EXPECT_NE(apple.at("health"), "absent");
  EXPECT_NE(apple.at("health"), "healthy");

  auto text = crun({"--backend", "apple", "doctor"}, dir);
  EXPECT_THAT(text.out, HasSubstr("cli:      " + dir + "/container"));

  auto inspect = crun({"--backend", "apple", "inspect", "alpine"}, dir);
  EXPECT_EQ(inspect.exit_code, 4) << inspect.describe();
  auto run = crun({"--backend", "apple", "run", "--rm", "alpine", "true"}, dir);
  EXPECT_EQ(run.exit_code, 125) << run.describe();
  EXPECT_THAT(run.err, HasSubstr(dir + "/container"));
}

TEST_F(AppleSelection, HostWithTheAppleBackendIsAUsageError)
{
  auto r =
    crun({"--backend", "apple", "--host", "unix:///tmp/x.sock", "pull", "alpine"}, stand_in_dir());
  EXPECT_EQ(r.exit_code, 2) << r.describe();
  EXPECT_THAT(r.err, HasSubstr("--host unix:///tmp/x.sock"));
  EXPECT_THAT(r.err, HasSubstr("apple backend (from --backend)"));
}

} // namespace
