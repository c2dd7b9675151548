#!/usr/bin/env bash
# `senn ground-truth` and `senn explain`'s localisation through the real binary: on the linear
# unit model the gradient family and occlusion put exactly nothing outside the five relevant
# columns, LIME is scored on every point, a .npy mask on one ignored column gets no mass, and
# --mask decoy on a table exits with 2 naming the problem.
#   ground_truth_json.sh SENN_BINARY DATA_DIR
set -euo pipefail
senn="$1"
data="$2/breast-cancer.csv"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$senn" ground-truth --make linear --model "$tmp/lin.pt" --data "$data" --methods saliency,occlusion,lime \
    --points 5 --json "$tmp/g.json" > /dev/null 2>&1 || fail "senn ground-truth --make failed"
tr -d ' \n' < "$tmp/g.json" > "$tmp/g.min.json"
grep -q '"truth":{"description":"Logitslinearin5of30columns' "$tmp/g.min.json" || fail "truth: $(grep -o '"truth":{[^}]*}' "$tmp/g.min.json")"
for m in saliency occlusion; do
    grep -q "\"method\":\"$m\",.*\"irrelevant_mass\":{\"max\":0.0,\"mean\":0.0,\"median\":0.0,\"n\":5}" "$tmp/g.min.json" \
        || fail "$m: irrelevant mass is not exactly 0 on every point"
done
grep -q '"method":"lime",.*"irrelevant_mass":{"max":[0-9.e-]*,"mean":[0-9.e-]*,"median":[0-9.e-]*,"n":5}' "$tmp/g.min.json" \
    || fail "LIME is not scored on 5 points"

# senn explain: the model's own truth, then a mask file on column 0 (not one of the five).
"$senn" explain --model "$tmp/lin.pt" --data "$data" --index 0 --methods saliency --json "$tmp/e.json" > /dev/null 2>&1
tr -d ' \n' < "$tmp/e.json" > "$tmp/e.min.json"
grep -q '"localisation":{"irrelevant_mass":0.0,"k":5,"mask_size":5,.*"truth":"model"}' "$tmp/e.min.json" \
    || fail "explain: $(grep -o '"localisation":{[^}]*}' "$tmp/e.min.json")"
header="{'descr': '|u1', 'fortran_order': False, 'shape': (30,), }"
while (( (10 + ${#header} + 1) % 64 )); do header+=" "; done
{
    printf '\x93NUMPY\x01\x00'
    printf "\\x$(printf %02x $(( (${#header} + 1) % 256 )))\\x$(printf %02x $(( (${#header} + 1) / 256 )))"
    printf '%s\n' "$header"
    printf '\x01'
    head -c 29 /dev/zero
} > "$tmp/mask.npy"
"$senn" explain --model "$tmp/lin.pt" --data "$data" --index 0 --methods saliency --mask "$tmp/mask.npy" \
    --json "$tmp/m.json" > /dev/null 2>&1 || fail "explain --mask failed"
tr -d ' \n' < "$tmp/m.json" > "$tmp/m.min.json"
grep -q '"localisation":{"irrelevant_mass":1.0,"k":1,"mask_size":1,"mass_accuracy":0.0,.*"truth":"file"}' "$tmp/m.min.json" \
    || fail "explain --mask: $(grep -o '"localisation":{[^}]*}' "$tmp/m.min.json")"

set +e
"$senn" ground-truth --model "$tmp/lin.pt" --data "$data" --mask decoy --methods saliency > /dev/null 2> "$tmp/err"
code=$?
set -e
[[ $code -eq 2 ]] || fail "--mask decoy on a table exited with $code"
grep -q 'Decoy MNIST' "$tmp/err" || fail "the message does not say what decoy needs: $(cat "$tmp/err")"
echo "ground_truth_json: ok"
