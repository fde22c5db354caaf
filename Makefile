# The two commands of the README: `make run` and `make test`.
RUN_DIR ?= $(CURDIR)/run
HOST ?= 127.0.0.1
PORT ?= 5000
JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 300

.PHONY: run test deps release debug clean format fuzz fuzz-build

deps:
	@scripts/install-deps

release: deps
	@cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
	@ninja -C build/release -j$(JOBS) kallithea

debug: deps
	@cmake -S . -B build/debug -G Ninja -DCMAKE_BUILD_TYPE=Debug -DKALLITHEA_SANITIZE=ON -DKALLITHEA_TEST_ROUTES=ON >/dev/null
	@ninja -C build/debug -j$(JOBS)

run: release
	@scripts/run-server build/release/src/app/kallithea "$(RUN_DIR)" "$(HOST)" "$(PORT)"

test: debug fuzz-build
	@cd build/debug && ctest --output-on-failure -j$(JOBS) --timeout 1800
	@cd build/fuzz && ctest --output-on-failure -j$(JOBS) --timeout 300

# The libFuzzer targets of fuzz/ (clang, ASan + UBSan); `make test` runs each briefly.
fuzz-build: deps
	@cmake -S . -B build/fuzz -G Ninja -DCMAKE_BUILD_TYPE=Debug -DKALLITHEA_FUZZ=ON \
	  -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang >/dev/null
	@ninja -C build/fuzz -j$(JOBS)

# Each target for FUZZ_SECONDS ($(JOBS) at a time), growing build/fuzz/corpus/NAME; a crash
# stops its target and leaves the input in build/fuzz/crashes/ (logs: build/fuzz/NAME.log).
fuzz: fuzz-build
	@ls build/fuzz/fuzz | grep -x 'fuzz_[a-z_]*' | sed 's/^fuzz_//' | xargs -P$(JOBS) -I{} sh -c \
	  'echo "fuzz: {} for $(FUZZ_SECONDS) s"; scripts/run-fuzz long build/fuzz/fuzz/fuzz_{} \
	     fuzz/corpus/{} build/fuzz $(FUZZ_SECONDS) >build/fuzz/{}.log 2>&1 \
	   || { tail -30 build/fuzz/{}.log; echo "fuzz: {} FAILED"; exit 1; }'

format:
	@git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

clean:
	rm -rf build
