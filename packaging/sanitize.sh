#!/usr/bin/env bash
# The whole CTest suite under AddressSanitizer + UndefinedBehaviorSanitizer.
# Builds the `asan` preset (build/asan: -O1 -g, -fsanitize=address,undefined) and runs every
# test with the options below: any heap/stack error, leak of our own code or undefined behaviour
# fails the test that caused it. Leaks inside system libraries (fontconfig, Qt's plugin loader,
# LibTorch's static registries) are listed, with their reasons, in packaging/lsan.supp.
#
#   packaging/sanitize.sh                 build + whole suite
#   packaging/sanitize.sh --core          build only the tests without the GUI (target core_tests)
#                                         and run them (ctest -L core): what CI runs
#   packaging/sanitize.sh -R 'test_data'  build + the tests matching a regex (any ctest options)
#   SENN_SANITIZE_NO_INSTALL=1 packaging/sanitize.sh   skip the apt-get check
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[ "${SENN_SANITIZE_NO_INSTALL:-0}" = 1 ] || "$here/packaging/install-deps.sh"
core=0
if [ "${1:-}" = --core ]; then
  core=1
  shift
fi
cd "$here"
if [ "$core" = 1 ]; then
  [ -f build/asan/build.ninja ] || cmake --preset asan >/dev/null
  cmake --build --preset asan -j "${SENN_BUILD_JOBS:-$(nproc)}" --target core_tests
  set -- -L core "$@"
else
  "$here/packaging/build.sh" asan
fi
# halt_on_error: the first report ends the process, so the test fails at the bug.
# detect_odr_violation=0: LibTorch's and OpenCV's shared libraries define some globals twice
# (their own packaging, not our code); ASan would stop at load time before any test runs.
export ASAN_OPTIONS="halt_on_error=1:abort_on_error=0:detect_leaks=1:detect_odr_violation=0:strict_init_order=1:check_initialization_order=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
export LSAN_OPTIONS="suppressions=$here/packaging/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
ctest --preset asan -j "${SENN_TEST_JOBS:-2}" "$@"
