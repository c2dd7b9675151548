#!/bin/sh
# The CLI on a real scripted torchvision ResNet-18 and 224x224 colour photos (make_resnet.py):
# one method per process, one thread, seconds and peak RSS (/usr/bin/time -v), then the
# per-call cost of saliency against torch autograd's own (saliency_floor.py).
#   tests/bench/resnet_photo.sh [BIN=build/dev/app] [OUT=/tmp/resnet_photo] [INDEX=0] [PART=all|cli|percall|floor]
# floor: the row-hungry explainers in one process against the model's own time for their rows
# (explainer_floor.py).
# KernelSHAP and Shapley run with the reduced budgets of bench_photo.sh (100 coalitions,
# 2 permutations); their defaults need tens of thousands of ResNet rows.
set -e
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BIN=${1:-$ROOT/build/dev/app}
OUT=${2:-/tmp/resnet_photo}
INDEX=${3:-0}
PART=${4:-all}
SENN="$BIN/senn"
PY=/usr/bin/python3
CSV="$ROOT/resources/data/breast-cancer.csv"
[ -x "$SENN" ] || { echo "no $SENN: build the senn target first" >&2; exit 1; }

if ! $PY -c "import torchvision, skimage" 2>/dev/null; then
    apt-get install -y python3-torchvision python3-skimage >/dev/null
fi
[ -f "$OUT/resnet18.pt" ] || $PY "$HERE/make_resnet.py" "$OUT" --csv "$CSV"
M="$OUT/resnet18.pt"
D="$OUT/photos"
export OMP_NUM_THREADS=1

# run NAME COMMAND...: wall seconds and peak RSS of the process, model rows from its JSON.
run() {
    name=$1
    shift
    /usr/bin/time -v "$@" --json "$OUT/$name.json" 2>"$OUT/$name.log" >/dev/null ||
        { echo "$name: failed, see $OUT/$name.log"; return 0; }
    $PY - "$OUT/$name.json" "$OUT/$name.log" "$name" <<'EOF'
import json, re, sys
j = json.load(open(sys.argv[1]))
log = open(sys.argv[2]).read()
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", log).group(1)) / 1024
wall = re.search(r"Elapsed \(wall clock\) time.*: (\S+)", log).group(1)
parts = [float(p) for p in wall.split(":")]
secs = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
if "explanations" in j:
    e = j["explanations"][0]
    rows, inner = e["model_rows"], e["seconds"]
else:
    rows, inner = "", j["seconds"]
print(f"{sys.argv[3]:<28} {inner:8.2f} s  (process {secs:6.1f} s)  rows {rows!s:>6}  peak RSS {rss:6.0f} MB")
EOF
}

if [ "$PART" = all ] || [ "$PART" = cli ]; then
echo "ResNet-18 (torchvision, scripted), $D, index $INDEX, 1 thread"
for m in saliency grad-input integrated-gradients smoothgrad occlusion lime; do
    run "$m" "$SENN" explain --model "$M" --data "$D" --index "$INDEX" --methods "$m"
done
run kernel-shap "$SENN" explain --model "$M" --data "$D" --index "$INDEX" --methods kernel-shap --samples 100
run shapley "$SENN" explain --model "$M" --data "$D" --index "$INDEX" --methods shapley --samples 2
run faithfulness-5 "$SENN" faithfulness --model "$M" --data "$D" --methods saliency --points 5 --threads 1
run stability-2 "$SENN" stability --model "$M" --data "$D" --methods saliency --points 2 --threads 1
fi
[ "$PART" = cli ] && exit 0

if [ "$PART" = floor ]; then
    "$SENN" explain --model "$M" --data "$D" --index "$INDEX" --samples 100 \
        --methods integrated-gradients,smoothgrad,occlusion,kernel-shap 2>/dev/null | $PY -c "
import json, sys
for e in json.load(sys.stdin)['explanations']:
    print(f\"{e['method']:<28} ours  {e['seconds']:8.2f} s  ({e['model_rows']} rows)\")"
    "$SENN" explain --model "$M" --data "$D" --index "$INDEX" --methods lime 2>/dev/null | $PY -c "
import json, sys
e = json.load(sys.stdin)['explanations'][0]
print(f\"{e['method']:<28} ours  {e['seconds']:8.2f} s  ({e['model_rows']} rows)\")"
    $PY "$HERE/explainer_floor.py" "$M"
    exit 0
fi

# Per-call cost of saliency: one process, the first call cold, the next N warm; once with the
# predicted class (an extra forward picks it) and once with --target given, as a Captum caller
# passes it. The floor takes its target outside the timed calls.
percall() {
    label=$1 n=$2
    shift 2
    calls=saliency
    for i in $(seq "$n"); do calls="$calls,saliency"; done
    "$SENN" explain --model "$@" --index 0 --methods "$calls" 2>/dev/null | $PY -c "
import json, statistics, sys
s = [e['seconds'] * 1e3 for e in json.load(sys.stdin)['explanations']]
w = s[1:]
print(f'$label  cold {s[0]:9.2f} ms  warm median {statistics.median(w):9.2f} ms  min {min(w):9.2f} ms  ({len(w)} warm calls)')"
}
percall "MLP, ours            " 100 "$OUT/mlp.pt" --data "$CSV"
percall "MLP, ours --target 1 " 100 "$OUT/mlp.pt" --data "$CSV" --target 1
printf "MLP, torch floor       "
$PY "$HERE/saliency_floor.py" "$OUT/mlp.pt" --csv "$CSV" --calls 100
percall "ResNet, ours         " 20 "$M" --data "$D"
percall "ResNet, ours --target" 20 "$M" --data "$D" --target 1
printf "ResNet, torch floor    "
$PY "$HERE/saliency_floor.py" "$M" --photos "$D" --calls 20
