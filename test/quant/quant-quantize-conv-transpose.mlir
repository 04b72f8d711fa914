// quant-quantize: tfg.conv2d_transpose -> quant.conv2d_transpose with the
// weights moved from [kh, kw, out, in] to [kh, kw, in, out], the layer
// positions of quant.conv2d, and output_padding folded into the end crop.
// RUN: vai-opt %s -split-input-file -quant-quantize -verify-diagnostics | FileCheck %s
// (dpu-partition's CPU placement is checked in
// test/e2e/residual-deconv-bitexact.test.)

// filter[0, kx, o, 0] = [[0.5, -0.25], [0.25, 0.75]] (kx, o): 7 fractional
// bits, [kh, kw, in, out] = [[[[64, -32]], [[32, 96]]]]; bias [0.25, -0.5]
// at 8. The result is one
// column wider than the crop of 1 leaves: the end crop becomes 0.
// CHECK-LABEL: func.func @deconv
// CHECK: %[[X:.*]] = quant.quantize %arg0 {{.*}}!quant.fix<s8, 6>>
// CHECK-DAG: %[[W:.*]] = quant.const dense<{{\[\[\[\[}}64, -32]], {{\[\[}}32, 96]]]]> : tensor<1x2x1x2xi8> -> tensor<1x2x1x2x!quant.fix<s8, 7>>
// CHECK-DAG: %[[B:.*]] = quant.const dense<[64, -128]> : tensor<2xi8> -> tensor<2x!quant.fix<s8, 8>>
// CHECK: quant.conv2d_transpose %[[X]], %[[W]], %[[B]] {dilations = array<i64: 1, 1>, nonlinear = #quant.nonlinear<relu>, pad = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 2>} : {{.*}} -> tensor<1x2x4x2x!quant.fix<s8, 5>>
func.func @deconv(%x: tensor<1x2x2x1xf32> {quant.fix_point = 6 : i32}) -> tensor<1x2x4x2xf32> {
  %w = tfg.const dense<[[[[0.5], [-0.25]], [[0.25], [0.75]]]]> : tensor<1x2x2x1xf32>
  %b = tfg.const dense<[0.25, -0.5]> : tensor<2xf32>
  %y = tfg.conv2d_transpose %x, %w, %b {strides = array<i64: 1, 2>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 1>, activation = #tfg.activation<relu>, quant.fix_point = 5 : i32} : (tensor<1x2x2x1xf32>, tensor<1x2x2x1xf32>, tensor<2xf32>) -> tensor<1x2x4x2xf32> loc("deconv")
  return %y : tensor<1x2x4x2xf32>
}

// -----

// One column beyond the full output (crop 0): XIR's transposed-conv2d has
// no output padding.
func.func @output_padding_beyond_crop(%x: tensor<1x2x2x1xf32> {quant.fix_point = 6 : i32}) -> tensor<1x2x5x2xf32> {
  %w = tfg.const dense<[[[[0.5], [-0.25]], [[0.25], [0.75]]]]> : tensor<1x2x2x1xf32>
  // expected-error @+1 {{1 output rows/columns beyond the full transposed convolution along dimension 2}}
  %y = tfg.conv2d_transpose %x, %w {strides = array<i64: 1, 2>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, quant.fix_point = 5 : i32} : (tensor<1x2x2x1xf32>, tensor<1x2x2x1xf32>) -> tensor<1x2x5x2xf32>
  return %y : tensor<1x2x5x2xf32>
}
