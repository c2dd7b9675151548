#!/bin/sh
# Memory and time of every post-hoc method on 224x224 colour photos with a ResNet-18-sized
# network (bench_photo: one process per method, so each peak RSS is that method's).
#   tests/bench/bench_photo.sh [BUILD] [-- extra bench_photo arguments]
# KernelSHAP and Shapley run with reduced budgets (100 coalitions, 2 permutations): at their
# defaults (2,108 coalitions x 10 background rows; 100 permutations) a ResNet-18 needs tens of
# minutes on 2 cores. Their memory does not grow with the row count (rows go in chunks).
set -e
BUILD=${1:-build/dev}
[ $# -gt 0 ] && shift
[ "$1" = "--" ] && shift
BIN="$BUILD/tests/bench_photo"
[ -x "$BIN" ] || { echo "build bench_photo first: cmake --build $BUILD --target bench_photo" >&2; exit 1; }
for m in saliency grad-input integrated-gradients smoothgrad occlusion lime; do
    "$BIN" --method "$m" "$@" | tail -n 1
done
"$BIN" --method kernel-shap --samples 100 "$@" | tail -n 1
"$BIN" --method shapley --permutations 2 "$@" | tail -n 1
"$BIN" --method saliency --faithfulness 5 --stability 2 "$@" | tail -n 3
"$BIN" --method occlusion --faithfulness 5 "$@" | tail -n 2
