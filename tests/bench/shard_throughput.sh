#!/usr/bin/env bash
# Points per second per core of each method, the figure that sizes a sharded run: stability
# (default ε grid) and faithfulness on bundled breast cancer and MNIST, one process, one point
# at a time on one LibTorch thread (--threads 1, OMP_NUM_THREADS=1). Each method's rate is its
# points over the seconds its points took (timing.point_seconds). Not a test; see
# tests/bench/README.md.
#   tests/bench/shard_throughput.sh BUILD_DIR OUT_DIR [BC_POINTS] [MNIST_POINTS]
#     SENN_BIN: the senn binary to run (default BUILD_DIR/app/senn)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${1:?usage: shard_throughput.sh BUILD_DIR OUT_DIR [BC_POINTS] [MNIST_POINTS]}"
out="${2:?usage: shard_throughput.sh BUILD_DIR OUT_DIR [BC_POINTS] [MNIST_POINTS]}"
bcPoints="${3:-10}"
mnistPoints="${4:-4}"
senn="${SENN_BIN:-$build/app/senn}"
[ -x "$senn" ] || { echo "senn not built in $build" >&2; exit 2; }
mkdir -p "$out"
export OMP_NUM_THREADS=1
bc="$here/resources/data/breast-cancer.csv"
mnist="$here/resources/data/mnist-10k"
[ -f "$out/bc.senn" ] || "$senn" train --data "$bc" --target diagnosis --out "$out/bc.senn" --epochs 10 --threads 1 >&2
[ -f "$out/mnist.senn" ] || "$senn" train --data "$mnist" --out "$out/mnist.senn" --epochs 1 --limit 3000 --threads 1 >&2

rates() { # label json: one line per method
  python3 - "$1" "$2" <<'PY'
import json, sys
label, path = sys.argv[1], sys.argv[2]
j = json.load(open(path))
for m, secs in sorted(j["timing"]["point_seconds"].items()):
    s = sum(x for x in secs if x is not None)
    print(f"{label:<22} {m:<22} points {len(secs):3d}  seconds {s:8.2f}  points/s/core {len(secs) / s:9.3f}")
PY
}

"$senn" stability --model "$out/bc.senn" --data "$bc" --methods senn,lime,kernel-shap,saliency,integrated-gradients \
    --points "$bcPoints" --threads 1 --json "$out/bc-stability.json" 2> /dev/null
rates bc-stability "$out/bc-stability.json"
"$senn" faithfulness --model "$out/bc.senn" --data "$bc" --methods senn,lime,kernel-shap,saliency,integrated-gradients \
    --points 50 --threads 1 --json "$out/bc-faithfulness.json" 2> /dev/null
rates bc-faithfulness "$out/bc-faithfulness.json"
"$senn" stability --model "$out/mnist.senn" --data "$mnist" --methods senn,lime,saliency,integrated-gradients,smoothgrad \
    --points "$mnistPoints" --threads 1 --json "$out/mnist-stability.json" 2> /dev/null
rates mnist-stability "$out/mnist-stability.json"
"$senn" faithfulness --model "$out/mnist.senn" --data "$mnist" --methods senn,lime,saliency,integrated-gradients,smoothgrad \
    --points 20 --threads 1 --json "$out/mnist-faithfulness.json" 2> /dev/null
rates mnist-faithfulness "$out/mnist-faithfulness.json"
