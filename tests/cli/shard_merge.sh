#!/usr/bin/env bash
# Sharded runs merge to the unsharded run byte for byte (timing removed): stability and
# faithfulness on breast cancer with a small MLP, N = 1, 3, 7 shards at different --threads;
# `explain --all` arrays and sanity checks too. A shard killed with SIGKILL (and a results file with a torn last
# record) resumes to the same result. `senn merge` refuses shards of another model or seed, a
# missing shard (naming the command that reruns it), a shard given twice and a changed file.
#   shard_merge.sh SENN_BINARY DATA_DIR
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
refuses() { # refuses PATTERN COMMAND...: exit code 2 and PATTERN on stderr
    local pattern="$1"; shift
    if "$@" 2> err.txt; then fail "accepted: $*"; fi
    grep -q -- "$pattern" err.txt || fail "no '$pattern' in: $(cat err.txt)"
}

"$senn" train --data "$data" --model mlp --epochs 3 --seed 1 --threads 1 --out m.senn 2> /dev/null
"$senn" train --data "$data" --model mlp --epochs 3 --seed 2 --threads 1 --out other.senn 2> /dev/null

stab=(stability --model m.senn --data "$data" --methods saliency,smoothgrad --points 14 --eps 0.01,0.3)
"$senn" "${stab[@]}" --threads 2 --json full.json 2> /dev/null
grep -q '"timing": {' full.json || fail "no timing object"
for n in 1 3 7; do
    shards=()
    for k in $(seq 1 $n); do
        "$senn" "${stab[@]}" --threads $((k % 2 + 1)) --shard "$k/$n" --json "s$n-$k.json" 2> /dev/null
        shards+=("s$n-$k.json")
    done
    "$senn" merge "m$n.json" "${shards[@]}" 2> /dev/null
    same full.json "m$n.json" "stability, $n shards"
done

# Kill a shard after a few records, resume it: the same result. A torn last record is dropped.
"$senn" "${stab[@]}" --threads 1 --shard 2/3 --json k.json 2> /dev/null &
pid=$!
for _ in $(seq 1 200); do
    [[ -f k.json.records && $(wc -l < k.json.records) -ge 4 ]] && break
    sleep 0.05
done
kill -KILL "$pid" 2> /dev/null || true
wait "$pid" 2> /dev/null || true
[[ ! -f k.json ]] || fail "the killed shard wrote its result"
records=$(wc -l < k.json.records)
printf '812 0badc0de {"method":"saliency","po' >> k.json.records
"$senn" "${stab[@]}" --threads 2 --shard 2/3 --resume --json k.json 2> resume.txt
grep -q "resuming: $((records - 1)) of 10" resume.txt || fail "resume did not reuse $((records - 1)) records: $(cat resume.txt)"
grep -q "dropped a record cut short" resume.txt || fail "the torn record was not reported"
same s3-2.json k.json "resumed shard"
# A record cut in the middle is dropped and computed again.
head -c -40 k.json.records > cut.records && mv cut.records k.json.records
"$senn" "${stab[@]}" --threads 1 --shard 2/3 --resume --json k.json 2> /dev/null
same s3-2.json k.json "shard resumed after a cut record"

# Merge refuses what does not belong together.
"$senn" stability --model other.senn --data "$data" --methods saliency,smoothgrad --points 14 --eps 0.01,0.3 \
    --shard 2/3 --json o.json 2> /dev/null
refuses "model file differs" "$senn" merge x.json s3-1.json o.json s3-3.json
"$senn" "${stab[@]}" --seed 5 --shard 2/3 --json seed.json 2> /dev/null
refuses "setting seed differs" "$senn" merge x.json s3-1.json seed.json s3-3.json
mv s3-3.json s3-3.kept
refuses "shard 3/3 (it stopped before its end; this continues it): senn stability --model m.senn .*--shard 3/3 --resume --json s3-3.json" \
    "$senn" merge x.json s3-1.json s3-2.json s3-3.json
