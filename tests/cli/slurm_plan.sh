#!/usr/bin/env bash
# `senn slurm` without a scheduler: the scripts it writes for a 3-task stability array, a 3-task
# explain --all array, a 2-task sanity array and a 2-task scorecard array with a file of
# attributions, run here as Slurm would run them
# (SLURM_ARRAY_TASK_ID=K, then the merge), give the unsharded run's JSON (and arrays) byte for
# byte once the timing is removed; its refusals exit with 2 and name the problem.
#   tests/cli/slurm_plan.sh SENN DATA_DIR
set -euo pipefail
senn="$1"
data="$(realpath "$2/breast-cancer.csv")"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "slurm_plan: FAILED: $*" >&2; exit 1; }

"$senn" train --data "$data" --target diagnosis --model senn --epochs 3 --seed 2 --out "$tmp/m.senn" >/dev/null 2>&1 ||
  fail "training the model"
model="$(realpath "$tmp/m.senn")"
run=(stability --model "$model" --data "$data" --methods saliency,lime --points 7 --eps 0.01,0.1 --seed 4)
"$senn" slurm --tasks 3 --out-dir "$tmp/plan" --calibrate-points 2 --sbatch-option=--qos=short -- "${run[@]}" \
  >"$tmp/plan.json" 2>"$tmp/plan.log" || fail "senn slurm: $(cat "$tmp/plan.log")"
grep -q '"tasks": 3' "$tmp/plan.json" || fail "the summary lacks the tasks"
grep -q '"points": 7' "$tmp/plan.json" || fail "the summary lacks the points"
grep -qx '#SBATCH --array=1-3' "$tmp/plan/array.sbatch" || fail "not a 3-task array"
grep -qx '#SBATCH --qos=short' "$tmp/plan/array.sbatch" || fail "the extra option is missing"
grep -q '^# Calibration: 2 points' "$tmp/plan/array.sbatch" || fail "the calibration note is missing"
grep -q -- "--shard \"\$task/3\" --resume --json $tmp/plan/shard-\"\$task\".json" "$tmp/plan/array.sbatch" ||
  fail "the shard arguments are wrong: $(tail -n 1 "$tmp/plan/array.sbatch")"
[ -x "$tmp/plan/submit.sh" ] || fail "submit.sh is not executable"

for k in 1 2 3; do
  SLURM_ARRAY_TASK_ID=$k bash "$tmp/plan/array.sbatch" >"$tmp/task-$k.log" 2>&1 || fail "task $k: $(tail -n 3 "$tmp/task-$k.log")"
done
bash "$tmp/plan/merge.sbatch" >"$tmp/merge.log" 2>&1 || fail "merge: $(cat "$tmp/merge.log")"
"$senn" "${run[@]}" --memory 2048 --threads 2 --json "$tmp/single.json" 2>/dev/null || fail "the unsharded run"
strip() { sed '/^  "timing": /,$d' "$1"; }
cmp <(strip "$tmp/plan/merged.json") <(strip "$tmp/single.json") || fail "merged and unsharded results differ"

# explain --all: a 3-task array of the test split's rows, merged into the unsharded arrays.
ex=(explain --model "$model" --data "$data" --split test --all --methods saliency,smoothgrad --seed 4)
"$senn" slurm --tasks 3 --out-dir "$tmp/explain" --calibrate-points 20 -- "${ex[@]}" \
  >"$tmp/explain.json" 2>"$tmp/explain.log" || fail "senn slurm explain: $(cat "$tmp/explain.log")"
grep -q '^# Calibration: ' "$tmp/explain/array.sbatch" || fail "explain: the calibration note is missing"
grep -q -- "--all .*--shard \"\$task/3\" --resume --json $tmp/explain/shard-\"\$task\".json" "$tmp/explain/array.sbatch" ||
  fail "explain: the shard arguments are wrong: $(tail -n 1 "$tmp/explain/array.sbatch")"
if grep -q -- "--threads" "$tmp/explain/array.sbatch"; then fail "explain takes no --threads"; fi
for k in 1 2 3; do
  SLURM_ARRAY_TASK_ID=$k bash "$tmp/explain/array.sbatch" >"$tmp/etask-$k.log" 2>&1 || fail "explain task $k: $(tail -n 3 "$tmp/etask-$k.log")"
done
bash "$tmp/explain/merge.sbatch" >"$tmp/emerge.log" 2>&1 || fail "explain merge: $(cat "$tmp/emerge.log")"
"$senn" "${ex[@]}" --memory 2048 --npy "$tmp/eall" 2>/dev/null || fail "the unsharded explain --all"
cmp <(strip "$tmp/explain/merged.json") <(strip "$tmp/eall.json") || fail "explain: merged and unsharded listings differ"
for m in saliency smoothgrad; do
  cmp "$tmp/explain/merged_$m.npy" "$tmp/eall_$m.npy" || fail "explain: the $m arrays differ"
done

