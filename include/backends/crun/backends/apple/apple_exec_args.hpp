#pragma once
// The argument vector of `container exec` (argv[0] excluded), pure, as
// apple_args.hpp builds run's.

#include <crun/backends/apple/apple_args.hpp>
#include <crun/backends/exec_spec.hpp>

#include <string>

namespace crun::backends::apple {

/// `exec [-d] [-i] [-t] [--env-file F | -e K=V...] [-u U] [-w D] -- ID CMD...`
/// (ContainerExec.swift: Flags.Process, -d; the ID and the command are
/// positionals, the `--` keeping every later word the process's). With
/// `env_file` (holding env_file_text(spec.env)) the environment goes in that
/// file rather than in words every user can read in the process table.
/// Never fails.
Args exec_args(const ExecSpec& spec, const std::string& env_file = {});

} // namespace crun::backends::apple
