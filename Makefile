# The two set-up commands of the README:
#   make demo   pull, run and inspect against a real engine and registry (the test bench)
#   make test   install, build and run every test (unit, integration against the
#               real engines, and the unit tests again under clang + ASan/UBSan)
BUILD ?= build
ASAN_BUILD ?= build-asan
JOBS ?= $(shell nproc 2>/dev/null || sysctl -n hw.ncpu 2>/dev/null || echo 2)

.PHONY: all deps build unit integration test sanitize demo bench-up bench-down clean

all: build

deps:
	contrib/dev/install-deps

build: deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build $(BUILD) -j $(JOBS)

unit: build
	cd $(BUILD) && ctest -L unit --output-on-failure -j $(JOBS)

integration: build
	cd $(BUILD) && ctest -L integration --output-on-failure

# Unit tests built with clang under AddressSanitizer and UBSan.
sanitize: deps
	CXX=clang++ cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCRUN_ANY_SANITIZE=ON
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ctest -L unit --output-on-failure -j $(JOBS)

# Everything: the sanitizer unit run first, then the full suite (its ctest
# summary is the last line printed). The bench fixture starts the engines and
# stops them again; CRUN_ANY_REQUIRE_BENCH=1 makes a bench that cannot start
# a failure, not a skip.
test: sanitize build
	cd $(BUILD) && CRUN_ANY_REQUIRE_BENCH=1 ctest --output-on-failure

demo: build
	contrib/dev/demo $(BUILD)/bin/crun-any

bench-up:
	tests/bench/up

bench-down:
	tests/bench/down

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
