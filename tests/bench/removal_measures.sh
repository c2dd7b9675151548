#!/usr/bin/env bash
# Removal measures per method (docs/benchmarks.md): deletion, insertion and ROAD AOPC and the
# robustness measures through `senn faithfulness --measure`, one measure group per run, on a
# model, with the median over points of each measure and the median seconds per point of the
# run (the explanation included; the `removal` run is the reference of explanation + removal
# correlation). Prints a Markdown table.
#
#   tests/bench/removal_measures.sh MODEL DATA METHODS POINTS [BUILD_DIR]
# Environment: THREADS (1), SEED (0), MEASURES (runs, each a --measure list; default "removal deletion insertion road
# ris,ros,avg-sensitivity,max-sensitivity"), SENN
# (the binary; default BUILD_DIR/app/senn).
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
model="$1"; data="$2"; methods="$3"; points="$4"
build="${5:-$here/build/dev}"
senn="${SENN:-$build/app/senn}"
threads="${THREADS:-1}"
seed="${SEED:-0}"
groups="${MEASURES:-removal deletion insertion road ris,ros,avg-sensitivity,max-sensitivity}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
for g in $groups; do
    nice -n 19 "$senn" faithfulness --model "$model" --data "$data" --methods "$methods" --points "$points" \
        --threads "$threads" --seed "$seed" --measure "$g" --json "$out/$g.json" 2>/dev/null
done
python3 - "$out" $groups <<'PY'
import json, statistics, sys
out, groups = sys.argv[1], sys.argv[2:]
shown = {"removal": ["removal_correlation"], "deletion": ["deletion_aopc", "deletion_lerf_aopc"],
         "insertion": ["insertion_auc"], "road": ["road_morf_aopc", "road_lerf_aopc"],
         "ris": ["ris"], "ros": ["ros"], "avg-sensitivity": ["avg_sensitivity"],
         "max-sensitivity": ["max_sensitivity"]}
def ids(run):
    return [c for g in run.split(",") for c in shown.get(g, [])]
runs = {g: json.load(open(f"{out}/{g}.json")) for g in groups}
methods = list(runs[groups[0]]["methods"].keys())
cols = [c for g in groups for c in ids(g)]
def med(v):
    v = [x for x in v if x is not None]
    return statistics.median(v) if v else float("nan")
print("| method | " + " | ".join(cols) + " | " + " | ".join(f"s/point {g.split(',')[0]}" for g in groups) + " |")
print("|---" * (1 + len(cols) + len(groups)) + "|")
for m in methods:
    cells = []
    for g in groups:
        for c in ids(g):
            v = runs[g]["methods"][m]["measures"][c]["median"]
            cells.append(f"{v:.3g}" if v is not None else "n/a")
    secs = [f"{med(runs[g]['timing']['point_seconds'][m]):.3g}" for g in groups]
    print(f"| {m} | " + " | ".join(cells) + " | " + " | ".join(secs) + " |")
PY
