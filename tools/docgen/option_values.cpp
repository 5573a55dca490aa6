#include <crun/docgen/option_values.hpp>

#include <crun/backends/run_spec.hpp>
#include <crun/cli/progress.hpp>

#include <CLI/CLI.hpp>

#include <string_view>

namespace crun::docgen {
namespace {

// Suggestions only: any os/arch[/variant] is accepted (core/platform.hpp).
constexpr std::string_view k_platforms[] = {
  "linux/amd64", "linux/arm64",   "linux/arm/v7", "linux/arm/v6",
  "linux/386",   "linux/ppc64le", "linux/s390x",  "linux/riscv64",
};

template <typename Range>
std::vector<std::string> strings(const Range& range)
{
  return {std::begin(range), std::end(range)};
}

// The set of a CLI11 IsMember check, from its description "{a,b,c}".
std::vector<std::string> member_values(CLI::Option& option)
{
  try {
    std::string description = option.get_validator()->get_description();
    if (description.size() < 2 || description.front() != '{' || description.back() != '}') {
      return {};
    }
    std::vector<std::string> values;
    std::string_view rest(description);
    rest = rest.substr(1, rest.size() - 2);
    while (!rest.empty()) {
      auto comma = rest.find(',');
      values.emplace_back(rest.substr(0, comma));
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
    return values;
  } catch (const CLI::OptionNotFound&) {
    return {}; // no check
  }
}

} // namespace

std::vector<std::string> option_values(CLI::Option& option)
{
  if (auto values = member_values(option); !values.empty()) {
    return values;
  }
  const auto& names = option.get_lnames();
  auto is = [&](std::string_view name) {
    return std::find(names.begin(), names.end(), name) != names.end();
  };
  if (is("progress")) {
    return strings(cli::progress_mode_names());
  }
  if (is("pull")) {
    return strings(backends::pull_policy_names());
  }
  if (is("platform")) {
    return strings(k_platforms);
  }
  if (is("format")) {
    return {"json"}; // list_output.hpp; the rest is a template
  }
  return {};
}

} // namespace crun::docgen
