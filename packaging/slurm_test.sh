#!/usr/bin/env bash
# A real one-node Slurm cluster, private to this run: its own munge key and daemon, slurm.conf,
# slurmctld and slurmd under a temporary folder. `senn slurm` plans a 4-task stability array on
# the bundled breast cancer data, submit.sh submits it with its merge job, and the merged result
# must equal an unsharded run's byte for byte (timing removed). Needs root; run by test.sh.
#
# Usage: packaging/slurm_test.sh [BUILD_DIR]   (default build/dev; its app/senn is tested)
# Environment: SENN_SLURM_TIMEOUT (seconds to wait for the jobs, default 180),
#              SENN_SLURM_KEEP=1 keeps the temporary folder (its path is printed),
#              SENN_SLURM_POINTS, SENN_SLURM_METHODS and SENN_SLURM_EPS the run (default
#              24 points of saliency,lime at ε 0.01,0.1), SENN_SLURM_CPUS the node's CPUs
#              (default all).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$here/build/dev}"
senn="$(cd "$build" && pwd)/app/senn"
data="$here/resources/data/breast-cancer.csv"
timeout_s="${SENN_SLURM_TIMEOUT:-180}"

say() { echo "slurm_test: $*"; }
fail() { echo "slurm_test: FAILED: $*" >&2; exit 1; }

if [ "$(id -u)" -ne 0 ]; then
  say "SKIPPED: needs root (it starts munged, slurmctld and slurmd as root); run it as root or in CI"
  exit 77 # CTest: skipped
fi
for tool in munged slurmctld slurmd sbatch squeue scontrol sinfo; do
  command -v "$tool" >/dev/null || fail "$tool is missing: packaging/install-deps.sh installs munge, slurmctld, slurmd and slurm-client"
done
[ -x "$senn" ] || fail "$senn is missing: build first (packaging/build.sh)"
[ -f "$data" ] || fail "$data is missing"

