# The two commands: `make run` and `make test`. Everything else is a step they use.
BUILD      ?= build
BUILD_ASAN ?= build-asan
BUILD_FUZZ ?= build-fuzz
JOBS       ?= $(shell nproc)
CMAKE_FLAGS ?=
ifdef CI
CMAKE_FLAGS += -DPEERHUB_WERROR=ON
endif
export CCACHE_DIR ?= $(HOME)/.cache/ccache

.PHONY: all install build run test unit asan integration fuzz bench format format-check clean

all: build

install:
	@scripts/install.sh

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS)

build: install $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

run: build
	$(BUILD)/bin/peerhub --http 127.0.0.1:8080 --web web $(ARGS)

# Unit tests, the same under ASan+UBSan, the integration tests against the real binary, short fuzz runs.
test: build format-check unit asan integration fuzz

unit:
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

asan: install
	cmake -S . -B $(BUILD_ASAN) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DPEERHUB_SANITIZE=ON -DPEERHUB_BENCH=OFF $(CMAKE_FLAGS)
	cmake --build $(BUILD_ASAN) -j $(JOBS) --target unit_tests
	cd $(BUILD_ASAN) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j $(JOBS)

integration: build
	cd tests/e2e && PEERHUB_BIN=$(abspath $(BUILD))/bin/peerhub node --test --test-concurrency=1 integration/

fuzz: install
	CC=clang CXX=clang++ cmake -S . -B $(BUILD_FUZZ) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPEERHUB_FUZZ=ON
	cmake --build $(BUILD_FUZZ) -j $(JOBS)
	scripts/fuzz-smoke.sh $(BUILD_FUZZ) 20

bench: build
	bench/signaling/run.sh $(BUILD)

format:
	git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

format-check:
	@git ls-files '*.cpp' '*.hpp' | xargs -r clang-format --dry-run --Werror

clean:
	rm -rf $(BUILD) $(BUILD_ASAN) $(BUILD_FUZZ)
