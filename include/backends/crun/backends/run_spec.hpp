#pragma once
// What `crun-any run` asks of an engine, in the engine-neutral form the
// adapters translate; and the pure parsers of the docker-spelled run options
// (-p, -v, -e, --env-file, --label, --pull) that build it.

#include <crun/backends/run_options.hpp>
#include <crun/core/env.hpp>
#include <crun/core/image_ref.hpp>
#include <crun/core/platform.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crun::backends {

enum class PullPolicy { always, missing, never };

/// `-p [ip:][host_port:]container_port[/proto]`; ports may be ranges "8000-8010".
struct PortSpec {
  std::string host_ip;        ///< empty: all addresses
  std::string host_port;      ///< empty: the engine picks one
  std::string container_port; ///< "80" or "8000-8010"
  std::string protocol = "tcp";
  bool operator==(const PortSpec&) const = default;
};

/// `-v source:target[:options]` (bind mount or named volume) or `-v /target`
/// (anonymous volume).
struct MountSpec {
  std::string source;               ///< absolute host path, a volume name, or empty (anonymous)
  std::string target;               ///< absolute path in the container
  std::vector<std::string> options; ///< "ro", "rw", "z", "Z", ...
  bool operator==(const MountSpec&) const = default;
  bool is_bind() const { return !source.empty() && source.front() == '/'; }
  bool read_only() const;
};

struct RunSpec {
  core::ImageRef image = core::ImageRef::parse("scratch"); ///< normalised reference
  std::string image_name;         ///< what the engine is given: the reference, pinned when possible
  core::Platform platform;        ///< the platform to run (resolved; never empty)
  bool platform_explicit = false; ///< given by the user or policy, not the engine's default
  std::vector<std::string> command;      ///< replaces the image CMD when not empty
  std::optional<std::string> entrypoint; ///< --entrypoint; "" resets the image's
  std::vector<std::string> env;          ///< "K=V", resolved
  std::vector<MountSpec> mounts;
  std::vector<PortSpec> ports;
  std::map<std::string, std::string> labels;
  std::string name;
  std::string workdir;
  std::string user;
  std::string network;
  bool interactive = false; ///< -i: forward stdin, then close it
  bool tty = false;         ///< -t
  bool detach = false;      ///< -d
  bool remove = false;      ///< --rm
  PullPolicy pull = PullPolicy::missing;

  // The options of run_options.hpp; each adapter maps every one it can and
  // refuses (Errc::usage, naming the option and the backend) the others.
  bool init = false;                      ///< --init
  bool read_only = false;                 ///< --read-only
  std::vector<TmpfsOption> tmpfs;         ///< --tmpfs
  std::vector<MountOption> mount_options; ///< --mount
  std::optional<std::int64_t> nano_cpus;  ///< --cpus, in 1e-9 CPUs
  std::optional<std::int64_t> memory;     ///< -m, bytes
  std::string hostname;                   ///< --hostname
  std::vector<HostEntry> add_hosts;       ///< --add-host
  std::vector<std::string> cap_add;       ///< --cap-add
  std::vector<std::string> cap_drop;      ///< --cap-drop
  SecurityOptions security;               ///< --security-opt
  bool privileged = false;                ///< --privileged
  std::vector<DeviceOption> devices;      ///< --device
  std::vector<std::string> group_add;     ///< --group-add
  std::string userns;                     ///< --userns
  std::vector<UlimitOption> ulimits;      ///< --ulimit
  std::optional<std::int64_t> shm_size;   ///< --shm-size, bytes
  std::string stop_signal;                ///< --stop-signal, as given ("SIGTERM", "15")
  std::optional<int> stop_timeout;        ///< --stop-timeout, seconds
  std::string cidfile;                    ///< --cidfile: where the ID is written after create
  bool publish_all = false;               ///< -P
  std::vector<ExposedPort> expose;        ///< --expose
  std::optional<AttachStreams> attach;    ///< -a; absent: every stream
  bool sig_proxy = true;                  ///< --sig-proxy
  bool log_none = false;                  ///< --log-driver none

  /// Whether the container's stdout / stderr are attached (every stream
  /// unless -a names some), and stdin forwarded (-i, and named by -a if any).
  bool attach_stdout() const { return !attach || attach->stdout; }
  bool attach_stderr() const { return !attach || attach->stderr; }
  bool attach_stdin() const { return interactive && (!attach || attach->stdin); }
};

/// Parses `--pull` values. Throws Error(Errc::usage) naming `text` and the
/// accepted values.
PullPolicy parse_pull_policy(std::string_view text);

/// The values parse_pull_policy accepts: always, missing, never.
std::vector<std::string_view> pull_policy_names();

/// Parses one `-p` value. Throws Error(Errc::usage) naming `text` for an empty
/// or non-numeric port, a port outside 1-65535, a bad range or protocol.
PortSpec parse_port_spec(std::string_view text);

/// Parses one `-v` value, as the docker CLI (23+) and Podman do: a source
/// starting with '.' (".", "./x", "../x") is a host path made absolute
/// against `cwd`; a bare word ("cache") is a named volume. Throws
/// Error(Errc::usage) naming `text` for an empty or relative target, an
/// empty source or option, too many fields, a source with a '/' that starts
/// with neither '/' nor '.' ("data/x", which the engines refuse as a volume
/// name: the fix "./data/x"), and a host path with a ':' in it (saying so:
/// -v cannot express it, --mount type=bind can).
MountSpec parse_mount_spec(std::string_view text, std::string_view cwd);

/// Parses `--label k=v` (a bare `k` gives an empty value). Throws
/// Error(Errc::usage) for an empty key.
std::pair<std::string, std::string> parse_label(std::string_view text);

/// The "K=V" entries of an --env-file's `content`: blank lines and lines
/// starting with '#' are skipped, a bare `K` takes its value from `host`
/// (and is dropped when unset there), as `docker run --env-file` does.
/// Throws Error(Errc::usage) naming `file` and the line number for a line
/// with an empty name or white space in the name, or longer than
/// k_env_file_max_line.
inline constexpr std::size_t k_env_file_max_line = 64 * 1024;
std::vector<std::string> parse_env_file(std::string_view content, std::string_view file,
                                        const Env& host);

/// One `-e` value resolved: "K=V" as is, a bare "K" takes its value from
/// `host` (std::nullopt when unset there, so the variable is left out).
/// Throws Error(Errc::usage) for an empty name.
std::optional<std::string> resolve_env_arg(std::string_view text, const Env& host);

} // namespace crun::backends
