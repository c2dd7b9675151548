#!/usr/bin/env bash
# Installs, with apt-get, the Debian 12 packages SENN Studio needs to build, test and run,
# and only those that are missing. Idempotent: with everything present it only checks.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config
  libtorch-dev
  # LibTorch calls libblas.so.3 / liblapack.so.3; Debian's default provider is the netlib
  # reference BLAS, 6-22x slower here. OpenBLAS's OpenMP build takes the alternative:
  # it follows LibTorch's OpenMP thread count (1 inside the stability/faithfulness pools),
  # where the pthread build starts its own busy-waiting threads beside them (measured 1.3-1.8x
  # slower with 2 pool workers, tests/bench/README.md).
  libopenblas0-openmp
  qt6-base-dev qt6-base-dev-tools qt6-svg-dev libgl-dev qt6-qpa-plugins
  libqcustomplot-dev
  libopencv-dev libopencv-contrib-dev
  nlohmann-json3-dev libcli11-dev zlib1g-dev
  fonts-dejavu-core
  # headless GUI runs, screenshots and report checks
  xvfb xauth poppler-utils
  # the libFuzzer harnesses (tests/fuzz/run.sh, run by test.sh): clang and its fuzzer runtime
  clang libclang-rt-14-dev
  # packaging/slurm_test.sh (run by test.sh): a one-node Slurm cluster of its own
  munge slurmctld slurmd slurm-client
  # the CLI test scripts compare result JSON with the timing removed (tests/cli/*.sh)
  python3
)
if [ "${SENN_WITH_BENCH:-0}" = 1 ]; then
  PACKAGES+=(python3-torch python3-numpy time)
fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
else
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Make OpenBLAS the libblas.so.3 / liblapack.so.3 that LibTorch loads, even where an admin
# pinned the reference BLAS (manual mode): the alternatives decide what the loader finds.
ARCH=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)
for lib in libblas.so.3 liblapack.so.3; do
  alt="$lib-$ARCH"
  want="/usr/lib/$ARCH/openblas-openmp/$lib"
  [ -e "$want" ] || continue
  now=$(readlink -f "/etc/alternatives/$alt" 2>/dev/null || true)
  if [ "$now" != "$(readlink -f "$want")" ]; then
    echo "install-deps: selecting $want for $alt (was ${now:-none})"
    $SUDO update-alternatives --set "$alt" "$want"
  fi
done
