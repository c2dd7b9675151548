#!/usr/bin/env bash
# `senn explain --seed-runs` through the real binary: --seed-runs 1 writes what no flag writes
# (but for the seconds each method took); 4 seeds give LIME an interval per value that holds
# its value's order statistics and an order agreement per feature, while saliency (nothing
# random) says seed_runs 1 without intervals; 0, 1001 and --all with seeds exit with 2.
#   seed_runs_json.sh SENN_BINARY DATA_DIR
set -euo pipefail
senn="$1"
data="$2/breast-cancer.csv"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$senn" ground-truth --make linear --model "$tmp/lin.pt" --data "$data" --methods saliency \
    --points 1 --json "$tmp/g.json" > /dev/null 2>&1 || fail "senn ground-truth --make failed"
common=(--model "$tmp/lin.pt" --data "$data" --index 3 --methods lime,saliency --samples 200 --seed 7)
"$senn" explain "${common[@]}" --json "$tmp/plain.json" > /dev/null 2>&1 || fail "explain failed"
"$senn" explain "${common[@]}" --seed-runs 1 --json "$tmp/one.json" > /dev/null 2>&1 || fail "explain --seed-runs 1 failed"
"$senn" explain "${common[@]}" --seed-runs 4 --json "$tmp/four.json" > /dev/null 2>&1 || fail "explain --seed-runs 4 failed"

python3 - "$tmp" <<'PY' || fail "JSON check"
import json, sys
d = sys.argv[1]
def load(name):
    j = json.load(open(f"{d}/{name}"))
    for e in j["explanations"]:
        e.pop("seconds")
    return j
plain, one, four = load("plain.json"), load("one.json"), load("four.json")
assert plain == one, "--seed-runs 1 differs from no flag"
lime, sal = four["explanations"]
assert lime["method"] == "lime" and lime["seed_runs"] == 4, lime.get("seed_runs")
assert lime["values"] == plain["explanations"][0]["values"], "run 0 is not the plain LIME"
n = len(lime["values"])
assert len(lime["interval_low"]) == n and len(lime["interval_high"]) == n and len(lime["order_agreement"]) == n
assert all(lo < hi for lo, hi in zip(lime["interval_low"], lime["interval_high"])), "a LIME interval of width 0"
agree = [a for a in lime["order_agreement"] if a is not None]
assert len(agree) == n - 1, "order agreement: one null (the last-ranked feature) expected"
assert all(a in (0.0, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875, 1.0) for a in agree), agree
assert lime["model_rows"] == 4 * plain["explanations"][0]["model_rows"]
assert sal["seed_runs"] == 1 and "interval_low" not in sal and "order_agreement" not in sal
assert "seed_runs" not in plain["explanations"][0]
PY

for bad in "--seed-runs 0" "--seed-runs 1001"; do
    set +e
    # shellcheck disable=SC2086
    "$senn" explain "${common[@]}" $bad > /dev/null 2> "$tmp/err"
    code=$?
    set -e
    [[ $code -eq 2 ]] || fail "$bad exited with $code"
done
set +e
"$senn" explain --model "$tmp/lin.pt" --data "$data" --all --methods lime --seed-runs 3 --npy "$tmp/all" > /dev/null 2> "$tmp/err"
code=$?
set -e
[[ $code -eq 2 ]] || fail "--all --seed-runs 3 exited with $code"
grep -q -- '--seed-runs goes with one example' "$tmp/err" || fail "message: $(cat "$tmp/err")"
echo "seed_runs_json: ok"
