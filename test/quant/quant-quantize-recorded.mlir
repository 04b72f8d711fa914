// quant-quantize takes the weight and bias positions recorded by
// quant-bias-correction / quant-fast-finetune instead of measuring the
// constants (which would give 6 for the weights and 7 for the bias), and
// still applies the shift rules to them.
// RUN: vai-opt %s -split-input-file -pass-pipeline='builtin.module(func.func(quant-quantize))' | FileCheck %s

// CHECK-LABEL: func.func @recorded
// CHECK: quant.const dense<{{\[\[\[\[}}32, 0]]]]> : tensor<1x1x1x2xi8> -> tensor<1x1x1x2x!quant.fix<s8, 5>>
// CHECK: quant.const dense<[64, 63]> : tensor<2xi8> -> tensor<2x!quant.fix<s8, 7>>
func.func @recorded(%x: tensor<?x2x2x1xf32> {quant.fix_point = 6 : i32}) -> tensor<?x2x2x2xf32> {
  %w = tfg.const dense<[[[[1.0, 0.01171875]]]]> : tensor<1x1x1x2xf32>
  %b = tfg.const dense<[0.5, 0.4921875]> : tensor<2xf32>
  %c = tfg.conv2d %x, %w, %b {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, quant.fix_point = 6 : i32, quant.weight_fix_point = 5 : i32, quant.bias_fix_point = 7 : i32} : (tensor<?x2x2x1xf32>, tensor<1x1x1x2xf32>, tensor<2xf32>) -> tensor<?x2x2x2xf32>
  return %c : tensor<?x2x2x2xf32>
}

// -----

// A recorded weight position that breaks shift_cut <= 16 is lowered as a
// measured one would be: 20 + 6 - 6 = 20 > 16, so the weights take 16.
// CHECK-LABEL: func.func @adjusted
// CHECK: quant.const {{.*}} -> tensor<1x1x1x2x!quant.fix<s8, 16>>
func.func @adjusted(%x: tensor<?x2x2x1xf32> {quant.fix_point = 6 : i32}) -> tensor<?x2x2x2xf32> {
  %w = tfg.const dense<[[[[0.001, 0.0001]]]]> : tensor<1x1x1x2xf32>
  %c = tfg.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, quant.fix_point = 6 : i32, quant.weight_fix_point = 20 : i32} : (tensor<?x2x2x1xf32>, tensor<1x1x1x2xf32>) -> tensor<?x2x2x2xf32>
  return %c : tensor<?x2x2x2xf32>
}
