// The bash completion (generated into build/share by crun-any-docgen) offers
// the images a bench engine holds: `crun-any run <TAB>` asks the real
// crun-any on PATH for `images`, with the --backend and --host typed before.

#include "support/bench_fixtures.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
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

INSTANTIATE_TEST_SUITE_P(Engines, Completion, crun::test::bench_engines(),
                         crun::test::backend_name);

} // namespace
