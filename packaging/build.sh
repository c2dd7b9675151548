#!/usr/bin/env bash
# Configures (once) and builds the given preset (default: dev). Used by run.sh and test.sh.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
preset="${1:-dev}"
cd "$here"
# A build from scratch needs room: build/dev measured 5.7 GB (2026-12-01; 25 test binaries of
# about 160 MB, each linking core and ui with debug info), the asan core tests about 3 GB more.
# Said before the first compiler run, so that a full disk reads as a full disk (a CI run once
# stopped at step 11 of 227 with "No space left on device").
if [ ! -f "build/$preset/.ninja_log" ]; then
  need_mb=6000
  [ "$preset" = dev ] || need_mb=3500
  avail_mb=$(df -Pm "$here" | awk 'NR == 2 { print $4 }')
  if [ -n "$avail_mb" ] && [ "$avail_mb" -lt "$need_mb" ]; then
    echo "build.sh: warning: ${avail_mb} MB free under $here; a '$preset' build from scratch needs about ${need_mb} MB" >&2
  fi
fi
if [ ! -f "build/$preset/build.ninja" ]; then
  cmake --preset "$preset" >/dev/null
fi
jobs="${SENN_BUILD_JOBS:-$(nproc)}"
cmake --build --preset "$preset" -j "$jobs"
