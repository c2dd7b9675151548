#!/usr/bin/env bash
# The FLINT table of docs/benchmarks.md through the CLI on the bundled MNIST digits, or on the IDX
# folder in DATA: the CNN alone, SENN, FLINT trained jointly, and post-hoc FLINT on that CNN
# (frozen). Prints a Markdown table of f's and g's test accuracy, fidelity and conciseness CNS(τ)
# (`senn eval`); OUT_DIR/stages.log has the train and eval seconds of each model.
#
#   tests/bench/flint_table.sh [BUILD_DIR] [OUT_DIR]
# Environment: DATA (resources/data/mnist-10k), SENN (the binary; BUILD_DIR/app/senn),
# EPOCHS (12: CNN, SENN and joint FLINT), POSTHOC_EPOCHS (4), BATCH (32), LR (0.001),
# J (25 attributes), SEED (0), THREADS (0 = all cores), LIMIT (all training rows),
# MODELS (which rows to train, in order: "cnn senn flint flint-posthoc"; flint-posthoc needs
# OUT_DIR/cnn.senn). Runs into one OUT_DIR can share the work between processes; the table has
# every model found there, and MODELS= (empty) only prints it.
# A quick smoke run: EPOCHS=1 POSTHOC_EPOCHS=1 LIMIT=1000 tests/bench/flint_table.sh
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-$here/build/dev}"
out="${2:-$(mktemp -d)}"
senn="${SENN:-$build/app/senn}"
data="${DATA:-$here/resources/data/mnist-10k}"
epochs="${EPOCHS:-12}"
posthoc_epochs="${POSTHOC_EPOCHS:-4}"
batch="${BATCH:-32}"
lr="${LR:-0.001}"
attributes="${J:-25}"
seed="${SEED:-0}"
threads="${THREADS:-0}"
models="${MODELS-cnn senn flint flint-posthoc}"
limit=()
[[ -n "${LIMIT:-}" ]] && limit=(--limit "$LIMIT")
[[ -x "$senn" ]] || { echo "no senn binary at $senn: build the 'senn' target first" >&2; exit 1; }
mkdir -p "$out"
common=(--data "$data" --batch "$batch" --lr "$lr" --seed "$seed" --threads "$threads" "${limit[@]}")

run() { # name, epochs, extra train args...
    local name="$1" e="$2"; shift 2
    local t0=$SECONDS t1
    rm -f "$out/$name.runs" "$out/$name-eval.json"
    echo "$(date -u +%H:%M:%S) training $name ($e epochs)" >&2
    "$senn" train "${common[@]}" --epochs "$e" --out "$out/$name.senn" --report "$out/$name.json" "$@" \
        2> "$out/$name.log" > /dev/null
    t1=$SECONDS
    "$senn" eval --model "$out/$name.senn" --data "$data" --json "$out/$name-eval.json" \
        2>> "$out/$name.log" > /dev/null
    echo "$e $((SECONDS - t0))" > "$out/$name.runs"
    echo "$(date -u +%H:%M:%S) $name: train $((t1 - t0)) s, eval $((SECONDS - t1)) s" | tee -a "$out/stages.log" >&2
}
for m in $models; do
    case "$m" in
        cnn) run cnn "$epochs" --model cnn ;;
        senn) run senn "$epochs" --model senn ;;
        flint) run flint "$epochs" --model flint -k "$attributes" ;;
        flint-posthoc)
            [[ -f "$out/cnn.senn" ]] || { echo "flint-posthoc needs $out/cnn.senn: run cnn first" >&2; exit 1; }
            run flint-posthoc "$posthoc_epochs" --model flint -k "$attributes" --posthoc "$out/cnn.senn" ;;
        *) echo "MODELS: unknown model '$m' (cnn, senn, flint, flint-posthoc)" >&2; exit 2 ;;
    esac
done

/usr/bin/python3 - "$out" <<'PY'
import json, os, sys
out = sys.argv[1]
runs = {}
for n in ("cnn", "senn", "flint", "flint-posthoc"):
    if os.path.exists(f"{out}/{n}.runs") and os.path.exists(f"{out}/{n}-eval.json"):
        runs[n] = open(f"{out}/{n}.runs").read().split()
rows = [("CNN alone (`--model cnn`)", "cnn"), ("SENN (`--model senn`)", "senn"),
        ("FLINT, joint (`--model flint`)", "flint"),
        ("FLINT, post hoc on that CNN (`--posthoc cnn.senn`)", "flint-posthoc")]
taus = ["1.5", "2", "2.5", "3", "4", "5"]
print("| model | epochs | accuracy of f | accuracy of g | fidelity | "
      + " | ".join(f"CNS({t})" for t in taus) + " | seconds |")
print("|---|---|---|---|---|" + "---|" * len(taus) + "---|")
for label, name in rows:
    if name not in runs:
        continue
    ev = json.load(open(f"{out}/{name}-eval.json"))
    e, s = runs[name]
    # Early stopping may end a run before its maximum: show the epochs run and the kept one.
    def ran(n):
        try:
            r = json.load(open(f"{out}/{n}.json"))
            return f"{r['epochs_run']} (best {r['best_epoch']})"
        except (OSError, ValueError, KeyError):
            return runs[n][0] if n in runs else "?"
    e = ran(name)
    if name == "flint-posthoc":
        e = f"{ran('cnn')} + {e}"
    g = f"{ev['interpreter_accuracy']:.4f}" if "interpreter_accuracy" in ev else ""
    fid = f"**{ev['fidelity']:.4f}**" if "fidelity" in ev else ""
    cns = ev.get("conciseness", {})
    cells = [f"{cns[t]:.2f}" if t in cns else "" for t in taus]
    print(f"| {label} | {e} | {ev['accuracy']:.4f} | {g} | {fid} | " + " | ".join(cells) + f" | {s} |")
n = next((json.load(open(f"{out}/{m}-eval.json"))["n"] for m in runs), 0)
print(f"\n{n} test images; models, reports and logs in {out}")
PY
