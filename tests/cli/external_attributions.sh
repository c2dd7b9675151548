#!/usr/bin/env bash
# `--attributions NAME=FILE.npy` through the real binary: our own saliency and integrated
# gradients written by `senn explain --split test --all --npy`, loaded back as files, score
# exactly as our rows in `senn scorecard`, `senn faithfulness` and `senn ground-truth` (the
# linear unit model's truth); the measures that need the method are null with the reason; a
# wrong N, a wrong shape, a NaN and a built-in name are refused with exit code 2 naming the
# file; stability and sanity refuse the option with the reason.
#   external_attributions.sh SENN_BINARY DATA_DIR
set -euo pipefail
senn="$1"
data="$2/breast-cancer.csv"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
# expect_refusal WHAT PATTERN COMMAND...: exit code 2 and PATTERN (grep -E) in the message.
expect_refusal() {
    local what="$1" pattern="$2"
    shift 2
    set +e
    "$@" > /dev/null 2> "$tmp/err"
    local code=$?
    set -e
    [[ $code -eq 2 ]] || fail "$what: exit code $code ($(cat "$tmp/err"))"
    grep -qE -- "$pattern" "$tmp/err" || fail "$what: the message does not say '$pattern': $(cat "$tmp/err")"
}

"$senn" train --data "$data" --target diagnosis --model mlp --epochs 3 --limit 160 --threads 1 \
    --out "$tmp/m.senn" > /dev/null 2>&1
"$senn" explain --model "$tmp/m.senn" --data "$data" --split test --all --npy "$tmp/ours" \
    --methods saliency,integrated-gradients > /dev/null 2>&1 || fail "senn explain --all failed"
sal="$tmp/ours_saliency.npy"
ig="$tmp/ours_integrated-gradients.npy"

# Scorecard: every point measure of the files' rows equals our rows', value for value.
measures=removal_correlation,faithfulness_correlation,infidelity,deletion_aopc,insertion_auc,road_morf_aopc,sparseness,complexity,max_sensitivity
"$senn" scorecard --model "$tmp/m.senn" --data "$data" --methods saliency,integrated-gradients --points 4 \
    --measures "$measures" --bootstrap 50 --threads 1 --attributions "sal=$sal" --attributions "ig=$ig" \
    --json "$tmp/s.json" > /dev/null 2> "$tmp/err" || fail "senn scorecard failed: $(cat "$tmp/err")"
python3 - "$tmp/s.json" "$sal" <<'PY' || fail "scorecard: the files' rows differ from ours"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["methods"] == ["saliency", "integrated-gradients", "sal", "ig"], s["methods"]
cells = s["cells"]
assert cells["sal"]["source"] == sys.argv[2] and "source" not in cells["saliency"]
for ours, theirs in (("saliency", "sal"), ("integrated-gradients", "ig")):
    for m in [m["id"] for m in s["measures"]]:
        a, b = cells[ours][m], cells[theirs][m]
        if m == "max_sensitivity":
            assert b["median"] is None and "needs the method itself" in b["reason"], b
            assert a["median"] is not None and "reason" not in a, a
            continue
        assert a["per_point"] == b["per_point"], (m, a["per_point"], b["per_point"])
        assert a["median"] == b["median"], m
        assert any(v is not None for v in a["per_point"]), m
assert "max_sensitivity" not in s["agreement"]["measures"]
PY

# Faithfulness: the same, with the source and the reason of a robustness measure; two files in
# one option (A=a.npy,B=b.npy).
fa=(faithfulness --model "$tmp/m.senn" --data "$data" --methods saliency --points 4
    --measure removal,infidelity,deletion,max-sensitivity --attributions "sal=$sal,ig=$ig")
"$senn" "${fa[@]}" --threads 2 --json "$tmp/f.json" > /dev/null 2> "$tmp/err" \
    || fail "senn faithfulness failed: $(cat "$tmp/err")"
python3 - "$tmp/f.json" "$sal" <<'PY' || fail "faithfulness: the file's row differs from ours"
import json, sys
f = json.load(open(sys.argv[1]))["methods"]
a, b = f["saliency"], f["sal"]
assert b["source"] == sys.argv[2]
assert a["per_point"] == b["per_point"] and a["infidelity"] == b["infidelity"]
for m in ("deletion_aopc", "deletion_lerf_aopc", "removal_correlation"):
    assert a["measures"][m]["per_point"] == b["measures"][m]["per_point"], m
assert b["measures"]["max_sensitivity"]["median"] is None
assert "needs the method itself" in b["measures"]["max_sensitivity"]["reason"]
PY