# sanity: a 2-task array (calibrated) merges to the unsharded run.
sa=(sanity --model "$model" --data "$data" --methods saliency,edge-detector --points 5 --seed 4)
"$senn" slurm --tasks 2 --out-dir "$tmp/sanity" --calibrate-points 2 -- "${sa[@]}" \
  >"$tmp/sanity.json" 2>"$tmp/sanity.log" || fail "senn slurm sanity: $(cat "$tmp/sanity.log")"
grep -q '"points": 5' "$tmp/sanity.json" || fail "sanity: the summary lacks the points"
for k in 1 2; do
  SLURM_ARRAY_TASK_ID=$k bash "$tmp/sanity/array.sbatch" >"$tmp/stask-$k.log" 2>&1 || fail "sanity task $k: $(tail -n 3 "$tmp/stask-$k.log")"
done
bash "$tmp/sanity/merge.sbatch" >"$tmp/smerge.log" 2>&1 || fail "sanity merge: $(cat "$tmp/smerge.log")"
"$senn" "${sa[@]}" --memory 2048 --threads 1 --json "$tmp/ssingle.json" 2>/dev/null || fail "the unsharded sanity run"
cmp <(strip "$tmp/sanity/merged.json") <(strip "$tmp/ssingle.json") || fail "sanity: merged and unsharded results differ"

# scorecard with a file of attributions named by a relative path: the plan makes it absolute, so
# the tasks, started elsewhere (here from /), read it; the merge equals the unsharded run.
(cd "$tmp" && "$senn" explain --model "$model" --data "$data" --split test --all --methods saliency \
  --seed 4 --npy ext >/dev/null 2>&1) || fail "writing the attributions file"
sc=(scorecard --model "$model" --data "$data" --methods saliency,lime --measures sparseness,deletion_aopc,max_sensitivity
    --points 6 --seed 4)
(cd "$tmp" && "$senn" slurm --tasks 2 --out-dir "$tmp/score" --calibrate-points 2 -- "${sc[@]}" \
  --attributions mine=ext_saliency.npy >"$tmp/score.json" 2>"$tmp/score.log") || fail "senn slurm scorecard: $(cat "$tmp/score.log")"
grep -q -- "mine=$(realpath "$tmp")/ext_saliency.npy" "$tmp/score/array.sbatch" ||
  fail "scorecard: the attributions file is not absolute: $(tail -n 1 "$tmp/score/array.sbatch")"
for k in 1 2; do
  (cd / && SLURM_ARRAY_TASK_ID=$k bash "$tmp/score/array.sbatch") >"$tmp/sctask-$k.log" 2>&1 ||
    fail "scorecard task $k: $(tail -n 3 "$tmp/sctask-$k.log")"
done
bash "$tmp/score/merge.sbatch" >"$tmp/scmerge.log" 2>&1 || fail "scorecard merge: $(cat "$tmp/scmerge.log")"
"$senn" "${sc[@]}" --attributions "mine=$tmp/ext_saliency.npy" --memory 2048 --threads 1 --json "$tmp/scsingle.json" \
  2>/dev/null || fail "the unsharded scorecard run"
cmp <(strip "$tmp/score/merged.json") <(strip "$tmp/scsingle.json") || fail "scorecard: merged and unsharded results differ"

# Refusals: exit code 2 and the reason, before any calibration.
expect2() { # WHAT PATTERN ARGS...
  local what="$1" pattern="$2"; shift 2
  local rc=0
  "$senn" slurm "$@" >/dev/null 2>"$tmp/err" || rc=$?
  [ "$rc" = 2 ] || fail "$what: exit code $rc, expected 2"
  grep -q -- "$pattern" "$tmp/err" || fail "$what: message $(cat "$tmp/err")"
}
expect2 "more tasks than points" "has only 7 points" --tasks 8 --out-dir "$tmp/x" -- "${run[@]}"
expect2 "another command" "not prototypes" --tasks 2 --out-dir "$tmp/x" -- prototypes --model "$model" --data "$data"
expect2 "explain without --all" "add --all" --tasks 2 --out-dir "$tmp/x" -- explain --model "$model" --data "$data"
expect2 "--npy in the command" "leave --npy out" --tasks 2 --out-dir "$tmp/x" -- "${ex[@]}" --npy "$tmp/y"
expect2 "--json in the command" "leave --json out" --tasks 2 --out-dir "$tmp/x" -- "${run[@]}" --json "$tmp/y.json"
expect2 "a bad --time" "--time 5x" --tasks 2 --out-dir "$tmp/x" --time 5x -- "${run[@]}"
expect2 "a bad --mem" "--mem lots" --tasks 2 --out-dir "$tmp/x" --mem lots -- "${run[@]}"
expect2 "a missing model" "m2.senn" --tasks 2 --out-dir "$tmp/x" -- stability --model "$tmp/m2.senn" --data "$data" --methods saliency
[ ! -e "$tmp/x/calibration.json" ] || fail "a refused plan ran a calibration"
echo "slurm_plan: PASSED"
