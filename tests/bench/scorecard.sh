#!/usr/bin/env bash
# The scorecard figures of docs/benchmarks.md: trains an MLP on the breast-cancer table and a CNN
# on the bundled MNIST digits (2 epochs, seed 1), then runs `senn scorecard` with six methods and
# the six default measures on 50 points each, and prints the run's seconds, the seconds per
# (method, point) of each measure and of the explanations, and Kendall's W.
#   tests/bench/scorecard.sh BUILD OUT [THREADS=2] [REPEATS=3]
set -euo pipefail
build="$1"
out="$2"
threads="${3:-2}"
repeats="${4:-3}"
senn="$build/app/senn"
data="$(cd "$(dirname "$0")/../../resources/data" && pwd)"
mkdir -p "$out"
cd "$out"
train() { [[ -f "$1" ]] || nice -n 19 "$senn" train "${@:2}" --seed 1 --out "$1" > /dev/null 2>&1; }
train mlp-bc.senn --data "$data/breast-cancer.csv" --model mlp
train cnn-mnist.senn --data "$data/mnist-10k" --model cnn --epochs 2
methods=saliency,grad-input,integrated-gradients,smoothgrad,occlusion,lime
run() {
    local name="$1" n="$2"
    shift 2
    for i in $(seq 1 "$n"); do
        nice -n 19 "$senn" scorecard "$@" --methods "$methods" --points 50 --seed 0 \
            --threads "$threads" --json "scorecard-$name-$i.json" 2> /dev/null
        python3 - "scorecard-$name-$i.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
pairs = sum(c["points_done"] for c in j["cells"].values())
t = j["timing"]
per = ", ".join(f'{m["id"]} {t["measure_seconds"][m["id"]] / pairs:.3g}' for m in j["measures"])
print(f'{sys.argv[1]}: {t["seconds"]:.1f} s, threads {t["threads"]}, explanations '
      f'{t["explain_seconds"] / pairs:.3g} s per pair; {per}; W {j["agreement"]["kendall_w"]:.2f}')
PY
    done
}
run breast-cancer "$repeats" --model mlp-bc.senn --data "$data/breast-cancer.csv"
run mnist 1 --model cnn-mnist.senn --data "$data/mnist-10k"
