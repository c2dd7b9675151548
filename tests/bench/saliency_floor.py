#!/usr/bin/python3
# The floor of plain saliency on a TorchScript model: torch autograd on the input, as Captum's
# Saliency does (forward, the target's logit, its gradient w.r.t. x), one thread.
#   /usr/bin/python3 tests/bench/saliency_floor.py MODEL.pt (--csv FILE | --photos DIR) [--calls N]
# Prints the first (cold) call and the median of the warm calls, in milliseconds.
import argparse
import os
import statistics
import time

import numpy as np
import torch


def first_input(a):
    if a.csv:
        row = np.genfromtxt(a.csv, delimiter=",", skip_header=1, dtype=str, max_rows=1)
        return torch.tensor(row[:-1].astype(np.float32)).unsqueeze(0)
    from PIL import Image
    cls = sorted(os.listdir(a.photos))[0]
    name = sorted(os.listdir(os.path.join(a.photos, cls)))[0]
    img = np.asarray(Image.open(os.path.join(a.photos, cls, name)).convert("RGB"), dtype=np.float32) / 255
    return torch.tensor(img).permute(2, 0, 1).unsqueeze(0).contiguous()


def saliency(model, x, target):
    x = x.clone().requires_grad_()
    out = model(x)
    (g,) = torch.autograd.grad(out[0, target], x)
    return g.abs()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("--csv")
    ap.add_argument("--photos")
    ap.add_argument("--calls", type=int, default=20)
    a = ap.parse_args()
    torch.set_num_threads(1)
    model = torch.jit.load(a.model).eval()
    x = first_input(a)
    with torch.no_grad():
        target = int(model(x).argmax(1)[0])
    times = []
    for _ in range(a.calls + 1):
        t0 = time.perf_counter()
        saliency(model, x, target)
        times.append(time.perf_counter() - t0)
    warm = times[1:]
    print(f"cold {times[0] * 1e3:9.2f} ms  warm median {statistics.median(warm) * 1e3:9.2f} ms"
          f"  min {min(warm) * 1e3:9.2f} ms  ({a.calls} warm calls)")


if __name__ == "__main__":
    main()
