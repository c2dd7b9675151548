#!/usr/bin/env bash
# `senn ground-truth --shard K/N --resume --points all` and `senn merge`: on the bundled linear
# unit model with saliency, LIME and a file of attributions, 1 and 3 shards at different
# --threads merge to the unsharded run's JSON byte for byte (timing removed), a shard resumed
# from the first records of its results file gives the same shard, a shard of another seed is
# refused by the merge, and a 2-task `senn slurm` plan run here as Slurm would run it merges to
# the unsharded run; --make with --shard (and in a slurm plan) is refused with exit code 2.
#   ground_truth_shards.sh SENN_BINARY DATA_DIR
set -euo pipefail
senn="$(realpath "$1")"
data="$(realpath "$2/breast-cancer.csv")"
model="$(realpath "$2/ground-truth/linear-breast-cancer.pt")"
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
expect2() { # WHAT PATTERN ARGS...
    local what="$1" pattern="$2"; shift 2
    local rc=0
    "$senn" "$@" > /dev/null 2> err.txt || rc=$?
    [[ "$rc" == 2 ]] || fail "$what: exit code $rc, expected 2 ($(cat err.txt))"
    grep -q -- "$pattern" err.txt || fail "$what: message $(cat err.txt)"
}

"$senn" explain --model "$model" --data "$data" --split test --all --npy ext --methods saliency > /dev/null 2>&1 ||
    fail "writing the attributions file"
gt=(ground-truth --model "$model" --data "$data" --methods saliency,lime --attributions "sal=ext_saliency.npy"
    --points all --seed 3)
"$senn" "${gt[@]}" --threads 2 --json full.json 2> /dev/null
grep -q '"timing": {' full.json || fail "no timing object"
grep -q '"run": {' full.json || fail "no run identity"
grep -q '"checksum": ' full.json || fail "no checksum"
# Known answers: the linear model's saliency, and the file of the same saliency, put no
# attribution outside the truth; LIME's samples put some there.
python3 - full.json <<'PY' || fail "the scores are not the known ones"
import json, sys
r = json.load(open(sys.argv[1]))
m = {x["method"]: x for x in r["methods"]}
n = len(r["points"])
assert n > 50, n
for k in ("saliency", "sal"):
    s = m[k]["summary"]
    assert s["irrelevant_mass"]["max"] == 0.0 and s["irrelevant_mass"]["n"] == n, (k, s["irrelevant_mass"])
    assert s["pointing_game"]["mean"] == 1.0, (k, s["pointing_game"])
assert m["lime"]["summary"]["irrelevant_mass"]["max"] > 0.0
assert "seconds" not in m["lime"] and "seconds" in r["timing"]
PY
for n in 1 3; do
    shards=()
    for k in $(seq 1 $n); do
        "$senn" "${gt[@]}" --threads $((k % 2 + 1)) --shard "$k/$n" --json "s$n-$k.json" 2> /dev/null
        shards+=("s$n-$k.json")
    done
    "$senn" merge "m$n.json" "${shards[@]}" 2> /dev/null
    same full.json "m$n.json" "ground-truth in $n shards"
done
# A shard resumed from its first records (the cut tears the last one): the same shard.
records=s3-2.json.records
[[ -f "$records" ]] || fail "no results file beside s3-2.json"
size=$(stat -c %s "$records")
head -c $((size * 2 / 3)) "$records" > resumed.json.records
"$senn" "${gt[@]}" --threads 1 --shard 2/3 --resume --json resumed.json 2> err.txt || fail "resume: $(cat err.txt)"
grep -q "resuming: [1-9]" err.txt || fail "resume read no records: $(cat err.txt)"
same s3-2.json resumed.json "ground-truth shard 2/3 resumed"
# A shard of another seed is another run: the merge refuses it and says what differs.
"$senn" "${gt[@]:0:11}" --seed 4 --shard 2/3 --json other.json 2> /dev/null
rc=0
"$senn" merge bad.json s3-1.json other.json s3-3.json > /dev/null 2> err.txt || rc=$?
[[ "$rc" != 0 ]] || fail "merge took a shard of another seed"
grep -q "not shards of the same run" err.txt || fail "merge of another seed: $(cat err.txt)"
grep -q "seed" err.txt || fail "merge of another seed does not name the seed: $(cat err.txt)"
[[ ! -e bad.json ]] || fail "a refused merge wrote its result"

# A unit model written by every shard would be rewritten under the others' feet: refused.
expect2 "--make with --shard" "--make cannot be given with --shard" ground-truth --make linear --model new.pt \
    --data "$data" --shard 1/2 --json x.json

# senn slurm: a 2-task plan of 6 points, run without a scheduler (time and memory given: the
# calibration is slurm_plan.sh's).
plan=(ground-truth --model "$model" --data "$data" --methods saliency,lime --points 6 --seed 4)
"$senn" slurm --tasks 2 --out-dir "$tmp/plan" --time 10 --mem 2G -- "${plan[@]}" \
    --attributions "sal=ext_saliency.npy" > plan.json 2> plan.log || fail "senn slurm: $(cat plan.log)"
grep -q '"points": 6' plan.json || fail "the plan lacks the points: $(cat plan.json)"
grep -q -- "sal=$tmp/ext_saliency.npy" plan/array.sbatch || fail "the attributions file is not absolute"
for k in 1 2; do
    (cd / && SLURM_ARRAY_TASK_ID=$k bash "$tmp/plan/array.sbatch") > "task-$k.log" 2>&1 ||
        fail "task $k: $(tail -n 3 "task-$k.log")"
done
bash plan/merge.sbatch > merge.log 2>&1 || fail "merge: $(cat merge.log)"
"$senn" "${plan[@]}" --attributions "sal=$tmp/ext_saliency.npy" --threads 1 --json single.json 2> /dev/null
strip() { sed '/^  "timing": /,$d' "$1"; }
cmp <(strip plan/merged.json) <(strip single.json) || fail "slurm: merged and unsharded results differ"
rc=0
"$senn" slurm --tasks 2 --out-dir "$tmp/x" -- ground-truth --make linear --model "$model" --data "$data" \
    > /dev/null 2> err.txt || rc=$?
[[ "$rc" == 2 ]] && grep -q "leave --make out" err.txt || fail "slurm --make: exit $rc, $(cat err.txt)"
echo "ground_truth_shards: ok"
