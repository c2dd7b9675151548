#!/usr/bin/env bash
# The FLINT table (flint_table.sh) on Fashion-MNIST: 60,000 training and 10,000 test images of
# clothing, from Debian's dataset-fashion-mnist (installed here when missing). Its IDX files
# already carry the names `senn`'s IDX loader expects; the cache folder of symlinks keeps the
# data path stable and holds nothing but the four files the loader reads.
#
#   tests/bench/fashion_mnist.sh [BUILD_DIR] [OUT_DIR]
# Environment: as flint_table.sh (SENN, MODELS, EPOCHS, POSTHOC_EPOCHS, BATCH, LR, J, SEED, THREADS,
# LIMIT). The full run trains three models for up to 12 epochs on 54,000 images: more than an
# hour on 2 cores.
# Copy the binary first when others rebuild the tree meanwhile:
#   cp build/dev/app/senn /tmp/senn-bench-bin
#   SENN=/tmp/senn-bench-bin THREADS=2 nice -n 19 tests/bench/fashion_mnist.sh build/dev out
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
pkg=dataset-fashion-mnist
if ! dpkg -s "$pkg" > /dev/null 2>&1; then
    echo "installing $pkg" >&2
    if [[ $(id -u) -eq 0 ]]; then apt-get install -y "$pkg" >&2
    else sudo apt-get install -y "$pkg" >&2; fi
fi
cache="${XDG_CACHE_HOME:-$HOME/.cache}/senn-bench-fashion"
mkdir -p "$cache"
for f in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
    src="$(dpkg -L "$pkg" | grep -m1 "/$f\(\.gz\)\?$" || true)"
    [[ -n "$src" && -f "$src" ]] || { echo "$pkg has no $f: dpkg -L $pkg" >&2; exit 1; }
    ln -sfn "$src" "$cache/$(basename "$src")"
done
DATA="$cache" exec "$here/tests/bench/flint_table.sh" "$@"
