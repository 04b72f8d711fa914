// align-concat=1: the unaligned concat form (the default 0 is tested in
// quant-align.mlir).
// RUN: vai-opt %s -split-input-file -quant-quantize=align-concat=1 | FileCheck %s

// Depthwise conv with a fused ReLU6 is requantized like conv2d: weights at
// 7 (64, -32), shift_cut = 7 + 5 - 6 = 6. The concat takes the coarser
// position of its inputs (5 of the input, not 6 of the depthwise). The
// per-channel scale of the Mul is a constant quantized at its own position
// 6 (32, 48, 64, 16) and goes second; the output keeps its calibrated 4.
// CHECK-LABEL: func.func @block
// CHECK: %[[IN:.*]] = quant.quantize %arg0 : tensor<?x4x4x2xf32> -> tensor<?x4x4x2x!quant.fix<s8, 5>>
// CHECK: %[[W:.*]] = quant.const dense<{{\[\[\[\[}}64], [-32]]]]> : tensor<1x1x2x1xi8> -> tensor<1x1x2x1x!quant.fix<s8, 7>>
// CHECK: %[[DW:.*]] = quant.depthwise_conv2d %[[IN]], %[[W]] {{.*}}nonlinear = #quant.nonlinear<relu6>{{.*}} -> tensor<?x4x4x2x!quant.fix<s8, 6>>
// CHECK: %[[CAT:.*]] = quant.concat %[[IN]], %[[DW]] {axis = 3 : i64} : (tensor<?x4x4x2x!quant.fix<s8, 5>>, tensor<?x4x4x2x!quant.fix<s8, 6>>) -> tensor<?x4x4x4x!quant.fix<s8, 5>>
// CHECK: %[[S:.*]] = quant.const dense<[32, 48, 64, 16]> : tensor<4xi8> -> tensor<4x!quant.fix<s8, 6>>
// CHECK: %[[MUL:.*]] = quant.mul %[[CAT]], %[[S]] : (tensor<?x4x4x4x!quant.fix<s8, 5>>, tensor<4x!quant.fix<s8, 6>>) -> tensor<?x4x4x4x!quant.fix<s8, 4>>
// CHECK: quant.dequantize %[[MUL]]
func.func @block(%x: tensor<?x4x4x2xf32> {quant.fix_point = 5 : i32}) -> tensor<?x4x4x4xf32> {
  %w = tfg.const dense<[[[[0.5], [-0.25]]]]> : tensor<1x1x2x1xf32>
  %d = tfg.depthwise_conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, activation = #tfg.activation<relu6>, quant.fix_point = 6 : i32} : (tensor<?x4x4x2xf32>, tensor<1x1x2x1xf32>) -> tensor<?x4x4x2xf32>
  %c = tfg.concat %x, %d {axis = 3 : i64, quant.fix_point = 6 : i32} : (tensor<?x4x4x2xf32>, tensor<?x4x4x2xf32>) -> tensor<?x4x4x4xf32>
  %s = tfg.const dense<[0.5, 0.75, 1.0, 0.25]> : tensor<4xf32>
  %m = tfg.mul %s, %c {quant.fix_point = 4 : i32} : (tensor<4xf32>, tensor<?x4x4x4xf32>) -> tensor<?x4x4x4xf32>
  return %m : tensor<?x4x4x4xf32>
}

// -----

// The product is at 8 + 8 = 16; a calibrated output at -3 would need a
// shift of 19 > 16, so the output position rises to 16 - 16 = 0.
// CHECK-LABEL: func.func @mul_shift_clamped
// CHECK: quant.mul {{.*}} -> tensor<?x4x!quant.fix<s8, 0>>
func.func @mul_shift_clamped(%x: tensor<?x4xf32> {quant.fix_point = 8 : i32}, %y: tensor<?x4xf32> {quant.fix_point = 8 : i32}) -> tensor<?x4xf32> {
  %m = tfg.mul %x, %y {quant.fix_point = -3 : i32} : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
  return %m : tensor<?x4xf32>
}
