#!/usr/bin/env bash
# Installs the Debian 12 packages vai needs (when missing), then configures
# and builds it in ./build. Idempotent: a second run only rebuilds.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  cmake ninja-build ccache g++ git
  llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools lld-22
  libprotobuf-dev protobuf-compiler nlohmann-json3-dev
  googletest libgtest-dev python3-numpy
  libonnx-testdata python3-onnx
  libhdf5-dev libdnnl-dev libstb-dev zlib1g-dev
  python3-torch python3-torchvision python3-h5py python3-pil
  dataset-fashion-mnist
  graphviz
)
# Node.js runs the reference runtimes (TF.js, onnxruntime-node) from npm;
# a machine that already has node and npm (e.g. from NodeSource) keeps them.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  packages+=(nodejs npm)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

export CCACHE_BASEDIR="$PWD"
if [ ! -f build/build.ninja ]; then
  cmake -G Ninja -S . -B build \
    -DCMAKE_BUILD_TYPE=Release \
    -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
    -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-22/bin/lit
fi
cmake --build build
# The generated references, which a test compares with the committed docs.
cmake --build build --target mlir-doc
