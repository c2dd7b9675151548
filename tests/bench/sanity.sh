#!/usr/bin/env bash
# The sanity-check figures of docs/benchmarks.md: trains a CNN and a SENN on the bundled MNIST
# digits and an MLP and a SENN on the breast-cancer table, then runs `senn sanity` (cascading,
# random logit) with every method that applies and prints each run's wall seconds; on the CNN
# also the data randomisation (3 epochs on permuted labels) with the gradient methods.
#   tests/bench/sanity.sh BUILD OUT [THREADS=2]
# Shapley on 784 pixels runs on 2 points only (its own line): a permutation estimate per pixel
# at every step is the run's cost.
set -euo pipefail
build="$1"
out="$2"
threads="${3:-2}"
senn="$build/app/senn"
data="$(cd "$(dirname "$0")/../../resources/data" && pwd)"
mkdir -p "$out"
cd "$out"
train() { [[ -f "$1" ]] || nice -n 19 "$senn" train "${@:2}" --threads "$threads" --out "$1" > /dev/null 2>&1; }
train cnn-mnist.senn --data "$data/mnist-10k" --model cnn --epochs 3
train senn-mnist.senn --data "$data/mnist-10k" --model senn --epochs 3 --penalty fast
train mlp-bc.senn --data "$data/breast-cancer.csv" --model mlp
train senn-bc.senn --data "$data/breast-cancer.csv" --model senn
images=saliency,grad-input,integrated-gradients,smoothgrad,occlusion,lime,kernel-shap,edge-detector
tables=saliency,grad-input,integrated-gradients,smoothgrad,occlusion,lime,kernel-shap,shapley,edge-detector
run() {
    local name="$1"
    shift
    /usr/bin/time -f "$name: %e s wall, %M KB peak" nice -n 19 "$senn" sanity "$@" --random-logit \
        --threads "$threads" --json "sanity-$name.json" --figure "sanity-$name.png" 2>&1 | grep -E ' s wall|senn: '
}
run cnn-mnist --model cnn-mnist.senn --data "$data/mnist-10k" --points 10 --methods "$images"
run cnn-mnist-shapley --model cnn-mnist.senn --data "$data/mnist-10k" --points 2 --methods shapley
run cnn-mnist-permuted --model cnn-mnist.senn --data "$data/mnist-10k" --points 10 \
    --methods saliency,grad-input,integrated-gradients,smoothgrad,edge-detector --data-randomisation --epochs 3
run senn-mnist --model senn-mnist.senn --data "$data/mnist-10k" --points 10 --methods "senn,$images"
run mlp-bc --model mlp-bc.senn --data "$data/breast-cancer.csv" --points 20 --methods "$tables"
run senn-bc --model senn-bc.senn --data "$data/breast-cancer.csv" --points 20 --methods "senn,$tables"
