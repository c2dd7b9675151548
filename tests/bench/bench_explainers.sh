#!/bin/sh
# Builds and runs the explainer benchmark (explainer time vs the batched-forward floor).
# Usage: tests/bench/bench_explainers.sh [BUILD_DIR] [-- bench args, e.g. --stability]
set -e
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-$ROOT/build/bench}
[ $# -gt 0 ] && shift
[ "$1" = "--" ] && shift
[ -f "$BUILD/build.ninja" ] || cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build "$BUILD" --target bench_explainers
"$BUILD/tests/bench_explainers" "$@"
