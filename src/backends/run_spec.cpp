#include <crun/backends/run_spec.hpp>

#include <crun/core/error.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <filesystem>

namespace crun::backends {
namespace {

struct PullPolicyName {
  PullPolicy policy;
  std::string_view name;
};

constexpr std::array<PullPolicyName, 3> k_pull_policies{{
  {PullPolicy::always, "always"},
  {PullPolicy::missing, "missing"},
  {PullPolicy::never, "never"},
}};

std::vector<std::string_view> split(std::string_view text, char sep)
{
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    std::size_t pos = text.find(sep, start);
    parts.push_back(text.substr(start, pos == std::string_view::npos ? pos : pos - start));
    if (pos == std::string_view::npos) {
      return parts;
    }
    start = pos + 1;
  }
}

bool valid_port(std::string_view text)
{
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size() && value >= 1 && value <= 65535;
}

bool valid_port_or_range(std::string_view text)
{
  auto dash = text.find('-');
  if (dash == std::string_view::npos) {
    return valid_port(text);
  }
  return valid_port(text.substr(0, dash)) && valid_port(text.substr(dash + 1));
}

} // namespace

bool MountSpec::read_only() const
{
  return std::find(options.begin(), options.end(), "ro") != options.end();
}

PullPolicy parse_pull_policy(std::string_view text)
{
  for (const auto& entry : k_pull_policies) {
    if (text == entry.name) {
      return entry.policy;
    }
  }
  fail(Errc::usage, "invalid --pull value \"{}\": use always, missing or never", text);
}

std::vector<std::string_view> pull_policy_names()
{
  std::vector<std::string_view> names;
  names.reserve(k_pull_policies.size());
  for (const auto& entry : k_pull_policies) {
    names.push_back(entry.name);
  }
  return names;
}

PortSpec parse_port_spec(std::string_view text)
{
  PortSpec spec;
  std::string_view rest = text;
  auto slash = rest.rfind('/');
  if (slash != std::string_view::npos) {
    spec.protocol = std::string(rest.substr(slash + 1));
    rest = rest.substr(0, slash);
    if (spec.protocol != "tcp" && spec.protocol != "udp" && spec.protocol != "sctp") {
      fail(Errc::usage, "invalid port \"{}\": protocol must be tcp, udp or sctp", text);
    }
  }
  // An IPv6 host address comes in brackets: [::1]:8080:80.
  if (rest.starts_with("[")) {
    auto close = rest.find(']');
    if (close == std::string_view::npos || close + 1 >= rest.size() || rest[close + 1] != ':') {
      fail(Errc::usage, "invalid port \"{}\": expected [ip]:host_port:container_port", text);
    }
    spec.host_ip = std::string(rest.substr(1, close - 1));
    rest = rest.substr(close + 2);
    auto parts = split(rest, ':');
    if (parts.size() != 2) {
      fail(Errc::usage, "invalid port \"{}\": expected [ip]:host_port:container_port", text);
    }
    spec.host_port = std::string(parts[0]);
    spec.container_port = std::string(parts[1]);
  } else {
    auto parts = split(rest, ':');
    if (parts.size() == 1) {
      spec.container_port = std::string(parts[0]);
    } else if (parts.size() == 2) {
      spec.host_port = std::string(parts[0]);
      spec.container_port = std::string(parts[1]);
    } else if (parts.size() == 3) {
      spec.host_ip = std::string(parts[0]);
      spec.host_port = std::string(parts[1]);
      spec.container_port = std::string(parts[2]);
    } else {
      fail(Errc::usage, "invalid port \"{}\": expected [ip:][host_port:]container_port[/protocol]",
           text);
    }
  }
  if (!valid_port_or_range(spec.container_port)) {
    fail(Errc::usage, "invalid port \"{}\": container port \"{}\" is not a port (1-65535) or range",
         text, spec.container_port);
  }
  if (!spec.host_port.empty() && !valid_port_or_range(spec.host_port)) {
    fail(Errc::usage, "invalid port \"{}\": host port \"{}\" is not a port (1-65535) or range",
         text, spec.host_port);
  }
  return spec;
}

