#!/usr/bin/env bash
# Builds everything and runs every test: lit (IR, tools, end to end) and
# ctest (GoogleTest units). Prints both summaries; fails if either fails.
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh || exit 1
status=0
/usr/lib/llvm-22/bin/lit -sv build/test || status=1
(cd build && ctest --output-on-failure -j2) || status=1
exit $status
