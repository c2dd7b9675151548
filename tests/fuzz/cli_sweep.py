#!/usr/bin/env python3
"""Hostile-input sweep of the `senn` CLI, beside the fuzzers and the catalogue test.

Writes malformed files of every kind the CLI reads (CSV, IDX, .npy, image folders, .senn models
with valid checksums but hostile metadata, sessions are the app's) into a scratch folder, runs
each case under a 4 GiB address-space limit and a 120 s timeout, and reports per case:
  crash    exit by a signal or an exit code other than 0, 1, 2
  hang     still running after the timeout
  message  stderr of an error over 300 characters, with control characters, or naming no file
  lost     a file that existed before the command changed
Exit status 1 when any case fails. Usage (SWEEP_ONLY=REGEX runs the cases whose name matches):

    tests/fuzz/cli_sweep.py build/dev/app/senn [SCRATCH_DIR]
"""
import gzip, hashlib, json, os, re, resource, struct, subprocess, sys, tempfile, zlib

SENN = os.path.abspath(sys.argv[1])
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "resources", "data")
work = sys.argv[2] if len(sys.argv) > 2 else tempfile.mkdtemp(prefix="senn-sweep-")
os.makedirs(work, exist_ok=True)
P = lambda name: os.path.join(work, name)
results = []


def write(name, data):
    path = P(name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())
    return path


def digest(path):
    try:
        with open(path, "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()
    except OSError:
        return None


def limit():
    resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))


ONLY = re.compile(os.environ.get("SWEEP_ONLY", ""))


def run(name, args, mention, protect=(), expect_ok=False, outputs=()):
    """protect: inputs that must never change; outputs: files that must not change on failure."""
    if not ONLY.search(name):
        return
    before = {p: digest(p) for p in list(protect) + list(outputs)}
    try:
        r = subprocess.run([SENN] + args, capture_output=True, timeout=120, preexec_fn=limit,
                           env=dict(os.environ, OMP_NUM_THREADS="1"))
    except subprocess.TimeoutExpired:
        results.append((name, "hang", "no exit after 120 s"))
        return
    err = r.stderr.decode("utf-8", "replace").strip()
    problems = []
    if r.returncode < 0 or r.returncode not in (0, 1, 2):
        problems.append(f"crash (exit {r.returncode}): {err[-200:]}")
    elif r.returncode == 0 and not expect_ok:
        problems.append("accepted (exit 0)")
    elif r.returncode != 0:
        last = err.splitlines()[-1] if err else ""
        if len(last) > 300 or any(ord(c) < 32 and c != "\t" for c in last):
            problems.append(f"message: {last[:200]!r}")
        if mention and mention not in err:
            problems.append(f"message does not name {mention!r}: {last[:200]!r}")
    for p, h in before.items():
        if digest(p) != h and (p in protect or r.returncode != 0):
            problems.append(f"lost: {os.path.basename(p)} changed")
    results.append((name, "FAIL: " + "; ".join(problems) if problems else "ok",
                    (err.splitlines() or [""])[-1][:160]))


out = P("out.senn")
write("out.senn", b"precious model bytes")

# ---- CSV
csv_cases = {
    "header-only.csv": "a,b,label\n",
    "one-row.csv": "a,b,label\n1,2,x\n",
    "one-class.csv": "a,b,label\n" + "".join(f"{i},{i*2},x\n" for i in range(40)),
    "target-only.csv": "label\n" + "".join(f"{i%2}\n" for i in range(40)),
    "constant.csv": "a,b,label\n" + "".join(f"1,1,{i%2}\n" for i in range(40)),
    "huge-values.csv": "a,b,label\n" + "".join(f"3e38,-3e38,{i%2}\n" for i in range(40)),
    "denormal.csv": "a,b,label\n" + "".join(f"1e-44,{i},{i%2}\n" for i in range(40)),
    "nul-bytes.csv": "a,b,label\n1,\x002,x\n3,4,y\n",
    "open-quote.csv": 'a,b,label\n1,"2,x\n3,4,y\n',
    "ragged.csv": "a,b,label\n1,2,x\n3,y\n5,6,7,z\n",
    "long-line.csv": "a,b,label\n" + "1," * 2_000_000 + "x\n",
    "many-columns.csv": ",".join(f"c{i}" for i in range(20000)) + ",label\n" +
                        "".join(",".join("1" for _ in range(20000)) + f",{i%2}\n" for i in range(4)),
    "bom-only.csv": "\ufeff",
    "crlf-mixed.csv": "a,b,label\r\n1,2,x\n3,4,y\r5,6,x\r\n",
    "singleton-class.csv": "a,b,label\n" + "".join(f"{i},{i},{'x' if i else 'y'}\n" for i in range(40)),
}
for name, text in csv_cases.items():
    path = write(name, text)
    run("csv " + name, ["train", "--data", path, "--out", out, "--epochs", "1"], name, [path],
        expect_ok=name in ("constant.csv", "denormal.csv", "singleton-class.csv", "huge-values.csv",
                           "many-columns.csv"), outputs=[out])