MountSpec parse_mount_spec(std::string_view text, std::string_view cwd)
{
  auto parts = split(text, ':');
  // A host path with ':' in it splits into more fields than -v has: a field
  // after the second that starts with '/' is no option, so the container
  // path comes later than the second field and the host path holds a ':'.
  if (parts.size() > 2 && (parts[0].starts_with('/') || parts[0].starts_with('.'))) {
    auto target = std::find_if(parts.rbegin(), parts.rend() - 2,
                               [](std::string_view part) { return part.starts_with('/'); });
    if (target != parts.rend() - 2) {
      auto length = static_cast<std::size_t>(target->data() - text.data()) - 1;
      std::string host(text.substr(0, length));
      std::string absolute = host.front() == '/'
                               ? host
                               : (std::filesystem::path(cwd) / host).lexically_normal().string();
      fail(Errc::usage,
           "invalid volume \"{}\": the host path \"{}\" contains ':', which -v cannot express "
           "(it separates source, target and options); use --mount "
           "type=bind,source={},target=/path/in/container instead",
           text, host, absolute);
    }
  }
  MountSpec spec;
  if (parts.size() == 1) {
    spec.target = std::string(parts[0]);
  } else if (parts.size() == 2 || parts.size() == 3) {
    spec.source = std::string(parts[0]);
    spec.target = std::string(parts[1]);
    if (parts.size() == 3) {
      for (auto option : split(parts[2], ',')) {
        if (option.empty()) {
          fail(Errc::usage, "invalid volume \"{}\": empty option", text);
        }
        spec.options.emplace_back(option);
      }
    }
    if (spec.source.empty()) {
      fail(Errc::usage, "invalid volume \"{}\": empty source", text);
    }
  } else {
    fail(Errc::usage, "invalid volume \"{}\": expected source:target[:options] or /target", text);
  }
  if (spec.target.empty() || spec.target.front() != '/') {
    fail(Errc::usage, "invalid volume \"{}\": the container path must be absolute", text);
  }
  // As the docker CLI (23 and later) and Podman: a source starting with '.'
  // ("." "./x" "../x" ".x") is a host path, made absolute; a bare word is a
  // named volume. Anything else with a '/' ("data/x") the engines refuse as
  // a volume name: so does crun-any, with the fix.
  if (!spec.source.empty() && spec.source.front() == '.') {
    auto path = (std::filesystem::path(cwd) / spec.source).lexically_normal().string();
    if (path.size() > 1 && path.ends_with('/')) {
      path.pop_back();
    }
    spec.source = path;
  } else if (!spec.source.empty() && spec.source.front() != '/' &&
             spec.source.find('/') != std::string::npos) {
    // A '~' no shell expanded (quoted, or after --volume=) is the home's.
    std::string fix =
      spec.source.starts_with("~/") ? "$HOME" + spec.source.substr(1) : "./" + spec.source;
    fail(Errc::usage,
         "invalid volume \"{}\": the source \"{}\" is neither a host path nor a volume name; "
         "use an absolute path or {} for a host directory",
         text, spec.source, fix);
  }
  return spec;
}

std::pair<std::string, std::string> parse_label(std::string_view text)
{
  auto eq = text.find('=');
  std::string key(text.substr(0, eq));
  if (key.empty()) {
    fail(Errc::usage, "invalid label \"{}\": empty name", text);
  }
  return {key, eq == std::string_view::npos ? std::string() : std::string(text.substr(eq + 1))};
}

std::optional<std::string> resolve_env_arg(std::string_view text, const Env& host)
{
  auto eq = text.find('=');
  if (eq == 0 || text.empty()) {
    fail(Errc::usage, "invalid environment variable \"{}\": empty name", text);
  }
  if (eq != std::string_view::npos) {
    return std::string(text);
  }
  // A bare name is copied from crun-any's own environment, as docker does.
  auto it = host.vars().find(text);
  if (it == host.vars().end()) {
    return std::nullopt;
  }
  return std::string(text) + "=" + it->second;
}

std::vector<std::string> parse_env_file(std::string_view content, std::string_view file,
                                        const Env& host)
{
  std::vector<std::string> out;
  std::size_t number = 0;
  for (auto line : split(content, '\n')) {
    ++number;
    if (line.size() > k_env_file_max_line) {
      // The docker CLI reads env files with a 64 KiB line buffer and
      // refuses a longer line; so does crun-any, rather than send it.
      fail(Errc::usage, "invalid env file {} line {}: longer than 64 KiB ({} bytes)", file, number,
           line.size());
    }
    if (line.ends_with('\r')) {
      line.remove_suffix(1);
    }
    auto first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos || line[first] == '#') {
      continue;
    }
    line = line.substr(first);
    auto eq = line.find('=');
    std::string_view name = line.substr(0, eq);
    if (name.empty() || name.find_first_of(" \t") != std::string_view::npos) {
      fail(Errc::usage, "invalid env file {} line {}: \"{}\" is not NAME=VALUE", file, number,
           line);
    }
    if (auto value = resolve_env_arg(line, host)) {
      out.push_back(*value);
    }
  }
  return out;
}

} // namespace crun::backends
