#!/usr/bin/env bash
# The whole test suite: a release build under ctest, valgrind on a few runs
# of it, then the same tests in a build with AddressSanitizer and
# UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs"
(cd build && ctest --output-on-failure -j"$jobs")
# memcheck on a few representative runs of the release binary
./tests/valgrind.sh build
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DPROVSIM_SANITIZE=ON >/dev/null
cmake --build build-asan -j"$jobs"
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j"$jobs")
