#include <crun/backends/run_options.hpp>

#include <crun/core/error.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>

namespace crun::backends {
namespace {

std::string lower(std::string_view text)
{
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::optional<std::int64_t> to_int(std::string_view text)
{
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

bool valid_port_number(std::string_view text, int& out)
{
  auto value = to_int(text);
  if (!value || *value < 1 || *value > 65535) {
    return false;
  }
  out = static_cast<int>(*value);
  return true;
}

bool is_ipv4(std::string_view text)
{
  int parts = 0;
  std::size_t start = 0;
  while (true) {
    auto dot = text.find('.', start);
    auto part = text.substr(start, dot == std::string_view::npos ? dot : dot - start);
    auto value = to_int(part);
    if (!value || *value < 0 || *value > 255 || part.size() > 3) {
      return false;
    }
    ++parts;
    if (dot == std::string_view::npos) {
      return parts == 4;
    }
    start = dot + 1;
  }
}

bool is_ipv6(std::string_view text)
{
  // A loose check (hex digits, ':' and at least two of them, an optional
  // dotted IPv4 tail): the engine validates the rest.
  if (std::count(text.begin(), text.end(), ':') < 2) {
    return false;
  }
  return std::all_of(text.begin(), text.end(), [](char c) {
    return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.';
  });
}

bool is_absolute(std::string_view path)
{
  return !path.empty() && path.front() == '/';
}

// "true"/"1"/"" -> true, "false"/"0" -> false (docker's mount booleans).
std::optional<bool> mount_bool(std::string_view value)
{
  auto v = lower(value);
  if (v.empty() || v == "true" || v == "1") {
    return true;
  }
  if (v == "false" || v == "0") {
    return false;
  }
  return std::nullopt;
}

} // namespace

std::int64_t parse_memory_size(std::string_view option, std::string_view text)
{
  auto bad = [&] {
    fail(Errc::usage,
         "invalid {} \"{}\": expected a positive size such as 512m or 1g (units b, k, m, g, t, p)",
         option, text);
  };
  std::size_t i = 0;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) {
    ++i;
  }
  std::string number(text.substr(0, i));
  std::string unit = lower(text.substr(i));
  if (!unit.empty() && unit.front() == ' ') {
    unit.erase(0, 1);
  }
  if (number.empty() || std::count(number.begin(), number.end(), '.') > 1 ||
      number.front() == '.' || number.back() == '.') {
    bad();
  }
  double scale = 1;
  if (!unit.empty()) {
    static constexpr std::array<char, 6> k_units = {'b', 'k', 'm', 'g', 't', 'p'};
    auto at = std::find(k_units.begin(), k_units.end(), unit.front());
    std::string rest = unit.substr(1);
    if (at == k_units.end() || !(rest.empty() || rest == "b" || rest == "ib") ||
        (unit.front() == 'b' && !rest.empty())) {
      bad();
    }
    scale = std::pow(1024.0, static_cast<double>(at - k_units.begin()));
  }
  double value = std::stod(number) * scale;
  if (!(value >= 1) || value > 9.2e18) {
    bad();
  }
  return static_cast<std::int64_t>(value);
}

std::int64_t parse_cpus(std::string_view text)
{
  auto bad = [&] {
    fail(Errc::usage, "invalid --cpus \"{}\": expected a positive number of CPUs such as 1.5",
         text);
  };
  auto dot = text.find('.');
  std::string_view whole = text.substr(0, dot);
  std::string_view fraction = dot == std::string_view::npos ? "" : text.substr(dot + 1);
  if ((whole.empty() && fraction.empty()) || fraction.size() > 9 ||
      (dot != std::string_view::npos && fraction.empty())) {
    bad();
  }
  auto w = whole.empty() ? std::optional<std::int64_t>(0) : to_int(whole);
  std::string padded(fraction);
  padded.resize(9, '0');
  auto f = to_int(padded);
  if (!w || !f || *w < 0 || *f < 0 || *w > 1'000'000 || whole.starts_with('+') ||
      fraction.starts_with('+') || fraction.starts_with('-')) {
    bad();
  }
  std::int64_t nano = *w * 1'000'000'000 + *f;
  if (nano <= 0) {
    bad();
  }
  return nano;
}

UlimitOption parse_ulimit(std::string_view text)
{
  static constexpr std::array<std::string_view, 15> k_names = {
    "core",   "cpu",   "data", "fsize",  "locks",  "memlock",    "msgqueue", "nice",
    "nofile", "nproc", "rss",  "rtprio", "rttime", "sigpending", "stack"};
  auto eq = text.find('=');
  if (eq == std::string_view::npos) {
    fail(Errc::usage, "invalid --ulimit \"{}\": expected name=soft[:hard]", text);
  }
  UlimitOption out;
  out.name = std::string(text.substr(0, eq));
  if (std::find(k_names.begin(), k_names.end(), out.name) == k_names.end()) {
    fail(Errc::usage,
         "invalid --ulimit \"{}\": unknown limit \"{}\" (known: core, cpu, data, "
         "fsize, locks, memlock, msgqueue, nice, nofile, nproc, rss, rtprio, rttime, "
         "sigpending, stack)",
         text, out.name);
  }
  auto values = text.substr(eq + 1);
  auto colon = values.find(':');
  auto soft = to_int(values.substr(0, colon));
  auto hard = colon == std::string_view::npos ? soft : to_int(values.substr(colon + 1));
  if (!soft || !hard || *soft < -1 || *hard < -1) {
    fail(Errc::usage, "invalid --ulimit \"{}\": soft and hard must be integers (-1: unlimited)",
         text);
  }
  if (*hard != -1 && (*soft == -1 || *soft > *hard)) {
    fail(Errc::usage, "invalid --ulimit \"{}\": the soft limit is above the hard limit", text);
  }
  out.soft = *soft;
  out.hard = *hard;
  return out;
}

HostEntry parse_add_host(std::string_view text)
{
  // host:ip, or host=ip (docker 25+); the address may be IPv6 (with ':'),
  // so the host ends at the first separator, possibly in [brackets].
  auto sep = text.find_first_of(":=");
  if (sep == std::string_view::npos || sep == 0 || sep + 1 == text.size()) {
    fail(Errc::usage, "invalid --add-host \"{}\": expected host:ip", text);
  }
  HostEntry out{std::string(text.substr(0, sep)), std::string(text.substr(sep + 1))};
  if (out.ip.size() > 2 && out.ip.front() == '[' && out.ip.back() == ']') {
    out.ip = out.ip.substr(1, out.ip.size() - 2);
  }
  if (out.ip != "host-gateway" && !is_ipv4(out.ip) && !is_ipv6(out.ip)) {
    fail(Errc::usage, "invalid --add-host \"{}\": \"{}\" is not an IP address (or host-gateway)",
         text, out.ip);
  }
  return out;
}

DeviceOption parse_device(std::string_view text)
{
  DeviceOption out;
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    auto colon = text.find(':', start);
    parts.push_back(text.substr(start, colon == std::string_view::npos ? colon : colon - start));
    if (colon == std::string_view::npos) {
      break;
    }
    start = colon + 1;
  }
  auto is_perms = [](std::string_view p) {
    return !p.empty() && p.size() <= 3 &&
           std::all_of(p.begin(), p.end(), [](char c) { return c == 'r' || c == 'w' || c == 'm'; });
  };
  out.host_path = std::string(parts[0]);
  if (parts.size() == 2) {
    if (is_perms(parts[1])) {
      out.permissions = std::string(parts[1]);
    } else {
      out.container_path = std::string(parts[1]);
    }
  } else if (parts.size() == 3) {
    out.container_path = std::string(parts[1]);
    if (!is_perms(parts[2])) {
      fail(Errc::usage, "invalid --device \"{}\": permissions \"{}\" are not a mix of r, w, m",
           text, parts[2]);
    }
    out.permissions = std::string(parts[2]);
  } else if (parts.size() > 3) {
    fail(Errc::usage, "invalid --device \"{}\": expected HOST[:CONTAINER[:PERMS]]", text);
  }
  if (out.container_path.empty()) {
    out.container_path = out.host_path;
  }
  if (!is_absolute(out.host_path) || !is_absolute(out.container_path)) {
    fail(Errc::usage, "invalid --device \"{}\": device paths must be absolute", text);
  }
  return out;
}

std::vector<ExposedPort> parse_expose(std::string_view text)
{
  std::string protocol = "tcp";
  auto ports = text;
  if (auto slash = text.find('/'); slash != std::string_view::npos) {
    protocol = lower(text.substr(slash + 1));
    ports = text.substr(0, slash);
    if (protocol != "tcp" && protocol != "udp" && protocol != "sctp") {
      fail(Errc::usage, "invalid --expose \"{}\": protocol must be tcp, udp or sctp", text);
    }
  }
  int first = 0;
  int last = 0;
  auto dash = ports.find('-');
  bool ok = valid_port_number(ports.substr(0, dash), first);
  last = first;
  if (ok && dash != std::string_view::npos) {
    ok = valid_port_number(ports.substr(dash + 1), last) && last >= first;
  }
  if (!ok) {
    fail(Errc::usage, "invalid --expose \"{}\": expected PORT or PORT-PORT (1-65535)[/PROTO]",
         text);
  }
  std::vector<ExposedPort> out;
  for (int port = first; port <= last; ++port) {
    out.push_back({port, protocol});
  }
  return out;
}

TmpfsOption parse_tmpfs(std::string_view text)
{
  auto colon = text.find(':');
  TmpfsOption out{std::string(text.substr(0, colon)),
                  colon == std::string_view::npos ? "" : std::string(text.substr(colon + 1))};
  if (!is_absolute(out.target)) {
    fail(Errc::usage, "invalid --tmpfs \"{}\": the container path must be absolute", text);
  }
  return out;
}

MountOption parse_mount_option(std::string_view text)
{
  MountOption out;
  bool tmpfs_options = false;
  bool bind_options = false;
  bool volume_options = false;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto comma = text.find(',', start);
    auto field = text.substr(start, comma == std::string_view::npos ? comma : comma - start);
    start = comma == std::string_view::npos ? text.size() + 1 : comma + 1;
    if (field.empty()) {
      continue;
    }
    auto eq = field.find('=');
    std::string key = lower(field.substr(0, eq));
    std::string_view value = eq == std::string_view::npos ? "" : field.substr(eq + 1);
    bool has_value = eq != std::string_view::npos;
    auto need_value = [&] {
      if (!has_value || value.empty()) {
        fail(Errc::usage, "invalid --mount \"{}\": \"{}\" needs a value", text, key);
      }
    };
    if (key == "type") {
      need_value();
      if (value == "bind") {
        out.type = MountOption::Type::bind;
      } else if (value == "volume") {
        out.type = MountOption::Type::volume;
      } else if (value == "tmpfs") {
        out.type = MountOption::Type::tmpfs;
      } else {
        fail(Errc::usage, "invalid --mount \"{}\": type \"{}\" is not bind, volume or tmpfs", text,
             value);
      }
    } else if (key == "source" || key == "src") {
      need_value();
      out.source = std::string(value);
    } else if (key == "target" || key == "dst" || key == "destination") {
      need_value();
      out.target = std::string(value);
    } else if (key == "readonly" || key == "ro") {
      auto flag = mount_bool(value);
      if (!flag) {
        fail(Errc::usage, "invalid --mount \"{}\": {}=\"{}\" is not true or false", text, key,
             value);
      }
      out.read_only = *flag;
    } else if (key == "tmpfs-size") {
      need_value();
      out.tmpfs_size = parse_memory_size("--mount tmpfs-size", value);
      tmpfs_options = true;
    } else if (key == "tmpfs-mode") {
      need_value();
      std::uint32_t mode = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), mode, 8);
      if (ec != std::errc() || end != value.data() + value.size() || mode > 07777) {
        fail(Errc::usage, "invalid --mount \"{}\": tmpfs-mode \"{}\" is not an octal mode", text,
             value);
      }
      out.tmpfs_mode = mode;
      tmpfs_options = true;
    } else if (key == "bind-propagation") {
      static constexpr std::array<std::string_view, 6> k_modes = {"private", "rprivate", "shared",
                                                                  "rshared", "slave",    "rslave"};
      if (std::find(k_modes.begin(), k_modes.end(), value) == k_modes.end()) {
        fail(Errc::usage,
             "invalid --mount \"{}\": bind-propagation \"{}\" is not private, rprivate, shared, "
             "rshared, slave or rslave",
             text, value);
      }
      out.bind_propagation = std::string(value);
      bind_options = true;
    } else if (key == "volume-nocopy") {
      auto flag = mount_bool(value);
      if (!flag) {
        fail(Errc::usage, "invalid --mount \"{}\": volume-nocopy=\"{}\" is not true or false", text,
             value);
      }
      out.volume_nocopy = *flag;
      volume_options = true;
    } else if (key == "consistency") {
      // docker accepts and ignores it on Linux (a Docker Desktop for Mac hint).
    } else {
      fail(Errc::usage,
           "invalid --mount \"{}\": unknown field \"{}\" (crun-any reads type, source/src, "
           "target/dst/destination, readonly/ro, tmpfs-size, tmpfs-mode, bind-propagation, "
           "volume-nocopy, consistency)",
           text, key);
    }
  }
  if (out.target.empty()) {
    fail(Errc::usage, "invalid --mount \"{}\": no target (target=/path/in/container)", text);
  }
  if (!is_absolute(out.target)) {
    fail(Errc::usage, "invalid --mount \"{}\": the target \"{}\" must be absolute", text,
         out.target);
  }
  auto type_name = out.type == MountOption::Type::bind     ? "bind"
                   : out.type == MountOption::Type::volume ? "volume"
                                                           : "tmpfs";
  if ((tmpfs_options && out.type != MountOption::Type::tmpfs) ||
      (bind_options && out.type != MountOption::Type::bind) ||
      (volume_options && out.type != MountOption::Type::volume)) {
    fail(Errc::usage, "invalid --mount \"{}\": an option of another mount type on a {} mount", text,
         type_name);
  }
  if (out.type == MountOption::Type::tmpfs && !out.source.empty()) {
    fail(Errc::usage, "invalid --mount \"{}\": a tmpfs mount takes no source", text);
  }
  if (out.type == MountOption::Type::bind && !is_absolute(out.source)) {
    fail(Errc::usage,
         "invalid --mount \"{}\": a bind mount needs an absolute source (source=/host/path)", text);
  }
  if (out.type == MountOption::Type::volume && out.source.find('/') != std::string::npos) {
    fail(Errc::usage,
         "invalid --mount \"{}\": \"{}\" is not a volume name; for a host path use type=bind", text,
         out.source);
  }
  return out;
}

