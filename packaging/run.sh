#!/usr/bin/env bash
# The README's main command: installs what is missing, builds, and opens SENN Studio on the
# bundled MNIST digits. Without a display it runs the same example headless (`senn demo`).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$here/packaging/install-deps.sh"
"$here/packaging/build.sh" dev
bin="$here/build/dev/app"
if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  exec "$bin/senn-studio" "$here/resources/data/mnist-10k" "$@"
fi
out="${SENN_DEMO_OUT:-$here/build/demo}"
echo "run.sh: no display found; running the example headless with 'senn demo --out $out'"
"$bin/senn" demo --out "$out"
echo "run.sh: model, metrics and figures are in $out"
