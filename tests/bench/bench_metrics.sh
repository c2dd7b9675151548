#!/usr/bin/env bash
# The issue-9 workloads through the CLI: 5-method stability curves (8 ε) on breast cancer and
# the bundled MNIST digits, and 5-method faithfulness on breast cancer, each with the BLAS the
# system selects (OpenBLAS after packaging/install-deps.sh) and with the netlib reference BLAS
# (LD_LIBRARY_PATH), with peak RSS from /usr/bin/time -v. Not a test; see tests/bench/README.md.
#   tests/bench/bench_metrics.sh BUILD_DIR OUT_DIR [POINTS] [THREADS] [WHICH]
#     WHICH: any of bc-stability,mnist-stability,bc-faithfulness (default all), comma-separated
#     SENN_BENCH_BLAS: "system,netlib" (default) or one of them
#     SENN_BIN: the senn binary to run (default BUILD_DIR/app/senn)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${1:?usage: bench_metrics.sh BUILD_DIR OUT_DIR [POINTS] [THREADS] [WHICH]}"
out="${2:?usage: bench_metrics.sh BUILD_DIR OUT_DIR [POINTS] [THREADS] [WHICH]}"
points="${3:-50}"
threads="${4:-2}"
which="${5:-bc-stability,mnist-stability,bc-faithfulness}"
blas="${SENN_BENCH_BLAS:-system,netlib}"
senn="${SENN_BIN:-$build/app/senn}" # SENN_BIN: a copy, so a rebuild during the run cannot relink it
[ -x "$senn" ] || { echo "senn not built in $build" >&2; exit 2; }
mkdir -p "$out"
bc="$here/resources/data/breast-cancer.csv"
mnist="$here/resources/data/mnist-10k"
netlib="/usr/lib/x86_64-linux-gnu/blas:/usr/lib/x86_64-linux-gnu/lapack"

# Models: a SENN on each dataset (every method explains the same model).
[ -f "$out/bc.senn" ] || "$senn" train --data "$bc" --target diagnosis --out "$out/bc.senn" --epochs 10 --threads "$threads" >&2
[ -f "$out/mnist.senn" ] || "$senn" train --data "$mnist" --out "$out/mnist.senn" --epochs 1 --limit 3000 --threads "$threads" >&2

run() { # label blas command...: one line "label blas points seconds peak_rss_mb load1"
  local label="$1" b="$2"; shift 2
  local log; log="$(mktemp)"
  local load; load="$(cut -d' ' -f1 /proc/loadavg)"
  if [ "$b" = netlib ]; then
    LD_LIBRARY_PATH="$netlib" /usr/bin/time -v "$@" 2>"$log" >/dev/null
  else
    /usr/bin/time -v "$@" 2>"$log" >/dev/null
  fi
  local rss; rss="$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")"
  local wall; wall="$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log")"
  local json="${*: -1}"
  local secs; secs="$(python3 -c 'import json,sys; j = json.load(open(sys.argv[1])); print(round(j.get("timing", j)["seconds"], 2))' "$json")"
  printf '%-18s %-7s points %4s  seconds %8s  wall %9s  peak_rss_mb %6d  load_before %s\n' \
    "$label" "$b" "$points" "$secs" "$wall" "$((rss / 1024))" "$load"
  rm -f "$log"
}

for b in ${blas//,/ }; do
  case ",$which," in *,bc-stability,*)
    run bc-stability "$b" "$senn" stability --model "$out/bc.senn" --data "$bc" \
      --methods senn,lime,kernel-shap,saliency,integrated-gradients --points "$points" --threads "$threads" \
      --json "$out/bc-stability-$b-$points.json" ;;
  esac
  case ",$which," in *,mnist-stability,*)
    run mnist-stability "$b" "$senn" stability --model "$out/mnist.senn" --data "$mnist" \
      --methods senn,lime,saliency,integrated-gradients,smoothgrad --points "$points" --threads "$threads" \
      --json "$out/mnist-stability-$b-$points.json" ;;
  esac
  case ",$which," in *,bc-faithfulness,*)
    run bc-faithfulness "$b" "$senn" faithfulness --model "$out/bc.senn" --data "$bc" \
      --methods senn,lime,kernel-shap,saliency,integrated-gradients --points "$points" --threads "$threads" \
      --json "$out/bc-faithfulness-$b-$points.json" ;;
  esac
done
