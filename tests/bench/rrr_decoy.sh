#!/usr/bin/env bash
# Decoy MNIST (rrr.md) on the bundled digits through the CLI: the paper's MLP 784-50-30-10
# trained on clean digits, on Decoy MNIST without a mask, and on Decoy MNIST with the RRR mask.
# Prints a Markdown table of train and test accuracy (the README's table).
#
#   tests/bench/rrr_decoy.sh [BUILD_DIR] [OUT_DIR]
# Environment: EPOCHS (20), LAMBDA (10), SEED (0), THREADS (0 = all cores), LIMIT (all).
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-$here/build/dev}"
out="${2:-$(mktemp -d)}"
senn="$build/app/senn"
data="$here/resources/data/mnist-10k"
epochs="${EPOCHS:-20}"
lambda="${LAMBDA:-10}"
seed="${SEED:-0}"
threads="${THREADS:-0}"
limit=()
[[ -n "${LIMIT:-}" ]] && limit=(--limit "$LIMIT")
[[ -x "$senn" ]] || { echo "no senn binary at $senn: build the 'senn' target first" >&2; exit 1; }
mkdir -p "$out"
common=(--data "$data" --model mlp --hidden 50,30 --epochs "$epochs" --batch 64 --seed "$seed"
        --threads "$threads" "${limit[@]}")

run() { # name, extra args...
    local name="$1"; shift
    local t0=$SECONDS
    "$senn" train "${common[@]}" --out "$out/$name.senn" --report "$out/$name.json" "$@" \
        2> "$out/$name.log" > /dev/null
    echo "$name $((SECONDS - t0))" >> "$out/seconds.txt"
}
: > "$out/seconds.txt"
run clean
run decoy-plain --decoy
run decoy-rrr --decoy --rrr-mask decoy --rrr-lambda "$lambda"

/usr/bin/python3 - "$out" "$lambda" "$epochs" <<'PY'
import json, sys
out, lam, epochs = sys.argv[1], sys.argv[2], sys.argv[3]
secs = dict(l.split() for l in open(f"{out}/seconds.txt"))
rows = [("clean digits", "clean", "0"), ("Decoy MNIST, plain", "decoy-plain", "0"),
        ("Decoy MNIST, RRR mask", "decoy-rrr", lam)]
print(f"| MLP 784-50-30-10, {epochs} epochs | λ₁ | train accuracy | test accuracy | seconds |")
print("|---|---|---|---|---|")
for label, name, l in rows:
    m = json.load(open(f"{out}/{name}.json"))["metrics"]
    print(f"| {label} | {l} | {m['train_accuracy']:.4f} | {m['test_accuracy']:.4f} | {secs[name]} |")
PY
echo "models, reports and logs in $out" >&2
