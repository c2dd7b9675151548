#!/usr/bin/env bash
# The README's test command: installs what a fresh Debian 12 machine lacks, builds, runs the
# whole CTest suite (the one-node Slurm test last, alone), then the fuzzers for a minute each,
# then the GUI-free tests under the sanitizers. Exits non-zero when anything fails.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$here/packaging/install-deps.sh"
"$here/packaging/build.sh" dev
cd "$here"
ctest --preset dev -j "${SENN_TEST_JOBS:-2}" -LE slurm "$@"
# Then the Slurm test alone (label "slurm", packaging/slurm_test.sh): a one-node cluster of its
# own runs `senn slurm`'s array and merge against an unsharded run. It needs root (skipped
# otherwise, and with SENN_SLURM=0); extra arguments (e.g. -R NAME) select within it too.
if [ "${SENN_SLURM:-1}" != 0 ]; then
  ctest --preset dev -L slurm --no-tests=ignore "$@"
fi
# Then each libFuzzer harness (CSV, IDX, .npy, image folder, session, message text) for
# SENN_FUZZ_SECONDS (default 60; 0 skips), seeded with tests/fuzz/corpus: any crash, leak,
# sanitizer report, timeout or out-of-memory fails the run.
fuzz_seconds="${SENN_FUZZ_SECONDS:-60}"
if [ "$fuzz_seconds" != 0 ]; then
  "$here/tests/fuzz/run.sh" "$fuzz_seconds"
fi
# Then the tests without the GUI (ctest -L core: data, explainers, metrics, models, FLINT, RRR,
# the CLI) under AddressSanitizer + UndefinedBehaviorSanitizer in build/asan (about
# 10 minutes on 2 cores, docs/testing.md). SENN_SANITIZE=0 skips it; the whole suite:
# packaging/sanitize.sh.
if [ "${SENN_SANITIZE:-1}" != 0 ]; then
  SENN_SANITIZE_NO_INSTALL=1 "$here/packaging/sanitize.sh" --core
fi
