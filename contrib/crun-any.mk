# crun-any.mk: run a project's build steps in a container image with
# crun-any, and keep the images it uses locked (docs/lockfile.md). Include it
# from the project's Makefile:
#
#   CRUN_IMAGE := registry.example.com/acme/toolchain:1
#   include path/to/crun-any.mk
#
#   %.o: %.c
#   	$(CRUN_SH) 'cc -c -o $@ $<'
#
# A step runs with the working tree mounted at /src (its working directory)
# and as the calling user's uid:gid, so what it writes belongs to whoever ran
# make, not to root. CRUN_RUN and CRUN_SH are recursive (=), so variables set
# after the include still count. A path with ':' in it cannot be mounted with
# -v (crun-any says so).
#
# Targets: crun-pull, crun-lock, crun-lock-check, crun-verify (below).

# The crun-any command (it may carry global options: --backend, --host).
CRUN_ANY ?= crun-any
# The image the steps run in; set it before or after the include.
CRUN_IMAGE ?=
# More `crun-any run` options for every step (-e, --network, --platform, ...).
CRUN_RUN_FLAGS ?=
# The images the lock targets work on; empty `crun-lock` re-resolves every
# entry the lock already holds.
CRUN_LOCK_IMAGES ?= $(CRUN_IMAGE)
CRUN_USER := $(shell id -u):$(shell id -g)

CRUN_RUN = $(CRUN_ANY) run --rm -v "$(CURDIR)":/src -w /src -u "$(CRUN_USER)" $(CRUN_RUN_FLAGS)

# $(call crun,COMMAND ARGS...): runs COMMAND in CRUN_IMAGE (no shell).
crun = $(CRUN_RUN) $(CRUN_IMAGE) $(1)
# $(CRUN_SH) 'SCRIPT': runs SCRIPT with the image's sh (redirections, &&).
CRUN_SH = $(CRUN_RUN) $(CRUN_IMAGE) sh -c

# The including Makefile's default goal stays its own first target.
crun_saved_default_goal := $(.DEFAULT_GOAL)

.PHONY: crun-pull crun-lock crun-lock-check crun-verify

# Pulls the images (through the lock when there is one).
crun-pull:
	$(CRUN_ANY) pull -q $(CRUN_LOCK_IMAGES)

# Records in crun-any.lock the digests the registry serves now; commit it.
crun-lock:
	$(CRUN_ANY) lock $(CRUN_LOCK_IMAGES)

# Writes nothing; fails (exit 1, one line per drift on stdout) when a locked
# tag now resolves to other content at its registry. For CI.
crun-lock-check:
	$(CRUN_ANY) lock --check $(CRUN_LOCK_IMAGES)

# Fails (exit 1) unless each local image is the locked content.
crun-verify:
	$(CRUN_ANY) verify $(CRUN_LOCK_IMAGES)

.DEFAULT_GOAL := $(crun_saved_default_goal)
