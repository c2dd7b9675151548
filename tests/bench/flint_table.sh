#!/usr/bin/env bash
# The FLINT table of docs/benchmarks.md (flint.md) through the CLI on the bundled MNIST digits: the
# CNN alone, SENN, FLINT trained jointly, and post-hoc FLINT on that CNN (frozen). Prints a
# Markdown table of f's and g's test accuracy, fidelity and conciseness CNS(τ) (`senn eval`).
#
#   tests/bench/flint_table.sh [BUILD_DIR] [OUT_DIR]
# Environment: EPOCHS (12: CNN, SENN and joint FLINT), POSTHOC_EPOCHS (4), BATCH (32),
# LR (0.001), J (25 attributes), SEED (0), THREADS (0 = all cores), LIMIT (all training rows).
# A quick smoke run: EPOCHS=1 POSTHOC_EPOCHS=1 LIMIT=1000 tests/bench/flint_table.sh
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-$here/build/dev}"
out="${2:-$(mktemp -d)}"
senn="$build/app/senn"
data="$here/resources/data/mnist-10k"
epochs="${EPOCHS:-12}"
posthoc_epochs="${POSTHOC_EPOCHS:-4}"
batch="${BATCH:-32}"
lr="${LR:-0.001}"
attributes="${J:-25}"
seed="${SEED:-0}"
threads="${THREADS:-0}"
limit=()
[[ -n "${LIMIT:-}" ]] && limit=(--limit "$LIMIT")
[[ -x "$senn" ]] || { echo "no senn binary at $senn: build the 'senn' target first" >&2; exit 1; }
mkdir -p "$out"
common=(--data "$data" --batch "$batch" --lr "$lr" --seed "$seed" --threads "$threads" "${limit[@]}")

run() { # name, epochs, extra train args...
    local name="$1" e="$2"; shift 2
    local t0=$SECONDS
    echo "training $name ($e epochs)" >&2
    "$senn" train "${common[@]}" --epochs "$e" --out "$out/$name.senn" --report "$out/$name.json" "$@" \
        2> "$out/$name.log" > /dev/null
    "$senn" eval --model "$out/$name.senn" --data "$data" --json "$out/$name-eval.json" \
        2>> "$out/$name.log" > /dev/null
    echo "$name $e $((SECONDS - t0))" >> "$out/runs.txt"
}
: > "$out/runs.txt"
run cnn "$epochs" --model cnn
run senn "$epochs" --model senn
run flint "$epochs" --model flint -k "$attributes"
run flint-posthoc "$posthoc_epochs" --model flint -k "$attributes" --posthoc "$out/cnn.senn"

/usr/bin/python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
runs = {n: (e, s) for n, e, s in (l.split() for l in open(f"{out}/runs.txt"))}
rows = [("CNN alone (`--model cnn`)", "cnn"), ("SENN (`--model senn`)", "senn"),
        ("FLINT, joint (`--model flint`)", "flint"),
        ("FLINT, post hoc on that CNN (`--posthoc cnn.senn`)", "flint-posthoc")]
taus = ["1.5", "2", "2.5", "3", "4", "5"]
print("| model | epochs | accuracy of f | accuracy of g | fidelity | "
      + " | ".join(f"CNS({t})" for t in taus) + " | seconds |")
print("|---|---|---|---|---|" + "---|" * len(taus) + "---|")
for label, name in rows:
    ev = json.load(open(f"{out}/{name}-eval.json"))
    e, s = runs[name]
    if name == "flint-posthoc":
        e = f"{runs['cnn'][0]} + {e}"
    g = f"{ev['interpreter_accuracy']:.4f}" if "interpreter_accuracy" in ev else ""
    fid = f"**{ev['fidelity']:.4f}**" if "fidelity" in ev else ""
    cns = ev.get("conciseness", {})
    cells = [f"{cns[t]:.2f}" if t in cns else "" for t in taus]
    print(f"| {label} | {e} | {ev['accuracy']:.4f} | {g} | {fid} | " + " | ".join(cells) + f" | {s} |")
print(f"\n{json.load(open(f'{out}/cnn-eval.json'))['n']} test digits; models, reports and logs in {out}")
PY
