#!/usr/bin/env bash
# Longest GUI event-loop stall while the app trains, explains and runs a stability
# estimate: the scripted screenshot tour under Xvfb with SENN_STALL_LOG set. Not a test.
#   tests/bench/gui_stall.sh BUILD_DIR [DATA]   (default DATA: the bundled breast-cancer.csv)
# Each logged stall says how many ms of it the GUI thread itself ran (its CPU time; the rest it
# waited for a core) and the tour's step; the tour's own screenshot grabs are not counted.
# Also prints how long after Run the Stability view drew its first curve (goal < 2 s).
# SENN_WORKER_NICE=10 runs the worker threads at nice +10 (default: the GUI's priority).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${1:?usage: gui_stall.sh BUILD_DIR [DATA]}"
data="${2:-$here/resources/data/breast-cancer.csv}"
app="$build/app/senn-studio"
[ -x "$app" ] || app="$(find "$build" -name senn-studio -type f -perm -u+x | head -n1)"
[ -x "$app" ] || { echo "senn-studio not built in $build" >&2; exit 2; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
export SENN_STALL_LOG="$tmp/stall.log" SENN_SCREENSHOT_DIR="$tmp/shots" SENN_SCREENSHOT_EPOCHS="${SENN_SCREENSHOT_EPOCHS:-2}"
export XDG_CONFIG_HOME="$tmp/config" # a fresh settings store
start=$(date +%s)
xvfb-run -a -s "-screen 0 1600x1000x24" "$app" "$data" >"$tmp/app.log" 2>&1 || { cat "$tmp/app.log" >&2; exit 1; }
grep -i "tour: error" "$tmp/app.log" >&2 || true
echo "screenshots taken: $(ls "$tmp/shots" | wc -l) (the tour's views: $(ls "$tmp/shots" | tr '\n' ' '))"
echo "tour (train, explain, stability) took $(( $(date +%s) - start )) s"
grep "^timing:" "$tmp/app.log" || echo "timing: no stability curve was drawn" # time to the first curve
grep -v "^longest" "$tmp/stall.log" || true
grep "^longest" "$tmp/stall.log"
