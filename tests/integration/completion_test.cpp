// The bash completion (generated into build/share by crun-any-docgen) offers
// the images a bench engine holds: `crun-any run <TAB>` asks the real
// crun-any on PATH for `images`, with the --backend and --host typed before.

#include "support/bench_fixtures.hpp"
#include "support/temp_dir.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

using ::testing::Contains;

class Completion : public crun::test::EngineTest {
protected:
  // The candidates of the generated bash completion for `line`.
  std::vector<std::string> bash_complete(const std::string& line) const
  {
    crun::test::ProcessOptions options;
    std::string bin_dir = std::filesystem::path(crun::test::crun_any_bin()).parent_path();
    options.env_set = {"PATH=" + bin_dir + ":/usr/bin:/bin", "NO_COLOR=1"};
    options.env_unset = crun::test::k_engine_variables;
    auto r = crun::test::run_process(
      {"bash", "--norc", "--noprofile", std::string(CRUN_DOCGEN_TEST_DIR) + "/complete.bash",
       std::string(CRUN_DOCGEN_SHARE) + "/completions/crun-any.bash", line},
      options);
    EXPECT_EQ(r.exit_code, 0) << r.describe();
    std::vector<std::string> lines;
    std::string rest = r.out;
    for (auto end = rest.find('\n'); end != std::string::npos; end = rest.find('\n')) {
      lines.push_back(rest.substr(0, end));
      rest.erase(0, end + 1);
    }
    return lines;
  }
};

TEST_P(Completion, BashOffersAnImageTheEngineHasForRun)
{
  auto pulled = crun({"pull", "-q", bench.image_small});
  ASSERT_EQ(pulled.exit_code, 0) << pulled.describe();
  std::string typed = "crun-any --backend " + backend() + " --host " + host() + " run ";
  EXPECT_THAT(bash_complete(typed), Contains(bench.image_small));
  // bash replaces only what follows the last ':' (COMP_WORDBREAKS) of
  // 127.0.0.1:5857/bench/small:1: the candidate is the tag.
  std::string image = bench.image_small;
  auto colon = image.rfind(':');
  EXPECT_THAT(bash_complete(typed + image.substr(0, colon + 1)), Contains(image.substr(colon + 1)));
  // Options after the image are the container's command's.
  EXPECT_THAT(bash_complete(typed + image + " --"), ::testing::IsEmpty());
}

std::string file_text(const std::string& path)
{
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// `crun-any completion SHELL` prints the script installed beside this
// binary, byte for byte: here the build tree's build/share/completions.
TEST(CompletionCommand, PrintsTheScriptGeneratedBesideTheBinary)
{
  const std::string dir = std::string(CRUN_DOCGEN_SHARE) + "/completions/";
  const std::pair<const char*, const char*> shells[] = {
    {"bash", "crun-any.bash"}, {"zsh", "_crun-any"}, {"fish", "crun-any.fish"}};
  for (const auto& [shell, file] : shells) {
    auto r = crun::test::run_crun_any({"completion", shell});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    std::string expected = file_text(dir + file);
    ASSERT_FALSE(expected.empty()) << dir + file;
    EXPECT_EQ(r.out, expected) << shell;
    EXPECT_EQ(r.err, "");
  }
}

TEST(CompletionCommand, AnUnknownShellIsAUsageErrorNamingIt)
{
  auto r = crun::test::run_crun_any({"completion", "tcsh"});
  EXPECT_EQ(r.exit_code, 2) << r.describe();
  EXPECT_NE(r.err.find("tcsh"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
}

// A binary with no scripts beside it says where it looked and how to fix it.
TEST(CompletionCommand, ABinaryWithoutItsScriptsSaysWhereItLooked)
{
  namespace fs = std::filesystem;
  crun::test::TempDir dir{"crun-completion"};
  const fs::path root = dir.path();
  fs::create_directories(root / "bin");
  fs::copy_file(crun::test::crun_any_bin(), root / "bin/crun-any");
  crun::test::ProcessOptions options;
  options.env_unset = crun::test::k_engine_variables;
  auto r =
    crun::test::run_process({(root / "bin/crun-any").string(), "completion", "bash"}, options);
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("no bash completion script is installed with this crun-any (looked for " +
                       (root / "share/bash-completion/completions/crun-any").string()),
            std::string::npos)
    << r.err;
  EXPECT_NE(r.err.find("cmake --install"), std::string::npos) << r.err;
}

INSTANTIATE_TEST_SUITE_P(Engines, Completion, crun::test::bench_engines(),
                         crun::test::backend_name);

} // namespace
