#!/usr/bin/env bash
# Accuracy against locality for a tabular SENN: where a data set cannot have both (the
# accuracy of logistic regression and a θ(x) that varies by 0.10 or more over the test rows),
# this table shows the trade-off instead of one chosen point. Per number of training epochs
# (no early stopping, the last epoch kept; "default" = the shipped defaults), over seeds:
# mean test accuracy and its worst seed against the logistic-regression baseline of the same
# split, θ variation (median and min over seeds), and SENN's stability L̂ (median over
# POINTS evenly spaced test rows at ε = 0.139, median over seeds).
#   tests/bench/senn_pareto.sh DATA.csv TARGET [BUILD_DIR] [OUT_DIR]
# Environment: SEEDS ("0 1 2 3 4"), EPOCHS ("1 3 10 30 100"), POINTS (20), THREADS (1),
# EXTRA (more `senn train` flags for every run, e.g. "--bias-concept").
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
data="${1:?usage: senn_pareto.sh DATA.csv TARGET [BUILD_DIR] [OUT_DIR]}"
target="${2:?usage: senn_pareto.sh DATA.csv TARGET [BUILD_DIR] [OUT_DIR]}"
build="${3:-$here/build/dev}"
out="${4:-$(mktemp -d)}"
senn="$build/app/senn"
seeds="${SEEDS:-0 1 2 3 4}"
epochs="${EPOCHS:-1 3 10 30 100}"
points="${POINTS:-20}"
threads="${THREADS:-1}"
extra=(${EXTRA:-})
[[ -x "$senn" ]] || { echo "no senn binary at $senn" >&2; exit 1; }
mkdir -p "$out"
for e in default $epochs; do
    for seed in $seeds; do
        tag="e$e-s$seed"
        flags=()
        [[ "$e" == default ]] || flags=(--epochs "$e" --patience 0 --keep last)
        "$senn" train --data "$data" --target "$target" --model senn --seed "$seed" --threads "$threads" \
            "${flags[@]}" "${extra[@]}" --out "$out/$tag.senn" --report "$out/$tag.json" > /dev/null 2>&1
        "$senn" stability --model "$out/$tag.senn" --data "$data" --methods senn --points "$points" --eps 0.139 \
            --threads "$threads" --json "$out/$tag-stab.json" > /dev/null 2>&1
    done
done
python3 - "$out" "$seeds" "default $epochs" "$(basename "$data")" <<'PY'
import json, sys, statistics as st
out, seeds, epochs, name = sys.argv[1], sys.argv[2].split(), sys.argv[3].split(), sys.argv[4]
print(f"{name}, seeds {' '.join(seeds)}")
print("| epochs | mean acc | baseline mean | worst seed vs baseline | θ variation median (min) | L̂ at ε=0.139 (median) | kept epoch (median) |")
print("|---|---|---|---|---|---|---|")
for e in epochs:
    acc, base, tv, lh, kept = [], [], [], [], []
    for s in seeds:
        r = json.load(open(f"{out}/e{e}-s{s}.json"))
        acc.append(r["metrics"]["test_accuracy"]); base.append(r["baseline_accuracy"])
        tv.append(r["metrics"].get("theta_variation", float("nan"))); kept.append(r["best_epoch"])
        stab = json.load(open(f"{out}/e{e}-s{s}-stab.json"))
        lh.append(stab["methods"]["senn"]["median"][0])
    worst = min(a - b for a, b in zip(acc, base))
    print(f"| {e} | {st.mean(acc):.4f} | {st.mean(base):.4f} | {worst*100:+.1f} pts | {st.median(tv):.3f} ({min(tv):.3f}) | {st.median(lh):.4g} | {st.median(kept):.0f} |")
PY
