#pragma once

#include <crun/cli/command.hpp>

#include <string>
#include <vector>

namespace crun::cli {

/// Parses `args` (without the program name), runs the chosen command and
/// returns the process exit code. This is the one place where crun::Error is
/// caught, printed on `ctx.io.err` as "crun-any: error: ..." and mapped to
/// its exit code; usage errors exit 2 (125 for `run`).
int run_cli(const std::vector<std::string>& args, const Env& env, Io io);

/// The process entry point: snapshots the environment and the terminal state
/// of the standard streams, then calls run_cli().
int main(int argc, char** argv);

} // namespace crun::cli
