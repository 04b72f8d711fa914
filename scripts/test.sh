#!/usr/bin/env bash
# Builds everything and runs every test: lit (IR, tools, end to end) and
# ctest (GoogleTest units). Prints both summaries; fails if either fails.
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh || exit 1
status=0
# Third-party models and reference runtimes for test/models (npm registry;
# cached per machine, so only the first run downloads). If it fails, those
# tests are reported unsupported and the run fails.
scripts/fetch-models.sh build/third_party || status=1
/usr/lib/llvm-22/bin/lit -sv build/test || status=1
(cd build && ctest --output-on-failure -j2) || status=1
exit $status
