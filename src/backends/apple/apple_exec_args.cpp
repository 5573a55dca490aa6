#include <crun/backends/apple/apple_exec_args.hpp>

namespace crun::backends::apple {

Args exec_args(const ExecSpec& spec, const std::string& env_file)
{
  Args args{"exec"};
  if (spec.detach) {
    args.emplace_back("-d");
  }
  if (spec.interactive) {
    args.emplace_back("-i");
  }
  if (spec.tty) {
    args.emplace_back("-t");
  }
  if (!env_file.empty() && !spec.env.empty() && env_file_text(spec.env)) {
    args.insert(args.end(), {"--env-file", env_file});
  } else {
    for (const auto& entry : spec.env) {
      args.insert(args.end(), {"-e", entry});
    }
  }
  if (!spec.user.empty()) {
    args.insert(args.end(), {"-u", spec.user});
  }
  if (!spec.workdir.empty()) {
    args.insert(args.end(), {"-w", spec.workdir});
  }
  args.emplace_back("--");
  args.push_back(spec.container);
  args.insert(args.end(), spec.command.begin(), spec.command.end());
  return args;
}

} // namespace crun::backends::apple
