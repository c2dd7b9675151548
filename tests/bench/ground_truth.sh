#!/usr/bin/env bash
# Ground truth through the CLI (senn ground-truth): (1) on the bundled linear unit model
# (breast cancer, 5 of 30 columns), the irrelevant mass of every post-hoc method over the test
# split, median and max; (2) on Decoy MNIST, the share of |attribution| inside the decoy patch
# for the plain MLP and the RRR-trained one (rrr_decoy.sh's models). Prints Markdown tables.
#
#   tests/bench/ground_truth.sh [BUILD_DIR] [OUT_DIR]
# Environment: EPOCHS (20), LAMBDA (10), POINTS (Decoy points, 50), THREADS (0 = all cores).
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-$here/build/dev}"
out="${2:-$(mktemp -d)}"
senn="$build/app/senn"
data="$here/resources/data"
epochs="${EPOCHS:-20}"
lambda="${LAMBDA:-10}"
points="${POINTS:-50}"
threads="${THREADS:-0}"
[[ -x "$senn" ]] || { echo "no senn binary at $senn: build the 'senn' target first" >&2; exit 1; }
mkdir -p "$out"

"$senn" ground-truth --model "$data/ground-truth/linear-breast-cancer.pt" --data "$data/breast-cancer.csv" \
    --points 100000 --json "$out/linear.json" 2> "$out/linear.log" > /dev/null

common=(--data "$data/mnist-10k" --model mlp --hidden 50,30 --epochs "$epochs" --batch 64 --seed 0
        --threads "$threads" --decoy)
"$senn" train "${common[@]}" --out "$out/decoy-plain.senn" 2> "$out/plain.log" > /dev/null
"$senn" train "${common[@]}" --rrr-mask decoy --rrr-lambda "$lambda" --out "$out/decoy-rrr.senn" 2> "$out/rrr.log" > /dev/null
methods=saliency,grad-input,integrated-gradients,smoothgrad,occlusion,lime
for m in plain rrr; do
    "$senn" ground-truth --model "$out/decoy-$m.senn" --data "$data/mnist-10k" --mask decoy --absolute \
        --methods "$methods" --points "$points" --json "$out/decoy-$m.json" 2> "$out/decoy-$m.log" > /dev/null
done

/usr/bin/python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
f = lambda v: "–" if v is None else f"{v:.4f}"
lin = json.load(open(f"{out}/linear.json"))
print(f"Linear unit model, {len(lin['points'])} test points: irrelevant mass (share of |attribution| on the 25 ignored columns)\n")
print("| method | median | max |")
print("|---|---|---|")
for m in lin["methods"]:
    s = m["summary"]["irrelevant_mass"]
    print(f"| {m['name']} | {f(s['median'])} | {f(s['max'])} |")
plain = json.load(open(f"{out}/decoy-plain.json"))
rrr = json.load(open(f"{out}/decoy-rrr.json"))
print(f"\nDecoy MNIST, {len(plain['points'])} test points: share of |attribution| in the 4x4 decoy patch (mass accuracy, median; pointing game, mean)\n")
print("| method | plain: mass in patch | plain: top pixel in patch | RRR: mass in patch | RRR: top pixel in patch |")
print("|---|---|---|---|---|")
for a, b in zip(plain["methods"], rrr["methods"]):
    sa, sb = a["summary"], b["summary"]
    print(f"| {a['name']} | {f(sa['mass_accuracy']['median'])} | {f(sa['pointing_game']['mean'])} | "
          f"{f(sb['mass_accuracy']['median'])} | {f(sb['pointing_game']['mean'])} |")
PY
echo "models, JSON and logs in $out" >&2
