#!/usr/bin/env bash
# install_test.sh BUILD_DIR: `cmake --install` into a temporary prefix puts
# the man pages (gzip -9n: no name, no time stamp) and the completions at
# their paths, and `man -l` renders crun-any(1) from there.
set -euo pipefail
build=$1
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
fail() {
  echo "install_test: $*" >&2
  exit 1
}

cmake --install "$build" --prefix "$prefix" >/dev/null

for file in bin/crun-any \
  share/man/man1/crun-any.1.gz share/man/man1/crun-any-run.1.gz \
  share/man/man1/crun-any-policy-check.1.gz \
  share/bash-completion/completions/crun-any \
  share/zsh/vendor-completions/_crun-any \
  share/fish/vendor_completions.d/crun-any.fish; do
  [[ -f $prefix/$file ]] || fail "$file is not installed"
done
pages=$(find "$prefix/share/man/man1" -name '*.1.gz' | wc -l)
built=$(find "$build/share/man/man1" -name '*.1' | wc -l)
((pages == built)) || fail "$pages pages installed, $built built"
[[ -z $(find "$prefix/share/man/man1" -name '*.1') ]] || fail "an uncompressed page is installed"

# gzip's header: byte 3 (flags) without FNAME, bytes 4-7 (mtime) zero.
header=$(od -An -tx1 -N8 "$prefix/share/man/man1/crun-any.1.gz" | tr -d ' \n')
[[ $header == 1f8b0800* && ${header:8:8} == 00000000 ]] ||
  fail "crun-any.1.gz is not gzip -n output (header $header)"

page=$(MANWIDTH=100 LANG=C.UTF-8 man -l "$prefix/share/man/man1/crun-any.1.gz" 2>&1)
for heading in NAME SYNOPSIS DESCRIPTION 'GLOBAL OPTIONS' COMMANDS 'EXIT STATUS' \
  ENVIRONMENT FILES EXAMPLES 'SEE ALSO'; do
  grep -q "^$heading\$" <<<"$page" || fail "man -l crun-any.1.gz: no $heading section"
done
grep -q 'CRUN_ANY_POLICY' <<<"$page" || fail "crun-any(1) does not name CRUN_ANY_POLICY"
grep -q '/etc/crun-any/policy.json' <<<"$page" || fail "crun-any(1) does not name the admin policy"

# The installed bash completion works where bash-completion looks for it.
out=$(bash --norc --noprofile "$(dirname "$0")/complete.bash" \
  "$prefix/share/bash-completion/completions/crun-any" "crun-any ru")
[[ $out == run ]] || fail "the installed bash completion offers '$out' for 'crun-any ru'"
echo "install_test: ok ($pages pages)"
