# The two set-up commands of the README:
#   make demo   pull, run and inspect against a real engine and registry (the test bench)
#   make test   install, lint, build with -Werror and run every test (unit, integration
#               against the real engines, the unit tests under clang + ASan/UBSan, the
#               threaded code's unit tests under clang + TSan, and each fuzz target for
#               a few seconds)
#   make fuzz   the libFuzzer targets of tests/fuzz, each for FUZZ_SECONDS
#   make package  the Debian package and the source tarball, in $(BUILD)
#               (docs/packaging.md)
BUILD ?= build
ASAN_BUILD ?= build-asan
TSAN_BUILD ?= build-tsan
FUZZ_BUILD ?= build-fuzz
# How long `make fuzz` runs each target (`make fuzz-smoke`: 5).
FUZZ_SECONDS ?= 60
JOBS ?= $(shell nproc 2>/dev/null || sysctl -n hw.ncpu 2>/dev/null || echo 2)
# A hung unit test fails after this many seconds instead of ctest's 1500.
UNIT_TIMEOUT ?= 300
# ON or OFF for -DCRUN_ANY_WERROR; empty keeps what the build directory has.
# `make test` sets ON.
WERROR ?=
WERROR_FLAG = $(if $(WERROR),-DCRUN_ANY_WERROR=$(WERROR))

# One unit-test binary per directory of tests/unit that has tests (as
# tests/CMakeLists.txt makes them). The sanitizer builds make only these: the
# integration tests and the crun-any binary add nothing there.
UNIT_TARGETS := $(sort $(foreach f,$(wildcard tests/unit/*/*_test.cpp tests/unit/*/*/*_test.cpp),\
  unit_$(word 3,$(subst /, ,$(f)))))
# The unit tests that run threads: the console's pumps and signal watcher
# (cli), the parallel probes (selection), and the in-process servers of the
# transport, registry and backends tests.
TSAN_TARGETS ?= unit_cli unit_selection unit_transport unit_registry unit_backends

.PHONY: all deps configure build unit integration lint test sanitize tsan fuzz fuzz-smoke \
	demo package bench-up bench-down clean

all: build

deps:
	contrib/dev/install-deps

configure: deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo $(WERROR_FLAG)

build: configure
	cmake --build $(BUILD) -j $(JOBS)

unit: build
	cd $(BUILD) && ctest -L unit --output-on-failure -j $(JOBS) --timeout $(UNIT_TIMEOUT)

integration: build
	cd $(BUILD) && ctest -L integration --output-on-failure

# clang-format, clang-tidy, shellcheck, whitespace and the layer checks
# (contrib/dev/lint says what failed and how to fix it). Needs only a
# configured build: tidy reads its compile_commands.json.
lint: configure
	contrib/dev/lint -B $(BUILD) -j $(JOBS)

# Unit tests built with clang under AddressSanitizer and UBSan.
sanitize: deps
	CXX=clang++ cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug \
	  -DCRUN_ANY_SANITIZE=ON $(WERROR_FLAG)
	cmake --build $(ASAN_BUILD) -j $(JOBS) --target $(UNIT_TARGETS)
	cd $(ASAN_BUILD) && ctest -L unit --output-on-failure -j $(JOBS) --timeout $(UNIT_TIMEOUT)

# The threaded code's unit tests built with clang under ThreadSanitizer; any
# report fails its test (ctest runs only the binaries built here).
tsan: deps
	CXX=clang++ cmake -S . -B $(TSAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug \
	  -DCRUN_ANY_TSAN=ON $(WERROR_FLAG)
	cmake --build $(TSAN_BUILD) -j $(JOBS) --target $(TSAN_TARGETS)
	cd $(TSAN_BUILD) && TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 $(TSAN_OPTIONS)" \
	  ctest -L unit --output-on-failure -j $(JOBS) --timeout $(UNIT_TIMEOUT)

# The libFuzzer targets (tests/fuzz) built with clang, ASan and UBSan in their
# own build directory, only they and the libraries they link; each runs for
# FUZZ_SECONDS from a scratch copy of its corpus, and any crash, leak, timeout
# or sanitizer report fails (contrib/dev/fuzz prints the executions of each).
fuzz: deps
	CXX=clang++ cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCRUN_ANY_FUZZ=ON -DCRUN_ANY_BUILD_TESTS=OFF $(WERROR_FLAG)
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target $(or $(FUZZ_TARGETS),fuzz_targets)
	contrib/dev/fuzz -B $(FUZZ_BUILD) -t $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# 5 seconds for each target over core and util (part of `make test`); the
# two that need the sanitized transport and registry libraries (minutes more
# to build on 2 cores) run in `make fuzz`.
SMOKE_FUZZ_TARGETS := $(filter-out fuzz_auth_challenge fuzz_credential_store,\
  $(basename $(notdir $(wildcard tests/fuzz/fuzz_*.cpp))))
fuzz-smoke: FUZZ_SECONDS = 5
fuzz-smoke: FUZZ_TARGETS = $(SMOKE_FUZZ_TARGETS)
fuzz-smoke: fuzz

# Everything, warnings as errors: lint first, the sanitizer unit runs and the
# short fuzz run, then the full suite (its ctest summary is the last line
# printed). The bench fixture starts the engines and stops them again;
# CRUN_ANY_REQUIRE_BENCH=1 makes a bench that cannot start a failure, not a
# skip.
test: WERROR = ON
test: lint sanitize tsan fuzz-smoke build
	cd $(BUILD) && CRUN_ANY_REQUIRE_BENCH=1 ctest --output-on-failure

# $(BUILD)/crun-any_<version>-<revision>_<arch>.deb (CPack DEB; on a system
# without dpkg a binary .tar.gz instead) and $(BUILD)/crun-any-<version>.tar.gz,
# the source tree without build directories and version control
# (cmake/Packaging.cmake).
package: build
	cd $(BUILD) && cpack
	cd $(BUILD) && cpack --config CPackSourceConfig.cmake

demo: build
	contrib/dev/demo $(BUILD)/bin/crun-any

bench-up:
	tests/bench/up

bench-down:
	tests/bench/down

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(TSAN_BUILD) $(FUZZ_BUILD)
