#!/usr/bin/python3
# Writes the inputs of resnet_photo.sh: a scripted torchvision ResNet-18 (2 classes, ImageNet
# normalisation inside, [N,3,224,224] in [0,1] -> logits), 48 colour photos in two class
# folders from scikit-image's sample images, and a small scripted MLP on a 30-feature CSV.
#   /usr/bin/python3 tests/bench/make_resnet.py OUT [--csv resources/data/breast-cancer.csv]
import argparse
import os

import numpy as np
import torch
import torchvision
from PIL import Image
import skimage.data

# Two classes of four photos each; six crops of each (three windows, each also mirrored).
CLASSES = {
    "everyday": ["astronaut", "chelsea", "coffee", "rocket"],
    "science": ["hubble_deep_field", "immunohistochemistry", "retina", "colorwheel"],
}
SIDE = 224


class ResNetClassifier(torch.nn.Module):
    """ImageNet normalisation inside, so the model takes the loader's [0, 1] pixels."""

    def __init__(self):
        super().__init__()
        self.net = torchvision.models.resnet18(weights=None)
        self.net.fc = torch.nn.Linear(self.net.fc.in_features, 2)
        self.register_buffer("mean", torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net((x - self.mean) / self.std)


class TableMlp(torch.nn.Module):
    """Standardisation inside, so the model takes the raw CSV values."""

    def __init__(self, mean, std, width=32):
        super().__init__()
        self.register_buffer("mean", mean)
        self.register_buffer("std", std)
        self.body = torch.nn.Sequential(
            torch.nn.Linear(mean.numel(), width), torch.nn.ReLU(), torch.nn.Linear(width, 2))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.body((x - self.mean) / self.std)


def write_photos(root, rng):
    for cls, names in CLASSES.items():
        os.makedirs(os.path.join(root, cls), exist_ok=True)
        for name in names:
            img = getattr(skimage.data, name)()[..., :3]
            h, w = img.shape[:2]
            for k in range(3):
                # A square window of 60-100% of the short side, anywhere in the image.
                s = int(min(h, w) * rng.uniform(0.6, 1.0))
                top, left = rng.integers(0, h - s + 1), rng.integers(0, w - s + 1)
                crop = Image.fromarray(img[top:top + s, left:left + s]).resize((SIDE, SIDE), Image.BILINEAR)
                crop.save(os.path.join(root, cls, f"{name}_{k}.png"))
                crop.transpose(Image.FLIP_LEFT_RIGHT).save(os.path.join(root, cls, f"{name}_{k}_flip.png"))


def write_mlp(csv_path, out_path):
    rows = np.genfromtxt(csv_path, delimiter=",", skip_header=1, dtype=str)
    x = torch.tensor(rows[:, :-1].astype(np.float32))
    labels = sorted(set(rows[:, -1]))
    y = torch.tensor([labels.index(v) for v in rows[:, -1]])
    model = TableMlp(x.mean(0), x.std(0))
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    for _ in range(200):
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
    acc = (model(x).argmax(1) == y).float().mean().item()
    torch.jit.save(torch.jit.script(model.eval()), out_path)
    return acc


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--csv", default="resources/data/breast-cancer.csv")
    ap.add_argument("--seed", type=int, default=18)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    torch.manual_seed(a.seed)
    write_photos(os.path.join(a.out, "photos"), np.random.default_rng(a.seed))
    torch.jit.save(torch.jit.script(ResNetClassifier().eval()), os.path.join(a.out, "resnet18.pt"))
    if os.path.exists(a.csv):
        acc = write_mlp(a.csv, os.path.join(a.out, "mlp.pt"))
        print(f"mlp.pt: training accuracy {acc:.3f}")
    print(f"wrote {a.out}/resnet18.pt and {a.out}/photos (48 photos, 2 classes)")


if __name__ == "__main__":
    main()
