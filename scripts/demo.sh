#!/usr/bin/env bash
# The main job: compile the shipped Fashion-MNIST CNN (a frozen TF1
# GraphDef) for DPUCZDX8G_ISA1_B4096, calibrating on the shipped images,
# and write build/demo/fashion_mnist.xmodel with a compile summary.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
mkdir -p build/demo
example=examples/fashion_mnist
build/bin/vai-compile "$example/model.pb" \
  --arch "$example/arch.json" \
  --calib "$example/calib.npy" \
  -o build/demo/fashion_mnist.xmodel \
  --emit-mlir build/demo/fashion_mnist.mlir
