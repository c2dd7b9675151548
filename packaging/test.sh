#!/usr/bin/env bash
# The README's test command: installs what a fresh Debian 12 machine lacks, builds, and runs
# the whole CTest suite. Exits non-zero when anything fails.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$here/packaging/install-deps.sh"
"$here/packaging/build.sh" dev
cd "$here"
ctest --preset dev -j "${SENN_TEST_JOBS:-2}" "$@"
