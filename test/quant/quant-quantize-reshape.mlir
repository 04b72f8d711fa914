// RUN: vai-opt %s -quant-quantize | FileCheck %s
// RUN: vai-opt %s -quant-quantize -o %t.mlir
// RUN: %python -c "import numpy as np; np.save('%t.in.npy', np.random.default_rng(3).uniform(-4, 4, (3, 1, 2, 3)).astype(np.float32))"
// RUN: vai-translate --interpret-fixed --input=%t.in.npy %t.mlir -o %t.out.npy
// RUN: %python -c "import numpy as np; x = np.load('%t.in.npy'); y = np.load('%t.out.npy'); ref = np.clip(np.floor(x * 32 + 0.5), -128, 127).reshape(3, 2, 3, 1) / 32; assert y.shape == ref.shape and (y == ref).all(), (y, ref); print('reshape ok')" | FileCheck %s --check-prefix=NUM

// A reshape (ONNX's NCHW input with one channel, Flatten) moves no values:
// it keeps its input's position 5 rather than the calibrated 3 it carries.
// CHECK-LABEL: func.func @main
// CHECK: %[[IN:.*]] = quant.quantize %arg0 : tensor<?x1x2x3xf32> -> tensor<?x1x2x3x!quant.fix<s8, 5>>
// CHECK: %[[R:.*]] = quant.reshape %[[IN]] : (tensor<?x1x2x3x!quant.fix<s8, 5>>) -> tensor<?x2x3x1x!quant.fix<s8, 5>>
// CHECK: quant.dequantize %[[R]]
// The fixed-point result is the input rounded to 2^-5 (DPU rounding: halves
// toward +inf), saturated to int8, in the new shape.
// NUM: reshape ok
func.func @main(%x: tensor<?x1x2x3xf32> {quant.fix_point = 5 : i32}) -> tensor<?x2x3x1xf32> {
  %r = tfg.reshape %x {quant.fix_point = 3 : i32} : (tensor<?x1x2x3xf32>) -> tensor<?x2x3x1xf32>
  return %r : tensor<?x2x3x1xf32>
}
