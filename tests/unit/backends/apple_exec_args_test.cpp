// The argument vector of `container exec`: every ExecSpec field reaches it,
// and the `--` keeps the command's words its own.
#include <crun/backends/apple/apple_exec_args.hpp>

#include <gtest/gtest.h>

namespace crun::backends::apple {
namespace {

TEST(AppleExecArgs, EveryOptionBeforeTheDashesThenTheIdAndTheCommand)
{
  ExecSpec spec;
  spec.container = "web";
  spec.command = {"sh", "-c", "echo $A", "--", "-i"};
  spec.env = {"A=1", "B=two words"};
  spec.user = "1234:5";
  spec.workdir = "/tmp";
  spec.interactive = true;
  spec.tty = true;
  spec.detach = true;
  EXPECT_EQ(exec_args(spec),
            (Args{"exec", "-d", "-i", "-t", "-e", "A=1", "-e", "B=two words", "-u", "1234:5", "-w",
                  "/tmp", "--", "web", "sh", "-c", "echo $A", "--", "-i"}));
}

TEST(AppleExecArgs, TheEnvironmentGoesInTheFileWhenThereIsOne)
{
  ExecSpec spec;
  spec.container = "web";
  spec.command = {"env"};
  spec.env = {"SECRET=x"};
  EXPECT_EQ(exec_args(spec, "/tmp/d/env"),
            (Args{"exec", "--env-file", "/tmp/d/env", "--", "web", "env"}));
  // A line break cannot go in a file: -e words then.
  spec.env = {"A=line\nbreak"};
  EXPECT_EQ(exec_args(spec, "/tmp/d/env"),
            (Args{"exec", "-e", "A=line\nbreak", "--", "web", "env"}));
  spec.env.clear();
  EXPECT_EQ(exec_args(spec, "/tmp/d/env"), (Args{"exec", "--", "web", "env"}));
}

} // namespace
} // namespace crun::backends::apple