# The same run in two shards merges to it byte for byte (timing removed); a missing shard's
# rerun command gives the files back as one --attributions.
"$senn" "${fa[@]}" --threads 1 --shard 1/2 --json "$tmp/f1.json" 2> /dev/null
"$senn" "${fa[@]}" --threads 2 --shard 2/2 --json "$tmp/f2.json" 2> /dev/null
"$senn" merge "$tmp/fm.json" "$tmp/f1.json" "$tmp/f2.json" 2> /dev/null || fail "merge of faithfulness shards with files"
python3 - "$tmp/f.json" "$tmp/fm.json" <<'PY' || fail "faithfulness shards with files do not merge to the unsharded run"
import sys
def untimed(p):
    t = open(p).read()
    return t[:t.rindex(',\n  "timing": ')]
assert untimed(sys.argv[1]) == untimed(sys.argv[2])
assert '"source": ' in untimed(sys.argv[1]) and '"ig": {' in untimed(sys.argv[1])
PY
set +e
"$senn" merge "$tmp/fm2.json" "$tmp/f1.json" > /dev/null 2> "$tmp/err"
set -e
grep -q -- "--attributions 'sal=.*ours_saliency.npy,ig=.*ours_integrated-gradients.npy'" "$tmp/err" \
    || grep -q -- "--attributions sal=.*ours_saliency.npy,ig=.*ours_integrated-gradients.npy" "$tmp/err" \
    || fail "the rerun command does not give the files back: $(cat "$tmp/err")"

# Ground truth: the bundled linear unit model's saliency from a file scores as ours.
lin="$2/ground-truth/linear-breast-cancer.pt"
"$senn" explain --model "$lin" --data "$data" --split test --all --npy "$tmp/lin" --methods saliency \
    > /dev/null 2>&1 || fail "senn explain --all on the unit model failed"
"$senn" ground-truth --model "$lin" --data "$data" --methods saliency --points 4 \
    --attributions "lin-sal=$tmp/lin_saliency.npy" --json "$tmp/g.json" > /dev/null 2>&1 || fail "ground-truth --attributions failed"
python3 - "$tmp/g.json" <<'PY' || fail "ground-truth: the file's scores differ from ours"
import json, sys
rows = {m["method"]: m for m in json.load(open(sys.argv[1]))["methods"]}
a, b = rows["saliency"], rows["lin-sal"]
assert b["source"].endswith("lin_saliency.npy")
assert a["per_point"] == b["per_point"], (a["per_point"], b["per_point"])
assert b["summary"]["irrelevant_mass"]["max"] == 0.0
PY

# Refusals, each naming the file: N (a test file read as the train split), the shape, a NaN,
# a built-in method's name.
expect_refusal "wrong N" "ours_saliency.npy.*rows but the train split has [0-9]+" \
    "$senn" scorecard --model "$tmp/m.senn" --data "$data" --methods saliency --points 2 \
    --attributions "sal=$sal" --attributions-split train
python3 - "$sal" "$tmp/shape.npy" "$tmp/nan.npy" <<'PY'
import struct, sys
raw = open(sys.argv[1], "rb").read()
hlen = struct.unpack("<H", raw[8:10])[0]
header, body = raw[10:10 + hlen].decode("latin1"), raw[10 + hlen:]
n = int(header.split("'shape': (")[1].split(",")[0])
def save(path, shape, data):
    h = "{'descr': '<f4', 'fortran_order': False, 'shape': (%s), }" % ", ".join(map(str, shape))
    h += " " * ((64 - (10 + len(h) + 1) % 64) % 64) + "\n"
    open(path, "wb").write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(h)) + h.encode() + data)
save(sys.argv[2], (n, 29), body[: n * 29 * 4])
nan = bytearray(body)
nan[(1 * 30 + 7) * 4:(1 * 30 + 8) * 4] = struct.pack("<f", float("nan"))
save(sys.argv[3], (n, 30), bytes(nan))
PY
expect_refusal "wrong shape" "shape.npy: each row has shape \(29,\) but the model's input has shape \(30,\)" \
    "$senn" scorecard --model "$tmp/m.senn" --data "$data" --methods saliency --points 2 --attributions "x=$tmp/shape.npy"
expect_refusal "NaN" "nan.npy: NaN at row 1 .*index 7" \
    "$senn" faithfulness --model "$tmp/m.senn" --data "$data" --methods saliency --points all \
    --attributions "x=$tmp/nan.npy"
expect_refusal "built-in name" "ours_saliency.npy: the name 'saliency' is the id of a built-in method" \
    "$senn" scorecard --model "$tmp/m.senn" --data "$data" --methods saliency --attributions "saliency=$sal"
expect_refusal "stability" "needs the method itself" \
    "$senn" stability --model "$tmp/m.senn" --data "$data" --methods saliency --attributions "sal=$sal"
expect_refusal "sanity" "needs the method itself" \
    "$senn" sanity --model "$tmp/m.senn" --data "$data" --methods saliency --attributions "sal=$sal"
echo "external_attributions: ok"
