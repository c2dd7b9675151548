#!/usr/bin/env bash
# `senn faithfulness --measure` through the real binary on a small breast-cancer MLP: the JSON
# holds the asked measures by id (MoRF − LeRF equal to the difference of the two AOPCs), ROAD's
# noise follows the point's row so two shards merge to the unsharded run byte for byte, the
# figure is still drawn, and an unknown measure exits with 2 naming the valid ones.
#   faithfulness_measures.sh SENN_BINARY DATA_DIR
set -euo pipefail
senn="$1"
data="$2/breast-cancer.csv"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
fail() { echo "FAIL: $*" >&2; exit 1; }
untimed() { python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); j.pop("timing",None); print(json.dumps(j,sort_keys=True))' "$1"; }

"$senn" train --data "$data" --model mlp --epochs 3 --limit 160 --seed 1 --threads 1 --out m.senn > /dev/null 2>&1
run=(faithfulness --model m.senn --data "$data" --methods saliency,grad-input --points 6
     --measure deletion,road,ris,avg-sensitivity)
"$senn" "${run[@]}" --threads 2 --json full.json --figure f.png > /dev/null 2>&1 || fail "senn faithfulness failed"
[[ -s f.png ]] || fail "no figure"
python3 - full.json <<'PY' || fail "measures"
import json, math, sys
j = json.load(open(sys.argv[1]))
for method, m in j["methods"].items():
    ms = m["measures"]
    for id in ["deletion_aopc", "deletion_lerf_aopc", "deletion_aopc_diff", "road_morf_aopc", "road_lerf_aopc",
               "ris", "avg_sensitivity"]:
        v = ms[id]["per_point"]
        assert len(v) == 6 and all(x is not None and math.isfinite(x) for x in v), (method, id, v)
    for id in ["insertion_auc", "ros", "max_sensitivity"]:
        assert id not in ms, (method, id)
    for a, b, d in zip(ms["deletion_aopc"]["per_point"], ms["deletion_lerf_aopc"]["per_point"],
                       ms["deletion_aopc_diff"]["per_point"]):
        assert abs((a - b) - d) < 1e-9, (method, a, b, d)
# Saliency explains the same class everywhere in a tiny ball: average sensitivity is small but set.
assert j["methods"]["saliency"]["measures"]["avg_sensitivity"]["median"] >= 0
PY
for k in 1 2; do
    "$senn" "${run[@]}" --threads 1 --shard "$k/2" --json "s$k.json" > /dev/null 2>&1 || fail "shard $k"
done
"$senn" merge merged.json s1.json s2.json > /dev/null 2>&1 || fail "merge"
cmp <(untimed full.json) <(untimed merged.json) || fail "two shards differ from the unsharded run"

set +e
"$senn" faithfulness --model m.senn --data "$data" --methods saliency --measure deletion,aopc > /dev/null 2> err.txt
code=$?
set -e
[[ $code -eq 2 ]] || fail "an unknown measure exited with $code"
grep -q "avg-sensitivity" err.txt || fail "the message does not list the measures: $(cat err.txt)"
echo "faithfulness_measures: ok"