void add_security_opt(SecurityOptions& into, std::string_view text)
{
  auto sep = text.find_first_of("=:");
  std::string key(text.substr(0, sep));
  std::string_view value = sep == std::string_view::npos ? "" : text.substr(sep + 1);
  if (key == "no-new-privileges") {
    auto flag = value.empty() ? std::optional<bool>(true) : mount_bool(value);
    if (!flag) {
      fail(Errc::usage, "invalid --security-opt \"{}\": no-new-privileges takes true or false",
           text);
    }
    into.no_new_privileges = *flag;
    return;
  }
  if (value.empty() || sep == std::string_view::npos) {
    fail(Errc::usage,
         "invalid --security-opt \"{}\": expected no-new-privileges, seccomp=PROFILE, "
         "apparmor=PROFILE or label=VALUE",
         text);
  }
  if (key == "seccomp") {
    into.seccomp = std::string(value);
  } else if (key == "apparmor") {
    into.apparmor = std::string(value);
  } else if (key == "label") {
    into.labels.emplace_back(value);
  } else {
    fail(Errc::usage,
         "invalid --security-opt \"{}\": unknown \"{}\" (crun-any reads no-new-privileges, "
         "seccomp, apparmor, label)",
         text, key);
  }
}

void add_attach(AttachStreams& into, std::string_view text)
{
  auto name = lower(text);
  if (name == "stdin") {
    into.stdin = true;
  } else if (name == "stdout") {
    into.stdout = true;
  } else if (name == "stderr") {
    into.stderr = true;
  } else {
    fail(Errc::usage, "invalid --attach \"{}\": expected stdin, stdout or stderr", text);
  }
}

