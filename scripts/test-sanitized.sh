#!/usr/bin/env bash
# test-sanitized.sh: builds folio and every test with ASan + UBSan in its own build directory
# and runs the whole suite with CTest; any sanitizer report fails the test that caused it.
#
# Usage: scripts/test-sanitized.sh [--clang] [--suites "a b"] [ctest arguments...]
#
#   --clang         build with clang++ (default g++, the CI compiler); build dir build-asan-clang
#   --suites LIST   build and run only these test binaries (space-separated, e.g.
#                   "ingest_tests query_tests"), with the folio binaries they start;
#                   default: all. .ci/run uses it for the suites that fit in CI's time.
#
# The build directory is build-asan (or build-asan-clang), never ./build, so the normal
# build is left alone. The libraries, the folio binary the integration tests run and
# the tests themselves are all instrumented. LeakSanitizer is on. UBSan errors abort
# (-fno-sanitize-recover) instead of printing and going on.
set -euo pipefail
cd "$(dirname "$0")/.."

compiler=gcc
suites=""
while (($#)); do
  case "$1" in
    --clang) compiler=clang; shift ;;
    --suites) suites="$2"; shift 2 ;;
    *) break ;;
  esac
done

if [[ "$compiler" == clang ]]; then scripts/install-deps.sh clang libclang-rt-dev; else scripts/install-deps.sh; fi
if [[ "$compiler" == clang ]]; then
  dir=build-asan-clang
  # -Wno-unknown-warning-option: the top-level -Wno-restrict is a g++-only flag.
  export CC=clang CXX=clang++
  extra="-fno-sanitize-recover=undefined -Wno-unknown-warning-option"
else
  dir=build-asan
  export CC=gcc CXX=g++
  # g++ 12 gives false -Wmaybe-uninitialized reports inside libstdc++ (<regex>,
  # <functional>) once ASan instruments the code, which -Werror would turn fatal.
  extra="-fno-sanitize-recover=undefined -Wno-maybe-uninitialized"
fi
# -O1 keeps the instrumented suite fast enough while keeping stacks readable.
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFOLIO_SANITIZE=ON -DFOLIO_WERROR=ON \
  "-DCMAKE_CXX_FLAGS=$extra" "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g" >/dev/null
targets=()
filter=()
if [[ -n "$suites" ]]; then
  read -r -a targets <<<"$suites"
  filter=(-R "^($(IFS='|'; echo "${targets[*]}")):")
  targets=(--target "${targets[@]}")
fi
cmake --build "$dir" -j"$(nproc)" "${targets[@]}"

# detect_stack_use_after_return costs little and finds dangling string_views.
export ASAN_OPTIONS="detect_leaks=1:detect_stack_use_after_return=1:strict_string_checks=1:check_initialization_order=1:abort_on_error=0:halt_on_error=1"
# Every folio process the integration tests start pays for ASan's start-up and checks;
# tests that spawn hundreds of them multiply their time budgets by this.
export FOLIO_TEST_SLOWDOWN="${FOLIO_TEST_SLOWDOWN:-4}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$(pwd)/scripts/lsan.supp:print_suppressions=0"
cd "$dir"
ctest --output-on-failure -j"$(nproc)" "${filter[@]}" "$@"