# ---- IDX
def idx(dims, payload, dtype=0x08):
    return struct.pack(">BBBB", 0, 0, dtype, len(dims)) + b"".join(struct.pack(">I", d) for d in dims) + payload

def idx_dir(name, images, labels, gz=False):
    d = P(name)
    os.makedirs(d, exist_ok=True)
    for fn, data in (("train-images-idx3-ubyte", images), ("train-labels-idx1-ubyte", labels)):
        if gz:
            with gzip.open(os.path.join(d, fn + ".gz"), "wb") as f:
                f.write(data)
        else:
            with open(os.path.join(d, fn), "wb") as f:
                f.write(data)
    return d

idx_cases = {
    "idx-zero-images": (idx([0, 28, 28], b""), idx([0], b"")),
    "idx-zero-size": (idx([10, 0, 0], b""), idx([10], bytes(10))),
    "idx-count-mismatch": (idx([10, 2, 2], bytes(40)), idx([9], bytes(9))),
    "idx-float-images": (idx([10, 2, 2], bytes(160), 0x0D), idx([10], bytes(10))),
    "idx-4d": (idx([10, 1, 2, 2], bytes(40)), idx([10], bytes(10))),
    "idx-label-255": (idx([10, 2, 2], bytes(40)), idx([10], bytes([255] * 10))),
    "idx-huge-dims": (idx([2, 65535, 65535], bytes(100)), idx([2], bytes(2))),
}
for name, (im, lb) in idx_cases.items():
    d = idx_dir(name, im, lb)
    run(name, ["train", "--data", d, "--out", out, "--epochs", "1"], name, outputs=[out],
        expect_ok=name in ("idx-label-255",))
    d = idx_dir(name + "-gz", im, lb, gz=True)
    run(name + ".gz", ["train", "--data", d, "--out", out, "--epochs", "1"], name, outputs=[out],
        expect_ok=name in ("idx-label-255",))

# ---- .npy
def npy(descr, shape, payload, fortran=False):
    header = "{'descr': '%s', 'fortran_order': %s, 'shape': %s, }" % (descr, fortran, shape)
    header = header.encode().ljust(118, b" ") + b"\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header + payload

npy_cases = {
    "npy-complex": (npy("<c8", "(4, 2)", bytes(64)), npy("<i8", "(4,)", bytes(32))),
    "npy-object": (npy("|O", "(4, 2)", bytes(64)), npy("<i8", "(4,)", bytes(32))),
    "npy-fortran": (npy("<f4", "(4, 2)", bytes(32), True), npy("<i8", "(4,)", bytes(32))),
    "npy-negative-labels": (npy("<f4", "(4, 2)", bytes(32)), npy("<i8", "(4,)", struct.pack("<4q", -1, 0, 1, -7))),
    "npy-fraction-labels": (npy("<f4", "(4, 2)", bytes(32)), npy("<f8", "(4,)", struct.pack("<4d", 0.5, 1, 0, 1))),
    "npy-nan-features": (npy("<f4", "(4, 2)", struct.pack("<8f", *[float("nan")] * 8)), npy("<i8", "(4,)", bytes(32))),
    "npy-big-endian": (npy(">f4", "(4, 2)", bytes(32)), npy(">i8", "(4,)", bytes(32))),
    "npy-zero-rows": (npy("<f4", "(0, 2)", b""), npy("<i8", "(0,)", b"")),
    "npy-5d": (npy("<f4", "(1, 1, 1, 1, 4)", bytes(16)), npy("<i8", "(1,)", bytes(8))),
    "npy-bad-header": (b"\x93NUMPY\x01\x00\x10\x00{'descr': <f4' \n", npy("<i8", "(4,)", bytes(32))),
}
for name, (x, y) in npy_cases.items():
    d = P(name)
    os.makedirs(d, exist_ok=True)
    write(name + "/x.npy", x)
    write(name + "/y.npy", y)
    run(name, ["train", "--data", d, "--out", out, "--epochs", "1"], name, outputs=[out])