tmp="$(mktemp -d /tmp/senn-slurm.XXXXXX)"
chmod 755 "$tmp"
pids=()
cleanup() {
  local rc=$?
  # Jobs first: their processes outlive slurmd.
  if [ -n "${SLURM_CONF:-}" ] && [ -f "$SLURM_CONF" ]; then
    squeue -h -o %i 2>/dev/null | xargs -r scancel 2>/dev/null || true
    for _ in $(seq 50); do [ -z "$(squeue -h 2>/dev/null)" ] && break; sleep 0.1; done
  fi
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  if [ "$rc" -ne 0 ]; then
    for log in "$tmp"/log/*.log "$tmp"/run/logs/*.out; do
      [ -f "$log" ] || continue
      echo "----- $log (last 25 lines)" >&2
      tail -n 25 "$log" >&2
    done
  fi
  if [ "${SENN_SLURM_KEEP:-0}" = 1 ]; then say "kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$tmp/munge" "$tmp/log" "$tmp/state" "$tmp/spool" "$tmp/run"
chmod 700 "$tmp/munge"

# --- munge: a fresh key and a daemon on a private socket -----------------------------------
dd if=/dev/urandom of="$tmp/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$tmp/munge/munge.key"
socket="$tmp/munge/munge.socket"
munged --force --socket="$socket" --key-file="$tmp/munge/munge.key" \
  --log-file="$tmp/log/munged.log" --pid-file="$tmp/munge/munged.pid" \
  --seed-file="$tmp/munge/munged.seed" || fail "munged did not start"
pids+=("$(cat "$tmp/munge/munged.pid")")

# --- slurm.conf: this machine as the one node ----------------------------------------------
host="$(hostname -s)"
# SENN_SLURM_CPUS=1 runs the tasks one at a time (the overhead benchmark, docs/benchmarks.md).
cpus="${SENN_SLURM_CPUS:-$(nproc)}"
mem_mb=$(( $(awk '/^MemTotal:/ { print $2 }' /proc/meminfo) / 1024 - 512 ))
# Ports apart from a system Slurm's (6817/6818), so that one on this machine does not answer.
ctld_port="${SENN_SLURM_CTLD_PORT:-16817}"
slurmd_port="${SENN_SLURM_SLURMD_PORT:-16818}"
export SLURM_CONF="$tmp/slurm.conf"
cat > "$SLURM_CONF" <<EOF
ClusterName=senntest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$socket
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/log/slurmctld.log
SlurmdLogFile=$tmp/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
MinJobAge=600
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=senn Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF

slurmctld -i || fail "slurmctld did not start (log: $tmp/log/slurmctld.log)"
for _ in $(seq 100); do [ -s "$tmp/slurmctld.pid" ] && break; sleep 0.1; done
pids+=("$(cat "$tmp/slurmctld.pid")")
slurmd || fail "slurmd did not start (log: $tmp/log/slurmd.log)"
for _ in $(seq 100); do [ -s "$tmp/slurmd.pid" ] && break; sleep 0.1; done
pids+=("$(cat "$tmp/slurmd.pid")")

state=""
for _ in $(seq 60); do
  state="$(sinfo -h -N -n "$host" -o %T 2>/dev/null || true)"
  [ "$state" = idle ] && break
  sleep 1
done
[ "$state" = idle ] || fail "the node did not become idle within 60 s (state: ${state:-no answer})"
say "one-node cluster up: $host, $cpus CPUs, $mem_mb MB (slurm $(sinfo --version | awk '{ print $2 }'))"

# --- the plan: senn slurm on a small model -----------------------------------------------
model="$tmp/bc.senn"
"$senn" train --data "$data" --model senn --epochs 5 --seed 1 --out "$model" >"$tmp/log/train.log" 2>&1 ||
  fail "training the test model failed (log: $tmp/log/train.log)"
model="$(realpath "$model")"
data="$(realpath "$data")"
work="$tmp/run"
points="${SENN_SLURM_POINTS:-24}"
methods="${SENN_SLURM_METHODS:-saliency,lime}"
eps="${SENN_SLURM_EPS:-0.01,0.1}"
run=(stability --model "$model" --data "$data" --methods "$methods" --points "$points" --eps "$eps" --seed 7)
"$senn" slurm --tasks 4 --out-dir "$work" --partition senn -- "${run[@]}" >"$tmp/plan.json" 2>"$tmp/log/plan.log" ||
  fail "senn slurm failed: $(tail -n 3 "$tmp/log/plan.log")"
for f in array.sbatch merge.sbatch submit.sh; do [ -s "$work/$f" ] || fail "senn slurm did not write $work/$f"; done
grep -q '^#SBATCH --array=1-4$' "$work/array.sbatch" || fail "array.sbatch is not a 4-task array"
estimate="$(grep -o 'estimated [0-9]* s' "$tmp/plan.json" | head -n 1)"
say "planned: $(grep -E '"(time_minutes|memory_mb)"' "$tmp/plan.json" | tr -d ' \n'); calibration $estimate per task"

# --- submit, then wait for the merge job ----------------------------------------------------
start=$SECONDS
sh "$work/submit.sh" >"$tmp/log/submit.log" 2>&1 || fail "submit.sh failed: $(cat "$tmp/log/submit.log")"
array_id="$(cat "$work/array.jobid")"
merge_id="$(cat "$work/merge.jobid")"
say "submitted: array job $array_id, merge job $merge_id"
while squeue -h -j "$merge_id" 2>/dev/null | grep -q .; do
  reason="$(squeue -h -j "$merge_id" -o %r 2>/dev/null || true)"
  [ "$reason" = DependencyNeverSatisfied ] && fail "an array task failed, so the merge will never run"
  [ $((SECONDS - start)) -lt "$timeout_s" ] || fail "the merge job did not finish within $timeout_s s"
  sleep 1
done
elapsed=$((SECONDS - start))
merge_state="$(scontrol -o show job "$merge_id" | grep -o 'JobState=[A-Z_]*' || true)"
[ "$merge_state" = JobState=COMPLETED ] || fail "the merge job ended with ${merge_state:-an unknown state}"
[ -s "$work/merged.json" ] || fail "the merge job wrote no $work/merged.json"

# Each task's run time as Slurm measured it (whole seconds), their sum and the array's span.
task_seconds() {
  scontrol -o show job "$array_id" | grep -o 'RunTime=[0-9:-]*' | sed 's/RunTime=//' |
    awk -F'[-:]' '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }'
}
sum="$(task_seconds | awk '{ s += $1 } END { print s + 0 }')"
longest="$(task_seconds | sort -n | tail -n 1)"
say "array done in ${elapsed} s after submission: tasks ran $(task_seconds | tr '\n' ' ')s (sum ${sum} s, longest ${longest} s; calibration $estimate)"

# --- the same points in one process: equal bytes once the timing is removed ----------------
one_start=$(date +%s.%N)
"$senn" "${run[@]}" --memory 2048 --threads 1 --json "$tmp/single.json" >"$tmp/log/single.log" 2>&1 ||
  fail "the unsharded run failed: $(tail -n 3 "$tmp/log/single.log")"
one="$(awk -v a="$one_start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')"
strip_timing() { sed '/^  "timing": /,$d' "$1"; }
strip_timing "$work/merged.json" >"$tmp/merged.values"
strip_timing "$tmp/single.json" >"$tmp/single.values"
if ! cmp "$tmp/merged.values" "$tmp/single.values"; then
  diff "$tmp/merged.values" "$tmp/single.values" | head -n 20 >&2
  fail "the merged result differs from the unsharded run's"
fi
say "one process: ${one} s for the same points (--points $points, --threads 1); the tasks took $(awk -v a="$sum" -v b="$one" 'BEGIN { printf "%+.1f%%", 100 * (a / b - 1) }') against it in sum"
say "PASSED: the 4-task array's merged result equals the unsharded run's ($(wc -c <"$tmp/single.values") bytes)"
