# An example for a project that commits crun-any.lock (docs/lockfile.md):
# include it from the project's Makefile (`include contrib/ci/lock.mk`), run
# `make lock-check` in CI and `make lock-update` when the images should move.
# The commands themselves are contrib/crun-any.mk's crun-lock targets.
include $(dir $(lastword $(MAKEFILE_LIST)))../crun-any.mk

# The images the project runs; empty re-resolves every entry of the lock.
LOCK_IMAGES ?=
CRUN_LOCK_IMAGES = $(LOCK_IMAGES)

.PHONY: lock lock-check lock-update

# Locks LOCK_IMAGES (creating crun-any.lock if there is none).
lock: crun-lock

# Writes nothing; fails (exit 1, one line per drift on stdout) when a locked
# tag now resolves to other content at its registry.
lock-check: crun-lock-check

# Re-resolves every entry; fails when the lock changed, so CI cannot pass on
# an update nobody committed.
lock-update:
	$(CRUN_ANY) lock
	git diff --exit-code -- crun-any.lock
