# The two commands of the README: `make run` and `make test`.
RUN_DIR ?= $(CURDIR)/run
HOST ?= 127.0.0.1
PORT ?= 5000
JOBS ?= $(shell nproc)

.PHONY: run test deps release debug clean format

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

test: debug
	@cd build/debug && ctest --output-on-failure -j$(JOBS) --timeout 1800

format:
	@git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

clean:
	rm -rf build
