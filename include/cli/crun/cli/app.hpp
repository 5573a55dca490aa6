#pragma once

#include <crun/cli/command.hpp>

#include <string>
#include <vector>

namespace crun::cli {

/// Parses `args` (without the program name), runs the chosen command and
/// returns the process exit code. This is the one place where crun::Error is
/// caught, printed on `ctx.io.err` as "crun-any: error: ..." and mapped to
/// its exit code; usage errors exit 2 (125 for `run`). Before any command
/// runs, the policy is loaded (session.hpp): a policy that cannot be read
/// stops every command (exit 3, 125 for `run`), and a verb pull_only blocks
/// is refused the same way.
int run_cli(const std::vector<std::string>& args, const Env& env, Io io);

/// As above, with the engine reached through `engines` (unit tests of the
/// commands pass a recording fake; empty means open_engine()).
int run_cli(const std::vector<std::string>& args, const Env& env, Io io, EngineOpener engines);

/// The process entry point: snapshots the environment and the terminal state
/// of the standard streams, then calls run_cli().
int main(int argc, char** argv);

} // namespace crun::cli
