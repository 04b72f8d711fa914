// Three batches of two images: the first two peak at 0.9 (non-overflow
// position 7), the third at 1.5 (position 6). The mode over batches wins.
// RUN: %python -c "import numpy as np; d = np.full((6, 2, 2, 1), 0.5, np.float32); d[0, 0, 0, 0] = d[2, 0, 0, 0] = 0.9; d[4, 0, 0, 0] = 1.5; np.save('%t.npy', d)"
// RUN: vai-opt %s -split-input-file -pass-pipeline='builtin.module(func.func(quant-calibrate{data=%t.npy method=0 batch-size=2}))' | FileCheck %s
// With one batch of everything the peak 1.5 decides alone.
// RUN: vai-opt %s -split-input-file -pass-pipeline='builtin.module(func.func(quant-calibrate{data=%t.npy method=0 batch-size=6}))' | FileCheck %s --check-prefix=ONE
// Only the first batch (calib-iter=1) never sees the 1.5 peak.
// RUN: vai-opt %s -split-input-file -pass-pipeline='builtin.module(func.func(quant-calibrate{data=%t.npy method=0 batch-size=4 calib-iter=1}))' | FileCheck %s
// RUN: not vai-opt %s -split-input-file -pass-pipeline='builtin.module(func.func(quant-calibrate{data=%t.missing.npy}))' 2>&1 | FileCheck %s --check-prefix=MISSING

// The conv multiplies by 4: peaks 3.6 (position 5) and 6.0 (position 4).
// CHECK-LABEL: func.func @calibrate
// CHECK-SAME: quant.fix_point = 7 : i32
// CHECK: tfg.conv2d {{.*}}quant.fix_point = 5 : i32
// ONE-LABEL: func.func @calibrate
// ONE-SAME: quant.fix_point = 6 : i32
// ONE: tfg.conv2d {{.*}}quant.fix_point = 4 : i32
// MISSING: error: quant-calibrate: {{.*}}missing.npy
func.func @calibrate(%x: tensor<?x2x2x1xf32>) -> tensor<?x2x2x1xf32> {
  %w = tfg.const dense<4.0> : tensor<1x1x1x1xf32>
  %c = tfg.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<?x2x2x1xf32>, tensor<1x1x1x1xf32>) -> tensor<?x2x2x1xf32>
  return %c : tensor<?x2x2x1xf32>
}
