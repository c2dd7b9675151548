#!/usr/bin/python3
"""PyTorch reference for bench_senn_epoch: the same SENN (senn.md), loss, batch and threads,
with the robustness penalty computed the reference way: the full Jacobian of the logits and
of the concepts by autograd (one create_graph backward pass per output), then
|| J_f - theta^T J_h ||_F per sample, mean over the batch.

usage: /usr/bin/python3 senn_epoch_ref.py MNIST_DIR [--rows N] [--epochs E] [--threads T] [--batch B]
Needs Debian's python3-torch (the default `python3` may be a pyenv without torch).
"""
import argparse
import gzip
import json
import os
import resource
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def find(folder, stem):
    for name in (stem, stem + ".gz"):
        p = os.path.join(folder, name)
        if os.path.exists(p):
            return p
    raise FileNotFoundError(os.path.join(folder, stem))


class Senn(nn.Module):
    def __init__(self, k=5, classes=10):
        super().__init__()
        self.k, self.classes = k, classes
        # conceptizer (autoencoder)
        self.e1 = nn.Conv2d(1, 10, 5)
        self.e2 = nn.Conv2d(10, k, 5)
        self.efc = nn.Linear(16, 1)
        self.dfc = nn.Linear(1, 16)
        self.d1 = nn.ConvTranspose2d(k, 16, 5, stride=2)
        self.d2 = nn.ConvTranspose2d(16, 8, 5)
        self.d3 = nn.ConvTranspose2d(8, 1, 2, stride=2, padding=1)
        # parametrizer
        self.p1 = nn.Conv2d(1, 10, 5)
        self.p2 = nn.Conv2d(10, 20, 5)
        self.drop = nn.Dropout2d(0.5)
        self.pfc = nn.Linear(320, k * classes)

    def forward(self, x):
        e = F.relu(F.max_pool2d(self.e1(x), 2))
        e = F.relu(F.max_pool2d(self.e2(e), 2))
        h = self.efc(e.flatten(2)).squeeze(2)
        r = self.dfc(h.unsqueeze(2)).view(-1, self.k, 4, 4)
        r = self.d3(F.relu(self.d2(F.relu(self.d1(r)))))
        p = F.relu(F.max_pool2d(self.p1(x), 2))
        p = F.relu(F.max_pool2d(self.drop(self.p2(p)), 2))
        theta = torch.tanh(self.pfc(p.flatten(1))).view(-1, self.k, self.classes)
        logits = torch.bmm(h.unsqueeze(1), theta).squeeze(1)
        return logits, theta, h, r


def jacobian(out, x):
    # [N, m, d]: one create_graph backward pass per output column (samples are independent).
    return torch.stack([torch.autograd.grad(out[:, i].sum(), x, create_graph=True)[0].flatten(1)
                        for i in range(out.shape[1])], 1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mnist")
    ap.add_argument("--rows", type=int, default=8000)
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=128)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)

    x = read_idx(find(a.mnist, "train-images-idx3-ubyte")).astype(np.float32)[: a.rows] / 255.0
    y = read_idx(find(a.mnist, "train-labels-idx1-ubyte")).astype(np.int64)[: a.rows]
    x = torch.from_numpy(x).unsqueeze(1)
    x = (x - x.mean()) / x.std()
    y = torch.from_numpy(y)

    model = Senn()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999))
    lam, xi, zeta = 1e-4, 1.0, 2e-5
    times, acc = [], 0.0
    for _ in range(a.epochs):
        model.train()
        perm = torch.randperm(len(y))
        correct = 0
        t0 = time.perf_counter()
        for b in range(0, len(y), a.batch):
            idx = perm[b:b + a.batch]
            xb = x[idx].clone().requires_grad_(True)
            yb = y[idx]
            logits, theta, h, recon = model(xb)
            jf = jacobian(logits, xb)                       # [N, C, d]
            jh = jacobian(h, xb)                            # [N, k, d]
            m = jf - torch.bmm(theta.transpose(1, 2), jh)   # [N, C, d]
            r = m.flatten(1).norm(dim=1).mean()
            loss = (F.cross_entropy(logits, yb) + lam * r
                    + xi * (F.mse_loss(recon, xb.detach()) + zeta * h.abs().sum(1).mean()))
            opt.zero_grad()
            loss.backward()
            opt.step()
            correct += (logits.argmax(1) == yb).sum().item()
        times.append(time.perf_counter() - t0)
        acc = correct / len(y)
    print(json.dumps({"impl": "pytorch-reference", "penalty": "jacobians", "rows": len(y),
                      "batch": a.batch, "threads": a.threads, "epochs": a.epochs,
                      "median_epoch_seconds": round(float(np.median(times)), 3),
                      "train_accuracy_last_epoch": round(acc, 4),
                      "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                      "torch": torch.__version__}))


if __name__ == "__main__":
    main()
