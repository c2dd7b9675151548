#!/usr/bin/env bash
# `senn scorecard` through the real binary on a small breast-cancer MLP: the JSON contract of
# cli.md (methods, measures with directions, cells with median, interval, rank, best, the
# agreement), the CSV header and a row per cell, the LaTeX booktabs table, and exit code 2 for
# an unknown measure (naming the valid ones) or an output over the data.
#   scorecard_json.sh SENN_BINARY DATA_DIR
set -euo pipefail
senn="$1"
data="$2/breast-cancer.csv"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$senn" train --data "$data" --target diagnosis --model mlp --epochs 3 --limit 160 --threads 1 \
    --out "$tmp/m.senn" > /dev/null 2>&1
"$senn" scorecard --model "$tmp/m.senn" --data "$data" --methods saliency,occlusion --points 5 \
    --measures sparseness,infidelity,complexity --bootstrap 50 --threads 1 --json "$tmp/s.json" \
    --csv "$tmp/s.csv" --latex "$tmp/s.tex" > /dev/null 2> "$tmp/err" || fail "senn scorecard failed: $(cat "$tmp/err")"
grep -q 'Measures .* (W = ' "$tmp/err" || fail "no agreement sentence on stderr"
tr -d ' \n' < "$tmp/s.json" > "$tmp/s.min.json"
grep -q '"methods":\["saliency","occlusion"\]' "$tmp/s.min.json" || fail "methods"
grep -q '"higher_is_better":true,"id":"sparseness","name":"Sparseness(Gini)"' "$tmp/s.min.json" || fail "sparseness entry"
grep -q '"higher_is_better":false,"id":"infidelity","name":"Infidelity"' "$tmp/s.min.json" || fail "infidelity entry"
grep -q '"saliency":{"complexity":{"best":\(true\|false\),"hi":[^,]*,"lo":[^,]*,"median":[^,]*,"n":5,"per_point":\[' "$tmp/s.min.json" \
    || fail "a cell: $(grep -o '"saliency":{"complexity":{[^}]*' "$tmp/s.min.json")"
grep -q '"points_done":5' "$tmp/s.min.json" || fail "points_done"
grep -q '"agreement":{"kendall_w":' "$tmp/s.min.json" || fail "agreement"
grep -q '"bootstrap":50' "$tmp/s.min.json" || fail "bootstrap"
[[ "$(head -1 "$tmp/s.csv")" == "method,measure,higher_is_better,median,lo,hi,rank,n,best" ]] || fail "CSV header"
[[ "$(wc -l < "$tmp/s.csv")" -eq 7 ]] || fail "CSV rows: $(wc -l < "$tmp/s.csv")"
grep -q '^occlusion,infidelity,0,' "$tmp/s.csv" || fail "CSV row"
grep -q '\\toprule' "$tmp/s.tex" && grep -q '\\bottomrule' "$tmp/s.tex" || fail "booktabs"
grep -q 'Infidelity \$\\downarrow\$' "$tmp/s.tex" || fail "direction marks"
grep -q '\\textbf{' "$tmp/s.tex" || fail "no best in bold"

set +e
"$senn" scorecard --model "$tmp/m.senn" --data "$data" --methods saliency --measures sparsity > /dev/null 2> "$tmp/err"
code=$?
set -e
[[ $code -eq 2 ]] || fail "an unknown measure exited with $code"
grep -q 'sparseness' "$tmp/err" || fail "the message does not name the measures: $(cat "$tmp/err")"
set +e
"$senn" scorecard --model "$tmp/m.senn" --data "$data" --methods saliency --csv "$data" > /dev/null 2> "$tmp/err"
code=$?
set -e
[[ $code -eq 2 ]] || fail "--csv over the data exited with $code"
echo "scorecard_json: ok"
