#!/usr/bin/env bash
# `senn sanity` known answers through the real binary on a small breast-cancer MLP: the steps
# are "original" and the MLP's layers from the output down (its linear skip first), the edge-detector control stays at
# exactly 1 in every measure, the random logit is reported, the figure is written, and an
# unknown method or a refused model exits with 2 naming the problem.
#   sanity_json.sh SENN_BINARY DATA_DIR
set -euo pipefail
senn="$1"
data="$2/breast-cancer.csv"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$senn" train --data "$data" --target diagnosis --model mlp --epochs 3 --limit 160 --threads 1 \
    --out "$tmp/m.senn" > /dev/null 2>&1
"$senn" sanity --model "$tmp/m.senn" --data "$data" --methods saliency,edge-detector --points 4 \
    --random-logit --threads 1 --json "$tmp/s.json" --figure "$tmp/s.png" > /dev/null 2>&1 \
    || fail "senn sanity failed"
tr -d ' \n' < "$tmp/s.json" > "$tmp/s.min.json"
grep -q '"steps":\["original","skip","fc2","fc1","fc0"\]' "$tmp/s.min.json" || fail "steps: $(grep -o '"steps":\[[^]]*\]' "$tmp/s.min.json")"
# The control: every median of every measure is 1 at each of the 5 steps (SSIM: null on tables).
for m in spearman_abs spearman cosine; do
    grep -q "\"edge-detector\":{.*\"$m\":{\"median\":\[1.0,1.0,1.0,1.0,1.0\]" "$tmp/s.min.json" \
        || fail "edge-detector $m is not 1 at every step"
done
grep -q '"random_logit":{"targets":\[' "$tmp/s.min.json" || fail "no random-logit targets"
[[ -s "$tmp/s.png" ]] || fail "no figure"

set +e
"$senn" sanity --model "$tmp/m.senn" --data "$data" --methods gradient-of-nothing > /dev/null 2> "$tmp/err"
code=$?
set -e
[[ $code -eq 2 ]] || fail "an unknown method exited with $code"
grep -q 'edge-detector' "$tmp/err" || fail "the message does not offer the control: $(cat "$tmp/err")"
echo "sanity_json: ok"
