#pragma once
// The argument vectors crun-any gives Apple's `container` (argv[0]
// excluded), and the environment its children run with. Pure: every
// decision about what the CLI is told lives here, tested without a CLI.
// Every pull and run names `--platform` (Apple pulls every platform
// otherwise) and turns progress off; `--scheme` is always explicit (`auto`,
// the default before 1.3, would pick HTTP for RFC 1918 hosts, and 1.3
// refuses it); credentials never appear in an argument.

#include <crun/backends/apple/apple_version.hpp>
#include <crun/backends/run_spec.hpp>
#include <crun/core/env.hpp>
#include <crun/core/image_ref.hpp>
#include <crun/core/platform.hpp>
#include <crun/registry/credentials.hpp>

#include <optional>
#include <string>
#include <vector>

namespace crun::backends::apple {

using Args = std::vector<std::string>;

/// `--progress none` (0.7+) or `--disable-progress-updates` (0.5, 0.6).
Args progress_none_args(const AppleVersion& version);

/// `system status --format json` (0.10+) or `system status`.
Args status_args(const AppleVersion& version);

/// `image pull <progress none> --platform P --scheme http|https REF`:
/// `http` exactly when crun-any's registry client speaks plain HTTP to the
/// registry (registry::use_plain_http: loopback only).
Args pull_args(const AppleVersion& version, const core::ImageRef& ref,
               const core::Platform& platform);

Args image_inspect_args(const std::string& name);
Args image_tag_args(const std::string& source, const core::ImageRef& target);
Args inspect_args(const std::string& id);
/// `kill [-s SIGNAL] ID` (no signal: Apple's default, SIGKILL).
Args kill_args(const std::string& id, std::optional<std::string> signal = std::nullopt);
Args delete_force_args(const std::string& id);

/// Whether `name` is an ID Apple accepts for --name: ^[a-zA-Z0-9][a-zA-Z0-9_.-]+$,
/// at most 63 characters. Never fails.
bool is_valid_container_name(std::string_view name);

/// `run <progress none> --platform P [--rm] [-i] [-t] [-d] [--cidfile F]
/// [-e K=V]... [-v SRC:DST[:ro]]... [-p [IP:]HOST:CTR[/PROTO]]...
/// [-l K=V]... [--name N] [-w D] [-u U] [--entrypoint E] [--init]
/// [--read-only] [--tmpfs P]... [--mount M]... [--cpus N] [--memory S]
/// [--cap-add C]... [--cap-drop C]... [--ulimit L]... [--shm-size S]
/// [--network N] -- IMAGE [ARGS...]`. The `--` goes before the image: swift-argument-parser
/// then takes the image and every later word as values, whereas a `--`
/// after the image would reach the workload as an argument. `spec.pull` is
/// the engine's to honour (Apple has no --pull); `cidfile` may be empty.
/// Throws Error(Errc::usage), naming the option, the backend and what to do
/// instead, for what Apple cannot do: a container-port-only -p, an
/// anonymous volume (-v /ctr; Apple keeps it after --rm), a -v option other
/// than ro/rw, a --name Apple refuses, `--entrypoint ""` without a command,
/// `--network host` or `container:NAME`; and for every option of
/// run_options.hpp Apple's run lacks: --hostname, --add-host,
/// --security-opt, --privileged, --device, --group-add, --userns,
/// --stop-signal, --stop-timeout, -P, --expose, -a, --sig-proxy=false,
/// --log-driver none, a fractional --cpus, --tmpfs with options, --mount
/// options beyond type/source/target/readonly or an anonymous volume,
/// --shm-size before 1.0. With `env_file` (a file holding
/// env_file_text(spec.env)), the environment is passed as `--env-file
/// env_file` instead of `-e K=V` words, which every user of the machine can
/// read in the process table; an environment with a line break in it
/// cannot go in a file and stays in -e words.
Args run_args(const AppleVersion& version, const RunSpec& spec, const std::string& cidfile,
              const std::string& env_file = {});

/// The text of an --env-file carrying `env` ("K=V" entries), one entry per
/// line as Apple's parser reads it (everything after the first '=' is the
/// value, blanks included); std::nullopt when an entry holds a line break,
/// which no env file can carry. Never fails.
std::optional<std::string> env_file_text(const std::vector<std::string>& env);

/// The environment of every `container` child: `env` without any
/// CONTAINER_* variable (CONTAINER_DEFAULT_PLATFORM overrides --arch,
/// CONTAINER_APP_ROOT / CONTAINER_INSTALL_ROOT move the install,
/// CONTAINER_DEBUG adds output, CONTAINER_REGISTRY_* are credentials), and,
/// with `credentials` for `registry_host`, CONTAINER_REGISTRY_HOST, _USER and
/// _TOKEN (the password, else the identity token), which the CLI reads
/// before the keychain. Never fails.
Env child_env(const Env& env,
              const std::optional<registry::Credentials>& credentials = std::nullopt,
              const std::string& registry_host = {});

} // namespace crun::backends::apple
