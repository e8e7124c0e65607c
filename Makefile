# The two commands: `make run` and `make test`. Everything else is a step they use.
BUILD      ?= build
BUILD_ASAN ?= build-asan
BUILD_FUZZ ?= build-fuzz
JOBS       ?= $(shell nproc)
# CI turns warnings into errors; said explicitly either way, so a build folder configured once for CI does not
# keep -Werror (or lose it) silently.
WERROR     := $(if $(CI),ON,OFF)
# ccache keeps its cache outside the checkout, so it outlives a fresh clone. Paths under the checkout are hashed
# relative to it (CCACHE_BASEDIR) and debug info names them relative too, so a clone in another folder (a CI
# runner's) hits the cache as well.
export CCACHE_DIR ?= $(HOME)/.cache/ccache
export CCACHE_BASEDIR ?= $(CURDIR)
CMAKE_FLAGS ?=
CMAKE_FLAGS += -DPEERHUB_WERROR=$(WERROR) "-DCMAKE_CXX_FLAGS=$(CXXFLAGS) -fdebug-prefix-map=$(CURDIR)=."

.PHONY: all install build run test unit asan integration e2e fuzz bench format format-check clean

all: build

install:
	@scripts/install.sh

build: install
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j $(JOBS)

run: build
	$(BUILD)/bin/peerhub --http 127.0.0.1:8080 --web web $(ARGS)

# Unit tests, the same under ASan+UBSan, the integration tests against the real binary, the browser tests (the
# web client in headless Chromium against the real binary), short fuzz runs: one after the other, each timed, with
# a summary of counts and times at the end (scripts/test-stages.sh).
test:
	+@MAKE="$(MAKE)" scripts/test-stages.sh install build format-check unit asan integration e2e fuzz

unit:
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

asan: install
	cmake -S . -B $(BUILD_ASAN) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DPEERHUB_SANITIZE=ON -DPEERHUB_BENCH=OFF $(CMAKE_FLAGS)
	cmake --build $(BUILD_ASAN) -j $(JOBS) --target unit_tests
	cd $(BUILD_ASAN) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --output-on-failure -j $(JOBS)

# In a network namespace with only loopback where the machine allows it (see scripts/integration.sh).
integration: build
	scripts/integration.sh $(abspath $(BUILD))/bin/peerhub

# The web client (web/) served by the binary, in headless Chromium; isolated the same way (see scripts/e2e.sh).
# Screenshots go to tests/e2e/artifacts (E2E_ARTIFACTS).
e2e: build
	scripts/e2e.sh $(abspath $(BUILD))/bin/peerhub

fuzz: install
	CC=clang CXX=clang++ cmake -S . -B $(BUILD_FUZZ) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPEERHUB_FUZZ=ON $(CMAKE_FLAGS)
	cmake --build $(BUILD_FUZZ) -j $(JOBS) --target fuzzers
	scripts/fuzz-smoke.sh $(BUILD_FUZZ) 20

bench: build
	bench/signaling/run.sh $(BUILD)
	bench/turn/run.sh $(BUILD)
	bench/datachannel/run.sh $(BUILD)

format:
	git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

format-check:
	@files=$$(git ls-files '*.cpp' '*.hpp' | wc -l); \
	git ls-files '*.cpp' '*.hpp' | xargs -r clang-format --dry-run --Werror && \
	echo "format-check: $$files files match .clang-format"

clean:
	rm -rf $(BUILD) $(BUILD_ASAN) $(BUILD_FUZZ)
