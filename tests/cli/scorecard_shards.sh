#!/usr/bin/env bash
# `senn scorecard --shard K/N --resume --points all` and `senn merge`: on a small breast-cancer
# MLP with two methods and a file of attributions, 1 and 3 shards at different --threads merge
# to the unsharded run's JSON byte for byte (timing removed), and a shard resumed from the
# first records of its results file gives the same shard.
#   scorecard_shards.sh SENN_BINARY DATA_DIR
set -euo pipefail
senn="$1"
data="$2/breast-cancer.csv"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
fail() { echo "FAIL: $*" >&2; exit 1; }
# The JSON without its timing (the last key), byte for byte as written.
untimed() { python3 -c '
import sys
t = open(sys.argv[1]).read()
i = t.rindex(",\n  \"timing\": ")
sys.stdout.write(t[:i] + "\n}\n")' "$1"; }
same() { cmp <(untimed "$1") <(untimed "$2") || fail "$3: $1 and $2 differ"; }

"$senn" train --data "$data" --model mlp --epochs 3 --seed 1 --threads 1 --limit 160 --out m.senn 2> /dev/null
"$senn" explain --model m.senn --data "$data" --split test --all --npy ours --methods saliency > /dev/null 2>&1
sc=(scorecard --model m.senn --data "$data" --methods saliency,occlusion --attributions "sal=ours_saliency.npy"
    --measures removal_correlation,faithfulness_correlation,infidelity,deletion_aopc,sparseness,ris
    --points all --bootstrap 100 --seed 3)
"$senn" "${sc[@]}" --threads 2 --json full.json 2> /dev/null
grep -q '"timing": {' full.json || fail "no timing object"
grep -q '"run": {' full.json || fail "no run identity"
for n in 1 3; do
    shards=()
    for k in $(seq 1 $n); do
        "$senn" "${sc[@]}" --threads $((k % 2 + 1)) --shard "$k/$n" --json "s$n-$k.json" 2> /dev/null
        shards+=("s$n-$k.json")
    done
    "$senn" merge "m$n.json" "${shards[@]}" 2> /dev/null
    same full.json "m$n.json" "scorecard in $n shards"
done
# A shard resumed from its first records (the cut tears the last one): the same shard.
records=s3-2.json.records
[[ -f "$records" ]] || fail "no results file beside s3-2.json"
size=$(stat -c %s "$records")
head -c $((size * 2 / 3)) "$records" > resumed.json.records
"$senn" "${sc[@]}" --threads 1 --shard 2/3 --resume --json resumed.json 2> err.txt || fail "resume: $(cat err.txt)"
grep -q "resuming: [1-9]" err.txt || fail "resume read no records: $(cat err.txt)"
same s3-2.json resumed.json "scorecard shard 2/3 resumed"
echo "scorecard_shards: ok"
