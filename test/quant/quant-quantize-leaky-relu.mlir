// RUN: vai-opt %s -split-input-file -quant-quantize -verify-diagnostics | FileCheck %s

// A fused leaky ReLU of slope 0.1 is the DPU's (26/256).
// CHECK-LABEL: func.func @leaky_point_one
// CHECK: quant.conv2d {{.*}}nonlinear = #quant.nonlinear<leaky_relu>
func.func @leaky_point_one(%x: tensor<1x4x4x1xf32> {quant.fix_point = 7 : i32}) -> tensor<1x4x4x2xf32> {
  %w = tfg.const dense<[[[[0.5, -0.25]]]]> : tensor<1x1x1x2xf32>
  %c = tfg.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, activation = #tfg.activation<leaky_relu>, alpha = 0.1 : f32, quant.fix_point = 6 : i32} : (tensor<1x4x4x1xf32>, tensor<1x1x1x2xf32>) -> tensor<1x4x4x2xf32>
  return %c : tensor<1x4x4x2xf32>
}

// -----

func.func @leaky_quarter(%x: tensor<1x4x4x1xf32> {quant.fix_point = 7 : i32}) -> tensor<1x4x4x2xf32> {
  %w = tfg.const dense<[[[[0.5, -0.25]]]]> : tensor<1x1x1x2xf32>
  // expected-error @+1 {{leaky_relu slope 0.25 cannot be quantized: the DPU's slope is 26/256 (for 0.1)}}
  %c = tfg.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, activation = #tfg.activation<leaky_relu>, alpha = 0.25 : f32, quant.fix_point = 6 : i32} : (tensor<1x4x4x1xf32>, tensor<1x1x1x2xf32>) -> tensor<1x4x4x2xf32>
  return %c : tensor<1x4x4x2xf32>
}

// -----

// Without `alpha` the slope is TF's default 0.2.
func.func @leaky_default(%x: tensor<?x2xf32> {quant.fix_point = 7 : i32}) -> tensor<?x2xf32> {
  %w = tfg.const dense<0.5> : tensor<2x2xf32>
  // expected-error @+1 {{leaky_relu slope 0.2}}
  %m = tfg.matmul %x, %w {activation = #tfg.activation<leaky_relu>, quant.fix_point = 6 : i32} : (tensor<?x2xf32>, tensor<2x2xf32>) -> tensor<?x2xf32>
  return %m : tensor<?x2xf32>
}
