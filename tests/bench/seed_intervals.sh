#!/usr/bin/env bash
# Intervals over seeds (docs/benchmarks.md): trains the breast-cancer MLP (seed 1, as the
# scorecard's), explains test examples 0..POINTS-1 with LIME, KernelSHAP and SmoothGrad at their
# default samples over SEEDS seeds (senn explain --seed-runs), and prints per method the median
# relative interval width (the median over the 30 features of (97.5% - 2.5% quantile) / max
# |value|, as the app's caption), its median and range over the points, the share of adjacent
# pairs whose order is not significant (agreement < 0.95) and the seconds per explanation.
#
#   tests/bench/seed_intervals.sh [BUILD_DIR] [OUT_DIR]
# Environment: POINTS (10), SEEDS (10), OUTPUT (logit).
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-$here/build/dev}"
out="${2:-$(mktemp -d)}"
senn="$build/app/senn"
data="$here/resources/data/breast-cancer.csv"
points="${POINTS:-10}"
seeds="${SEEDS:-10}"
output="${OUTPUT:-logit}"
[[ -x "$senn" ]] || { echo "no senn binary at $senn: build the 'senn' target first" >&2; exit 1; }
mkdir -p "$out"
[[ -f "$out/mlp-bc.senn" ]] || nice -n 19 "$senn" train --data "$data" --model mlp --seed 1 \
    --out "$out/mlp-bc.senn" > /dev/null 2>&1
for ((i = 0; i < points; ++i)); do
    nice -n 19 "$senn" explain --model "$out/mlp-bc.senn" --data "$data" --index "$i" --output "$output" \
        --methods lime,kernel-shap,smoothgrad --seed-runs "$seeds" --json "$out/point-$i.json" > /dev/null 2>&1
done

/usr/bin/python3 - "$out" "$points" "$seeds" "$output" <<'PY'
import json, statistics, sys
out, points, seeds, output = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
rows = {}
for i in range(points):
    for e in json.load(open(f"{out}/point-{i}.json"))["explanations"]:
        scale = max(abs(v) for v in e["values"])
        widths = sorted(h - l for l, h in zip(e["interval_low"], e["interval_high"]))
        rel = statistics.median(widths) / scale if scale > 0 else 0.0
        agree = [a for a in e["order_agreement"] if a is not None]
        r = rows.setdefault(e["label"], {"rel": [], "loose": [], "sec": []})
        r["rel"].append(rel)
        r["loose"].append(sum(a < 0.95 for a in agree) / len(agree))
        r["sec"].append(e["seconds"] / e["seed_runs"])
print(f"Breast-cancer MLP, test examples 0..{points - 1}, {seeds} seeds, default samples, {output}\n")
print("| method | median relative width | range over points | pairs not significant | s per run |")
print("|---|---|---|---|---|")
for name, r in rows.items():
    print(f"| {name} | {statistics.median(r['rel']):.2g} | {min(r['rel']):.2g}–{max(r['rel']):.2g} "
          f"| {statistics.median(r['loose']):.0%} | {statistics.median(r['sec']):.3f} |")
PY
