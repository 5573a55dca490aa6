# shellcheck shell=bash disable=SC2034
# Shared by tests/bench/up and tests/bench/down (sourced, after DIR is set).
# SC2034 is off: the paths defined here are used by the scripts that source
# this file, which shellcheck cannot see from here.

LOGS=$DIR/logs
RUN=$DIR/run
CACHE=$DIR/cache
DOCKER_SOCK=$DIR/docker.sock
PODMAN_SOCK=$DIR/podman.sock
CONTAINERS_CONF=$DIR/containers.conf
REGISTRIES_CONF=$DIR/registries.conf
# The registry that requires a login (htpasswd).
AUTH_REGISTRY_YML=$DIR/registry-auth.yml
AUTH_DIR=$DIR/auth
AUTH_HTPASSWD=$AUTH_DIR/htpasswd
AUTH_PASSWORD_FILE=$AUTH_DIR/password
# Some paths have length limits: dockerd's exec-root holds containerd's
# sockets (a socket path must fit in 108 bytes) and Podman refuses a runroot
# longer than 50 characters. They live under $SHORT: $DIR itself when it is
# short, else /tmp/crun-bench-s-<hash of $DIR>.
if (( ${#DIR} <= 30 )); then
  SHORT=$DIR
else
  SHORT=/tmp/crun-bench-s-$(printf '%s' "$DIR" | md5sum | cut -c1-8)
fi
EXEC_ROOT=$SHORT/x
PODMAN_RUNROOT=$SHORT/podman/run
SEED_RUNROOT=$SHORT/seed-run

_me=${0##*/}
log() { printf 'bench/%s: %s\n' "$_me" "$*" >&2; }
die() { printf 'bench/%s: ERROR: %s\n' "$_me" "$*" >&2; exit 1; }
# cannot_run REASON: this machine cannot host the bench (not Linux, not root,
# no apt). Exits 77, which ctest reports as skipped; `up` first leaves REASON
# in $DIR.unavailable for the integration tests to skip with. Fails as die
# does when CRUN_ANY_REQUIRE_BENCH=1 (`make test`).
cannot_run() {
  [[ ${CRUN_ANY_REQUIRE_BENCH:-} != 1 ]] || die "$* (CRUN_ANY_REQUIRE_BENCH=1: the bench is required)"
  if [[ $_me == up ]]; then
    printf '%s\n' "$*" 2>/dev/null >"$DIR.unavailable" || true
  fi
  printf 'bench/%s: SKIP: cannot run here: %s\n' "$_me" "$*" >&2
  exit 77
}

# One up/down at a time per bench directory.
bench_lock() {
  exec 9>"$DIR.lock"
  flock -w 900 9 || die "another bench up/down holds $DIR.lock"
}

# pid_alive PIDFILE: the pidfile names a live (non-zombie) process of this
# bench (its command line mentions $DIR/), not a recycled pid.
pid_alive() {
  local pf=$1 pid state
  [[ -s $pf ]] || return 1
  pid=$(<"$pf")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  [[ -r /proc/$pid/stat ]] || return 1
  state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) || return 1
  [[ $state != Z ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$DIR/"
}
