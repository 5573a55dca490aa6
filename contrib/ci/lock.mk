# An example for a project that commits crun-any.lock (docs/lockfile.md):
# include it from the project's Makefile (`include contrib/ci/lock.mk`), run
# `make lock-check` in CI and `make lock-update` when the images should move.
CRUN_ANY ?= crun-any
# The images the project runs; empty re-resolves every entry of the lock.
LOCK_IMAGES ?=

.PHONY: lock lock-check lock-update

# Locks LOCK_IMAGES (creating crun-any.lock if there is none).
lock:
	$(CRUN_ANY) lock $(LOCK_IMAGES)

# Writes nothing; fails (exit 1, one line per drift on stdout) when a locked
# tag now resolves to other content at its registry.
lock-check:
	$(CRUN_ANY) lock --check $(LOCK_IMAGES)

# Re-resolves every entry; fails when the lock changed, so CI cannot pass on
# an update nobody committed.
lock-update:
	$(CRUN_ANY) lock
	git diff --exit-code -- crun-any.lock
