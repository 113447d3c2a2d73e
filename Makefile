# tuxnet: `make demo` and `make test` are the two commands (see README.md).
BUILD      ?= build
ASAN_BUILD ?= build-asan
TSAN_BUILD ?= build-tsan
FUZZ_BUILD ?= build-fuzz
PREFIX     ?= /usr/local
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_ARGS ?=
CTEST_ARGS  = --output-on-failure -j$(JOBS)

.PHONY: all deps build asan tsan fuzz-build test test-fast test-asan test-tsan \
        fuzz-smoke fuzz demo install clean bench bench-quick bench-build

all: build

deps:
	@bash scripts/deps.sh

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_ARGS) >/dev/null
	@cmake --build $(BUILD) -j$(JOBS)

asan: deps
	@cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DTN_SANITIZE=address,undefined >/dev/null
	@cmake --build $(ASAN_BUILD) -j$(JOBS)

tsan: deps
	@cmake -S . -B $(TSAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DTN_SANITIZE=thread \
	       -DCMAKE_C_COMPILER=clang >/dev/null
	@cmake --build $(TSAN_BUILD) -j$(JOBS) --target threads_tests

# Only the fuzzers: the instrumented library and the fuzz_* programs.
fuzz-build: deps
	@cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=Debug -DTN_FUZZ=ON \
	       -DCMAKE_C_COMPILER=clang >/dev/null
	@cmake --build $(FUZZ_BUILD) -j$(JOBS) --target fuzzers

test-asan: asan
	@echo "== unit tests under ASan+UBSan"
	@cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	   UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest -L unit $(CTEST_ARGS)

test-tsan: tsan
	@echo "== threaded tests under TSan"
	@cd $(TSAN_BUILD) && TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
	   ctest -L threads $(CTEST_ARGS)

fuzz-smoke: fuzz-build
	@echo "== fuzz smoke"
	@bash fuzz/run.sh $(FUZZ_BUILD) smoke

fuzz: fuzz-build
	@bash fuzz/run.sh $(FUZZ_BUILD) long

# Everything, in this order: unit tests under ASan+UBSan, threaded tests
# under TSan, the fuzz smoke, then the main build's CTest run. Every stage
# runs even if an earlier one failed, the failures are named before the last
# stage, and the output ends with CTest's summary of the main build; the exit
# status is non-zero if any stage failed.
test: deps
	@failed=""; \
	for stage in test-asan test-tsan fuzz-smoke; do \
		$(MAKE) --no-print-directory $$stage || failed="$$failed $$stage"; \
	done; \
	$(MAKE) --no-print-directory build || { echo "== FAILED:$$failed build"; exit 1; }; \
	if [ -n "$$failed" ]; then echo "== FAILED before the main run:$$failed"; fi; \
	echo "== all tests"; \
	cd $(BUILD) && ctest $(CTEST_ARGS); rc=$$?; \
	[ $$rc -eq 0 ] && [ -z "$$failed" ]

test-fast: build
	@cd $(BUILD) && ctest $(CTEST_ARGS)

demo: build
	@./$(BUILD)/tuxnet demo

install: build
	@cmake --install $(BUILD) --prefix $(PREFIX)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(TSAN_BUILD) $(FUZZ_BUILD)

# Benchmarks beside the Linux kernel (bench/run.sh, docs/performance.md):
# the library in BENCH_BUILD (RelWithDebInfo), the bench programs in
# BENCH_BUILD/bench, iperf3 for Linux's bulk figures. Linux's side needs root
# (it runs between network namespaces the script creates and removes).
# BENCH_LIB_CFLAGS adds compiler flags for the benchmark's build of the
# library (e.g. -march=native); bench/ itself is always -Werror.
BENCH_BUILD      ?= build-bench
BENCH_LIB_CFLAGS ?=
BENCH_ARGS       ?=

bench-build: deps
	@bash scripts/deps.sh bench
	@cmake -S . -B $(BENCH_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	       "-DCMAKE_C_FLAGS=$(BENCH_LIB_CFLAGS)" >/dev/null
	@cmake --build $(BENCH_BUILD) -j$(JOBS) --target tuxnet_static tuxnet
	@cmake -S bench -B $(BENCH_BUILD)/bench -DTN_LIB_DIR=$(abspath $(BENCH_BUILD)) >/dev/null
	@cmake --build $(BENCH_BUILD)/bench -j$(JOBS)

bench: bench-build
	@bash bench/run.sh $(BENCH_ARGS) $(BENCH_BUILD)

bench-quick: bench-build
	@bash bench/run.sh --quick $(BENCH_ARGS) $(BENCH_BUILD)
