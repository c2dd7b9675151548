#!/usr/bin/env bash
# Installs, with apt-get, the Debian 12 packages SENN Studio needs to build, test and run,
# and only those that are missing. Idempotent: with everything present it only checks.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config
  libtorch-dev
  qt6-base-dev qt6-base-dev-tools qt6-svg-dev libgl-dev qt6-qpa-plugins
  libqcustomplot-dev
  libopencv-dev libopencv-contrib-dev
  nlohmann-json3-dev libcli11-dev zlib1g-dev
  fonts-dejavu-core
  # headless GUI runs, screenshots and report checks
  xvfb xauth poppler-utils
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

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