# ---- image folders
img = P("images-empty-classes")
for c in ("a", "b"):
    os.makedirs(os.path.join(img, c), exist_ok=True)
write("images-empty-classes/a/readme.txt", "not an image")
run("images: classes without images", ["train", "--data", img, "--out", out, "--epochs", "1"], "images-empty-classes", outputs=[out])
write("images-fake/a/x.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)
write("images-fake/b/y.png", b"\x89PNG\r\n\x1a\n" + b"\xff" * 40)
run("images: truncated PNGs", ["train", "--data", P("images-fake"), "--out", out, "--epochs", "1"], "images-fake", outputs=[out])
os.makedirs(P("images-deep/a/b/c/d"), exist_ok=True)
run("images: nested folders only", ["train", "--data", P("images-deep"), "--out", out, "--epochs", "1"], "images-deep", outputs=[out])

# ---- .senn files with a valid checksum and hostile metadata
base = P("base.senn")
bc = os.path.join(DATA, "breast-cancer.csv")
r = subprocess.run([SENN, "train", "--data", bc, "--target", "diagnosis", "--out", base, "--epochs", "1",
                    "--patience", "0"], capture_output=True, env=dict(os.environ, OMP_NUM_THREADS="1"))
assert r.returncode == 0, r.stderr.decode()
blob = open(base, "rb").read()
jlen = struct.unpack("<Q", blob[12:20])[0]
meta = json.loads(blob[20:20 + jlen])
rest = blob[20 + jlen:-4]

def senn_file(name, m=None, raw_json=None):
    j = raw_json if raw_json is not None else json.dumps(m).encode()
    body = blob[:8] + blob[8:12] + struct.pack("<Q", len(j)) + j + rest
    return write(name, body + struct.pack("<I", zlib.crc32(body) & 0xFFFFFFFF))

def mutate(path_keys, value):
    m = json.loads(json.dumps(meta))
    cur = m
    for k in path_keys[:-1]:
        cur = cur.setdefault(k, {})
    cur[path_keys[-1]] = value
    return m

def walk(m, prefix=()):
    for k, v in (m.items() if isinstance(m, dict) else []):
        yield prefix + (k,), v
        yield from walk(v, prefix + (k,))

cases = []
for keys, v in walk(meta):
    if isinstance(v, bool):
        continue
    if isinstance(v, int):
        for bad in (-1, 0, 2**31, 10**12):
            cases.append((keys, bad))
    elif isinstance(v, float):
        cases.append((keys, -1e308))
    elif isinstance(v, list) and v and all(isinstance(e, int) for e in v):
        cases.append((keys, [10**9] * len(v)))
        cases.append((keys, []))
    elif isinstance(v, list):
        cases.append((keys, []))
    elif isinstance(v, str):
        cases.append((keys, "\x1b[31m" + "z" * 500))
for i, (keys, bad) in enumerate(cases):
    f = senn_file(f"meta-{i}.senn", mutate(keys, bad))
    run("senn meta " + ".".join(keys) + "=" + json.dumps(bad)[:30],
        ["eval", "--model", f, "--data", bc], f"meta-{i}.senn", [f, bc],
        expect_ok=True)  # a harmless value may load; only crashes, hangs and bad messages count
deep = senn_file("deep.senn", raw_json=b"[" * 200000 + b"]" * 200000)
run("senn metadata nested 200000 deep", ["info", "--model", deep], "deep.senn", [deep])
notobj = senn_file("notobj.senn", raw_json=b"42")
run("senn metadata not an object", ["info", "--model", notobj], "notobj.senn", [notobj])

# ---- wrong data for a good model, odd indices
run("model on other data", ["eval", "--model", base, "--data", os.path.join(DATA, "digits-8x8.csv")], "", [base])
for idx_ in ("-1", "569", "99999999999"):
    run("explain --index " + idx_, ["explain", "--model", base, "--data", bc,
                                    "--index", idx_, "--methods", "senn"], "--index", [base])
run("stability more points than rows", ["stability", "--model", base, "--data", bc,
                                        "--methods", "senn", "--points", "1000", "--eps", "0.1"], "", [base],
    expect_ok=True)

bad = [r for r in results if r[1] != "ok"]
for name, status, last in results:
    print(f"{status[:4]:4}  {name:48.48}  {last[:90] if status == 'ok' else status[:160]}")
print(f"\n{len(results)} cases, {len(bad)} failed; files in {work}")
sys.exit(1 if bad else 0)