void check_restart(std::string_view text)
{
  if (!text.empty() && text != "no") {
    fail(Errc::usage,
         "--restart {}: crun-any accepts only --restart no; a restart policy needs the "
         "engine to outlive the run, use the engine's own CLI for a service that restarts",
         text);
  }
}

void check_log_driver(std::string_view text)
{
  if (!text.empty() && text != "none") {
    fail(Errc::usage,
         "--log-driver {}: crun-any accepts only --log-driver none (no log kept); other "
         "drivers are the engine's configuration",
         text);
  }
}

int parse_stop_signal(std::string_view text)
{
  static constexpr std::array<std::string_view, 31> k_names = {
    "HUP",  "INT",  "QUIT", "ILL",    "TRAP",   "ABRT",  "BUS",  "FPE",  "KILL", "USR1", "SEGV",
    "USR2", "PIPE", "ALRM", "TERM",   "STKFLT", "CHLD",  "CONT", "STOP", "TSTP", "TTIN", "TTOU",
    "URG",  "XCPU", "XFSZ", "VTALRM", "PROF",   "WINCH", "IO",   "PWR",  "SYS"};
  if (auto number = to_int(text)) {
    if (*number >= 1 && *number <= 64) {
      return static_cast<int>(*number);
    }
  } else {
    std::string name(text);
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    if (name.starts_with("SIG")) {
      name.erase(0, 3);
    }
    auto at = std::find(k_names.begin(), k_names.end(), name);
    if (at != k_names.end()) {
      return static_cast<int>(at - k_names.begin()) + 1;
    }
  }
  fail(Errc::usage, "invalid --stop-signal \"{}\": not a signal name (SIGTERM) or number (1-64)",
       text);
}

} // namespace crun::backends
