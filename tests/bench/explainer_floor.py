#!/usr/bin/python3
# The floor of the row-hungry explainers on a TorchScript model: the model's own time for the
# rows each method evaluates, in Python torch, one thread. Forward only for the perturbation
# methods (occlusion, LIME, KernelSHAP), forward and input gradient for integrated gradients
# and SmoothGrad. Batches of --batch rows, as the app sends a 224x224 model.
#   /usr/bin/python3 tests/bench/explainer_floor.py MODEL.pt [--shape 3,224,224] [--batch 8]
import argparse
import time

import torch

ROWS = {"integrated-gradients": (52, True), "smoothgrad": (51, True), "occlusion": (170, False),
        "lime": (1000, False), "kernel-shap (--samples 100)": (1011, False)}


def timed(model, rows, batch, grad, shape):
    t0 = time.perf_counter()
    for b in range(0, rows, batch):
        x = torch.rand((min(batch, rows - b),) + shape)
        if grad:
            x.requires_grad_()
            out = model(x)
            torch.autograd.grad(out[:, 0].sum(), x)
        else:
            with torch.no_grad():
                model(x)
    return time.perf_counter() - t0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("--shape", default="3,224,224")
    ap.add_argument("--batch", type=int, default=8)
    a = ap.parse_args()
    torch.set_num_threads(1)
    shape = tuple(int(s) for s in a.shape.split(","))
    model = torch.jit.load(a.model).eval()
    timed(model, a.batch, a.batch, True, shape)  # warm-up: the first calls compile and allocate
    for name, (rows, grad) in ROWS.items():
        print(f"{name:<28} floor {timed(model, rows, a.batch, grad, shape):8.2f} s  ({rows} rows, batch {a.batch})")


if __name__ == "__main__":
    main()
