#include <crun/core/platform.hpp>

#include <crun/core/error.hpp>

#include <algorithm>
#include <array>
#include <vector>

namespace crun::core {

namespace {

// containerd database.go (isKnownOS, isKnownArch), from Go's syslist.go.
constexpr std::array<std::string_view, 17> k_known_os = {
  "aix",   "android", "darwin", "dragonfly", "freebsd", "hurd",    "illumos", "ios", "js",
  "linux", "nacl",    "netbsd", "openbsd",   "plan9",   "solaris", "windows", "zos"};
constexpr std::array<std::string_view, 24> k_known_arch = {
  "386",     "amd64",   "amd64p32", "arm",    "armbe",  "arm64",    "arm64be",   "ppc64",
  "ppc64le", "loong64", "mips",     "mipsle", "mips64", "mips64le", "mips64p32", "mips64p32le",
  "ppc",     "riscv",   "riscv64",  "s390",   "s390x",  "sparc",    "sparc64",   "wasm"};

constexpr std::string_view k_container_os = "linux";

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& names, std::string_view name)
{
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::string lowercase(std::string_view s)
{
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

std::string normalize_os(std::string_view os)
{
  std::string out = lowercase(os);
  return out == "macos" ? "darwin" : out;
}

// containerd normalizeArch, plus i686 (what 32-bit x86 Linux reports).
void normalize_arch(std::string& arch, std::string& variant)
{
  arch = lowercase(arch);
  variant = lowercase(variant);
  if (arch == "i386" || arch == "i686") {
    arch = "386";
    variant.clear();
  } else if (arch == "x86_64" || arch == "x86-64" || arch == "amd64") {
    arch = "amd64";
    if (variant == "v1") {
      variant.clear();
    }
  } else if (arch == "aarch64" || arch == "arm64") {
    arch = "arm64";
    if (variant == "8" || variant == "v8") {
      variant.clear();
    }
  } else if (arch == "armhf") {
    arch = "arm";
    variant = "v7";
  } else if (arch == "armel") {
    arch = "arm";
    variant = "v6";
  } else if (arch == "arm") {
    if (variant.empty() || variant == "7") {
      variant = "v7";
    } else if (variant == "5" || variant == "6" || variant == "8") {
      variant.insert(0, "v");
    }
  }
}

std::vector<std::string_view> split(std::string_view text, char separator)
{
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const auto end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) {
      return parts;
    }
    start = end + 1;
  }
}

bool is_specifier_char(char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

Platform parse_platform(std::string_view text, const Platform* native)
{
  if (text.empty()) {
    fail(Errc::invalid_input,
         "invalid platform \"\": expected os/arch[/variant], such as \"linux/amd64\"");
  }
  const auto parts = split(text, '/');
  if (parts.size() > 3) {
    fail(Errc::invalid_input,
         "invalid platform \"{}\": too many components, expected os/arch[/variant]", text);
  }
  constexpr std::array<std::string_view, 3> k_roles = {"os", "architecture", "variant"};
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (parts[i].empty()) {
      fail(Errc::invalid_input, "invalid platform \"{}\": empty {}", text, k_roles[i]);
    }
    for (const char& c : parts[i]) {
      if (!is_specifier_char(c)) {
        fail(Errc::invalid_input,
             "invalid platform \"{}\": invalid character \"{}\" in \"{}\": components may contain "
             "letters, digits, \"_\" and \"-\"",
             text, std::string_view(&c, 1), parts[i]);
      }
    }
  }

  if (parts.size() == 1) {
    const std::string os = normalize_os(parts[0]);
    if (contains(k_known_os, os)) {
      if (native == nullptr) {
        fail(Errc::invalid_input,
             "invalid platform \"{}\": name the architecture too, such as \"{}/amd64\"", text, os);
      }
      return Platform{os, native->architecture, native->variant}.normalized();
    }
    Platform platform{std::string(k_container_os), std::string(parts[0]), ""};
    platform = platform.normalized();
    if (!contains(k_known_arch, platform.architecture)) {
      fail(Errc::invalid_input,
           "invalid platform \"{}\": \"{}\" is neither a known operating system nor a known "
           "architecture; use os/arch, such as \"linux/amd64\"",
           text, parts[0]);
    }
    return platform;
  }
  Platform platform{std::string(parts[0]), std::string(parts[1]),
                    parts.size() == 3 ? std::string(parts[2]) : std::string()};
  return platform.normalized();
}

} // namespace

Platform Platform::parse(std::string_view text, const Platform& native)
{
  return parse_platform(text, &native);
}

Platform Platform::parse(std::string_view text)
{
  return parse_platform(text, nullptr);
}

Platform Platform::normalized() const
{
  Platform out{normalize_os(os), architecture, variant};
  if (!out.architecture.empty()) {
    normalize_arch(out.architecture, out.variant);
  } else {
    out.variant = lowercase(out.variant);
  }
  return out;
}

std::string Platform::str() const
{
  std::string out = os + "/" + architecture;
  if (!variant.empty()) {
    out += "/" + variant;
  }
  return out;
}

bool Platform::matches(const Platform& wanted) const
{
  const Platform have = normalized();
  const Platform want = wanted.normalized();
  return have.os == want.os && have.architecture == want.architecture &&
         (want.variant.empty() || have.variant == want.variant);
}

Platform Platform::from_uname(std::string_view sysname, std::string_view machine)
{
  const std::string name = lowercase(machine);
  Platform platform{std::string(sysname), name, ""};
  // 32-bit ARM kernels report the ISA level, "armv7l", "armv6l", "armv8l"
  // (a 32-bit userland on a 64-bit core); the digit is the OCI variant.
  if (name.size() >= 5 && name.starts_with("armv") && name[4] >= '5' && name[4] <= '8') {
    platform.architecture = "arm";
    platform.variant = name.substr(4, 1);
  } else if (name.size() == 4 && name[0] == 'i' && name[1] >= '3' && name[1] <= '6' &&
             name.ends_with("86")) {
    platform.architecture = "386";
  }
  return platform.normalized();
}

} // namespace crun::core
