#!/usr/bin/env bash
# Epoch time of SENN training on the bundled MNIST digits: SENN Studio (exact and fast
# penalty) against the same network and loss in PyTorch computing the penalty the reference
# way (full Jacobians). Builds nothing: pass a build folder where bench_senn_epoch is built
# (cmake --build BUILD --target bench_senn_epoch). See tests/bench/README.md.
#   tests/bench/bench_senn_epoch.sh BUILD_DIR [ROWS] [EPOCHS] [THREADS]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${1:?usage: bench_senn_epoch.sh BUILD_DIR [ROWS] [EPOCHS] [THREADS]}"
rows="${2:-8000}"
epochs="${3:-1}"
threads="${4:-2}"
bin="$build/tests/bench_senn_epoch"
[ -x "$bin" ] || bin="$(find "$build" -name bench_senn_epoch -type f -perm -u+x | head -n1)"
[ -x "$bin" ] || { echo "bench_senn_epoch not built in $build" >&2; exit 2; }
data="$here/resources/data/mnist-10k"
py=/usr/bin/python3 # Debian's python3-torch; a pyenv python3 on PATH may lack torch
export OMP_NUM_THREADS="$threads"

run() { # label, command...: prints the JSON line and the peak RSS from /usr/bin/time
  local label="$1"; shift
  local log; log="$(mktemp)"
  /usr/bin/time -v "$@" 2>"$log" | tail -n1 > "$log.json"
  local rss; rss="$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")"
  local secs; secs="$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["median_epoch_seconds"])' "$log.json")"
  echo "$label $secs $rss"
  cat "$log.json" >&2
  rm -f "$log" "$log.json"
}

echo "rows=$rows epochs=$epochs threads=$threads batch=128" >&2
read -r _ exact rss_exact < <(run exact "$bin" "$data" --rows "$rows" --epochs "$epochs" --threads "$threads" --mode exact)
read -r _ fast rss_fast < <(run fast "$bin" "$data" --rows "$rows" --epochs "$epochs" --threads "$threads" --mode fast)
read -r _ ref rss_ref < <(run pytorch "$py" "$here/tests/bench/senn_epoch_ref.py" "$data" --rows "$rows" --epochs "$epochs" --threads "$threads")

"$py" - "$exact" "$fast" "$ref" "$rss_exact" "$rss_fast" "$rss_ref" <<'PY'
import sys
exact, fast, ref = map(float, sys.argv[1:4])
rss = [int(v) / 1024 for v in sys.argv[4:7]]
print(f"median epoch seconds: ours exact {exact:.2f}, ours fast {fast:.2f}, PyTorch reference {ref:.2f}")
print(f"ours exact / PyTorch: {exact / ref:.2f}x (goal <= 0.8)")
print(f"fast speed-up over exact: {exact / fast:.2f}x (goal >= 3)")
print(f"peak RSS MB: ours exact {rss[0]:.0f}, ours fast {rss[1]:.0f}, PyTorch {rss[2]:.0f}")
PY