mv s3-3.kept s3-3.json
refuses "given twice" "$senn" merge x.json s3-1.json s3-2.json s3-2.json s3-3.json
refuses "not the same split" "$senn" merge x.json s3-1.json s3-2.json s7-3.json
python3 -c '
import json, sys
p = sys.argv[1]; j = json.load(open(p))
j["methods"]["smoothgrad"]["per_point"][0][0] += 1
json.dump(j, open(p, "w"), indent=2)' s3-2.json
refuses "checksum does not match" "$senn" merge x.json s3-1.json s3-2.json s3-3.json
[[ ! -f x.json ]] || fail "a refused merge wrote its output"
refuses "is from another run" "$senn" "${stab[@]}" --seed 9 --shard 2/3 --resume --json k.json

# Faithfulness: 1 and 3 shards.
faith=(faithfulness --model m.senn --data "$data" --methods saliency,lime --points 9)
"$senn" "${faith[@]}" --threads 2 --json ffull.json 2> /dev/null
for n in 1 3; do
    shards=()
    for k in $(seq 1 $n); do
        "$senn" "${faith[@]}" --threads $((k % 2 + 1)) --shard "$k/$n" --json "f$n-$k.json" 2> /dev/null
        shards+=("f$n-$k.json")
    done
    "$senn" merge "fm$n.json" "${shards[@]}" 2> /dev/null
    same ffull.json "fm$n.json" "faithfulness, $n shards"
done

# explain --all: the arrays of 3 shards merge to the unsharded arrays.
ex=(explain --model m.senn --data "$data" --split test --all --methods saliency,smoothgrad)
"$senn" "${ex[@]}" --npy all 2> /dev/null
for k in 1 2 3; do "$senn" "${ex[@]}" --shard "$k/3" --json "e$k.json" 2> /dev/null; done
"$senn" merge em.json e1.json e2.json e3.json 2> /dev/null
same all.json em.json "explain --all listing"
for m in saliency smoothgrad; do
    cmp "all_$m.npy" "em_$m.npy" || fail "explain --all: the $m arrays differ"
done
python3 -c '
import json, sys
j = json.load(open("all.json"))
n = len(j["rows"])
assert j["shapes"]["saliency"] == [n, 30], j["shapes"]
raw = open("all_saliency.npy", "rb").read()
assert raw[:6] == b"\x93NUMPY" and len(raw) % 64 == (n * 30 * 4) % 64, "bad npy layout"' || fail "explain --all listing"
# Sanity checks: 1 and 3 shards, and a shard resumed from the first records of its results file.
san=(sanity --model m.senn --data "$data" --methods saliency,edge-detector --points 7 --random-logit --seed 3)
"$senn" "${san[@]}" --threads 2 --json sfull.json 2> /dev/null
grep -q '"run": {' sfull.json || fail "sanity: no run identity"
for n in 1 3; do
    shards=()
    for k in $(seq 1 $n); do
        "$senn" "${san[@]}" --threads $((k % 2 + 1)) --shard "$k/$n" --json "y$n-$k.json" 2> /dev/null
        shards+=("y$n-$k.json")
    done
    "$senn" merge "ym$n.json" "${shards[@]}" 2> /dev/null
    same sfull.json "ym$n.json" "sanity, $n shards"
done
head -n 4 y3-2.json.records > yk.json.records
"$senn" "${san[@]}" --threads 1 --shard 2/3 --resume --json yk.json 2> sresume.txt
grep -q "resuming: 3 (method, point, check) results" sresume.txt || fail "sanity resume: $(cat sresume.txt)"
same y3-2.json yk.json "resumed sanity shard"
"$senn" sanity --model m.senn --data "$data" --methods saliency,edge-detector --points 7 --random-logit \
    --seed 4 --shard 2/3 --json yseed.json 2> /dev/null
refuses "setting seed differs" "$senn" merge x.json y3-1.json yseed.json y3-3.json
echo "shard/merge: OK"
