#pragma once
// The docker-spelled run options beyond the basics (issue 13): their
// engine-neutral values, held by RunSpec, and the pure parsers that build
// them from what the user typed. Each parser throws Error(Errc::usage)
// naming the option and the value it could not read.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crun::backends {

/// `--mount type=bind|volume|tmpfs,...` (docker's CSV syntax).
struct MountOption {
  enum class Type { bind, volume, tmpfs };
  Type type = Type::volume;                ///< docker's default type
  std::string source;                      ///< host path (bind), volume name (volume, may be empty)
  std::string target;                      ///< absolute path in the container
  bool read_only = false;                  ///< readonly / ro
  std::optional<std::int64_t> tmpfs_size;  ///< tmpfs-size, bytes
  std::optional<std::uint32_t> tmpfs_mode; ///< tmpfs-mode, octal
  std::string bind_propagation;            ///< bind-propagation (rprivate, shared, ...)
  bool volume_nocopy = false;              ///< volume-nocopy
  bool operator==(const MountOption&) const = default;
};

/// `--tmpfs PATH[:OPTS]`: OPTS as given ("size=64m,mode=1777"), may be empty.
struct TmpfsOption {
  std::string target;
  std::string options;
  bool operator==(const TmpfsOption&) const = default;
};

/// `--ulimit name=soft[:hard]`; hard defaults to soft.
struct UlimitOption {
  std::string name; ///< "nofile", "nproc", ...
  std::int64_t soft = 0;
  std::int64_t hard = 0;
  bool operator==(const UlimitOption&) const = default;
};

/// `--add-host host:ip` (or host=ip).
struct HostEntry {
  std::string host;
  std::string ip; ///< an address or docker's "host-gateway"
  bool operator==(const HostEntry&) const = default;
};

/// `--device HOST[:CONTAINER[:PERMS]]`.
struct DeviceOption {
  std::string host_path;
  std::string container_path; ///< defaults to host_path
  std::string permissions = "rwm";
  bool operator==(const DeviceOption&) const = default;
};

/// `--expose PORT[-PORT][/PROTO]`, one entry per port of a range.
struct ExposedPort {
  int port = 0;
  std::string protocol = "tcp";
  bool operator==(const ExposedPort&) const = default;
};

/// `--security-opt` values, gathered.
struct SecurityOptions {
  bool no_new_privileges = false;
  std::string seccomp;             ///< "unconfined" or a profile file's path
  std::string seccomp_profile;     ///< that file's content (read by the CLI)
  std::string apparmor;            ///< a profile name or "unconfined"
  std::vector<std::string> labels; ///< label=VALUE: "disable", "type:T", "level:L", ...
  bool operator==(const SecurityOptions&) const = default;
  bool empty() const { return *this == SecurityOptions{}; }
};

/// Which streams `-a/--attach` names; absent from RunSpec: all of them.
struct AttachStreams {
  bool stdin = false;
  bool stdout = false;
  bool stderr = false;
  bool operator==(const AttachStreams&) const = default;
};

/// `-m`, `--shm-size`, tmpfs-size: docker's sizes (go-units RAMInBytes):
/// a number, optionally fractional, with an optional binary unit b, k, m, g,
/// t, p (any case, optionally followed by "b" or "ib"); no unit = bytes.
/// Throws Error(Errc::usage) naming `option` and `text` when it is not one,
/// or is not positive.
std::int64_t parse_memory_size(std::string_view option, std::string_view text);

/// `--cpus N` (fractional): nano-CPUs, as Docker's NanoCpus. Throws
/// Error(Errc::usage) for anything but a positive number with at most 9
/// decimals.
std::int64_t parse_cpus(std::string_view text);

/// Throws Error(Errc::usage) for an unknown name (docker's list: core, cpu,
/// data, fsize, locks, memlock, msgqueue, nice, nofile, nproc, rss, rtprio,
/// rttime, sigpending, stack), a non-integer value, soft above hard.
UlimitOption parse_ulimit(std::string_view text);

/// Throws Error(Errc::usage) for an empty host or address, no separator, or
/// an address that is neither IPv4, IPv6 nor host-gateway.
HostEntry parse_add_host(std::string_view text);

/// Throws Error(Errc::usage) for a relative path, too many fields or
/// permissions other than a combination of r, w, m.
DeviceOption parse_device(std::string_view text);

/// Throws Error(Errc::usage) for a port outside 1-65535, a bad range or
/// protocol (tcp, udp, sctp).
std::vector<ExposedPort> parse_expose(std::string_view text);

/// Throws Error(Errc::usage) for a relative or empty path.
TmpfsOption parse_tmpfs(std::string_view text);

/// Throws Error(Errc::usage) naming `text` for an unknown key or type, a
/// key without its value, no target, a relative target, a source for a
/// tmpfs, no source for a bind, options of another type (tmpfs-size on a
/// bind), a bad size or mode.
MountOption parse_mount_option(std::string_view text);

/// Adds one `--security-opt` value to `into`: no-new-privileges[=|:true|false],
/// seccomp=unconfined|FILE, apparmor=PROFILE, label=VALUE (docker's older
/// ':' separator is read too). Throws Error(Errc::usage) for anything else.
void add_security_opt(SecurityOptions& into, std::string_view text);

/// Adds one `-a` value (stdin, stdout, stderr; any case). Throws
/// Error(Errc::usage) for anything else.
void add_attach(AttachStreams& into, std::string_view text);

/// `--restart`: only "no" (or empty) is accepted: a restart policy needs
/// the engine to restart the container after crun-any's run has ended
/// (docs/run.md). Throws Error(Errc::usage) otherwise.
void check_restart(std::string_view text);

/// `--log-driver`: only "none" (or empty: the engine's default) is
/// accepted. Throws Error(Errc::usage) otherwise.
void check_log_driver(std::string_view text);

/// `--stop-signal`: the Linux signal number of "SIGTERM", "TERM", "term" or
/// "15" (the container runs Linux whatever the host). Throws
/// Error(Errc::usage) for an unknown name or a number outside 1-64.
int parse_stop_signal(std::string_view text);

} // namespace crun::backends
