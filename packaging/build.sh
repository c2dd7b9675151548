#!/usr/bin/env bash
# Configures (once) and builds the given preset (default: dev). Used by run.sh and test.sh.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
preset="${1:-dev}"
cd "$here"
if [ ! -f "build/$preset/build.ninja" ]; then
  cmake --preset "$preset" >/dev/null
fi
jobs="${SENN_BUILD_JOBS:-$(nproc)}"
cmake --build --preset "$preset" -j "$jobs"
