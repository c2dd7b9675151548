#!/usr/bin/env bash
# CLI known answers, on a small subset so it stays fast: `senn train` reports why
# training stopped (patience) and the logistic-regression baseline; `senn eval --json --rows`
# writes "baseline_accuracy" and one entry per row of the split with label, prediction and
# probabilities; `senn info` shows the stop reason.
#   train_eval_json.sh SENN_BINARY DATA_DIR
set -euo pipefail
senn="$1"
data="$2/breast-cancer.csv"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$senn" train --data "$data" --target diagnosis --model mlp --epochs 400 --patience 2 --limit 120 \
    --threads 1 --out "$tmp/m.senn" --report "$tmp/report.json" 2> "$tmp/train.log" > "$tmp/train.out"
grep -Eq '^stopped: no validation improvement for 2 epochs; best epoch [0-9]+$' "$tmp/train.log" \
    || fail "no stop reason on stderr: $(cat "$tmp/train.log")"
grep -q '^baseline (logistic regression, same split): test accuracy 0\.[0-9]*$' "$tmp/train.log" \
    || fail "no baseline line on stderr"
grep -Eq '"stop_reason": *"no validation improvement for 2 epochs' "$tmp/report.json" || fail "report lacks stop_reason"
grep -Eq '"baseline_accuracy": *0\.' "$tmp/report.json" || fail "report lacks baseline_accuracy"

"$senn" eval --model "$tmp/m.senn" --data "$data" --json "$tmp/eval.json" --rows > "$tmp/eval.out" 2> /dev/null
tr -d ' \n' < "$tmp/eval.json" > "$tmp/eval.min.json" # the JSON is indented; compact it
mv "$tmp/eval.min.json" "$tmp/eval.json"
grep -q '"baseline_accuracy":0\.' "$tmp/eval.json" || fail "eval JSON lacks baseline_accuracy"
n=$(grep -o '"n":[0-9]*' "$tmp/eval.json" | head -1 | cut -d: -f2)
rows=$(grep -o '"prediction":[0-9]' "$tmp/eval.json" | wc -l)
[[ "$n" -gt 0 && "$rows" -eq "$n" ]] || fail "--rows listed $rows rows for a split of $n"
grep -q '"index":0,' "$tmp/eval.json" || fail "--rows lacks index 0"
grep -q "\"index\":$((n - 1))," "$tmp/eval.json" || fail "--rows lacks the last index"
# Accuracy recomputed from the listed rows equals the reported one.
right=$(grep -o '"label":[0-9]*,"prediction":[0-9]*' "$tmp/eval.json" | awk -F'[:,]' '$2 == $4' | wc -l)
acc=$(grep -o '"accuracy":[0-9.]*' "$tmp/eval.json" | head -1 | cut -d: -f2)
awk -v r="$right" -v n="$n" -v a="$acc" 'BEGIN { exit !(r / n - a < 1e-9 && a - r / n < 1e-9) }' \
    || fail "rows give $right/$n right, the JSON says $acc"

"$senn" info --model "$tmp/m.senn" > "$tmp/info.out"
grep -q 'stopped: no validation improvement for 2 epochs' "$tmp/info.out" || fail "info lacks the stop reason"
# The tabular MLP's default L2 (the baseline's C = 1) is recorded; --l2 0 turns it off.
"$senn" info --model "$tmp/m.senn" --json "$tmp/info.json" > /dev/null
tr -d ' \n' < "$tmp/info.json" | grep -q '"l2":1' || fail "the MLP's default l2 (1) is not in its metadata"
"$senn" train --data "$data" --target diagnosis --model mlp --epochs 2 --limit 120 --threads 1 --l2 0 \
    --out "$tmp/m0.senn" > /dev/null 2>&1
"$senn" info --model "$tmp/m0.senn" --json "$tmp/info0.json" > /dev/null
tr -d ' \n' < "$tmp/info0.json" | grep -q '"l2":0' || fail "--l2 0 is not in the metadata"
# SENN in the faithfulness comparison: θ·h by default, θ (the paper's) on request; the JSON says which.
"$senn" train --data "$data" --target diagnosis --model senn --epochs 2 --limit 120 --threads 1 \
    --out "$tmp/s.senn" > /dev/null 2>&1
for attribution in default theta theta_h; do
    flag=()
    [[ "$attribution" == default ]] || flag=(--senn-attribution "$attribution")
    "$senn" faithfulness --model "$tmp/s.senn" --data "$data" --methods senn --points 3 --threads 1 \
        "${flag[@]}" --json "$tmp/f.json" > /dev/null 2>&1
    want="$attribution"
    [[ "$want" == default ]] && want=theta_h
    grep -Eq "\"senn_attribution\": *\"$want\"" "$tmp/f.json" || fail "faithfulness JSON lacks senn_attribution $want"
done
# Text from a model file reaches the terminal escaped: a class named with an escape sequence
# shows as "\x1b[31m...", never as the raw byte that would colour or clear the terminal.
{
    printf 'a,b,y\n'
    for i in 0 1 2 3 4 5 6 7 8 9 10 11; do printf '%d,%d,%s\n' "$i" "$((i % 3))" "$([[ $((i % 2)) == 0 ]] && printf '\033[31mred' || echo blue)"; done
} > "$tmp/esc.csv"
"$senn" train --data "$tmp/esc.csv" --target y --model mlp --epochs 1 --threads 1 \
    --out "$tmp/esc.senn" > /dev/null 2>&1 || fail "training on esc.csv failed"
"$senn" info --model "$tmp/esc.senn" > "$tmp/esc.out"
grep -q $'\x1b' "$tmp/esc.out" && fail "senn info printed a raw escape byte"
grep -qF '\x1b[31mred' "$tmp/esc.out" || fail "senn info does not show the escaped class name: $(cat "$tmp/esc.out")"
# Output that cannot be written is a failure with the reason, not exit 0.
if [[ -w /dev/full ]]; then
    rc=0
    "$senn" info --model "$tmp/esc.senn" > /dev/full 2> "$tmp/full.err" || rc=$?
    [[ "$rc" -ne 0 ]] || fail "senn info > /dev/full exited 0"
    grep -q 'cannot write to standard output (No space left on device)' "$tmp/full.err" \
        || fail "no reason for the failed write: $(cat "$tmp/full.err")"
fi
# --memory reaches the explainers: a budget is taken, and 0 is refused as a usage error.
"$senn" explain --model "$tmp/s.senn" --data "$data" --index 0 --methods occlusion --memory 64 \
    --json "$tmp/mem.json" > /dev/null 2>&1 || fail "explain --memory 64 failed"
rc=0
"$senn" explain --model "$tmp/s.senn" --data "$data" --index 0 --methods occlusion --memory 0 \
    > /dev/null 2>&1 || rc=$?
[[ "$rc" -eq 2 ]] || fail "explain --memory 0 exited $rc, not 2"
echo "1 passed, 0 failed"
