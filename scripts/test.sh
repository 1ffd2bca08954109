#!/usr/bin/env bash
# test.sh: builds folio and runs every test (unit and integration) with CTest.
# Tests over the real-mail corpus in ../shared/corpus skip with a message when it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh -DFOLIO_WERROR=ON
cd build
ctest --output-on-failure -j"$(nproc)" "$@"
