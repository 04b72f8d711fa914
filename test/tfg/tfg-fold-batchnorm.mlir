// RUN: vai-opt %s -split-input-file -tfg-fold-batchnorm -verify-diagnostics | FileCheck %s

// Per channel: factor = scale / sqrt(var + eps) = 4 / sqrt(3 + 1) = 2,
// weights 0.5 * 2 = 1, bias (0 - mean) * 2 + offset = -0.5 + 1 = 0.5.
// CHECK-LABEL: func.func @conv_bn
// CHECK-DAG: %[[WEIGHTS:.*]] = tfg.const dense<1.000000e+00> : tensor<3x3x2x4xf32>
// CHECK-DAG: %[[BIAS:.*]] = tfg.const dense<5.000000e-01> : tensor<4xf32>
// CHECK: %[[CONV:.*]] = tfg.conv2d %arg0, %[[WEIGHTS]], %[[BIAS]]
// CHECK-NOT: tfg.fused_batch_norm
// CHECK: return %[[CONV]]
func.func @conv_bn(%x: tensor<?x8x8x2xf32>) -> tensor<?x8x8x4xf32> {
  %w = tfg.const dense<0.5> : tensor<3x3x2x4xf32>
  %scale = tfg.const dense<4.0> : tensor<4xf32>
  %offset = tfg.const dense<1.0> : tensor<4xf32>
  %mean = tfg.const dense<0.25> : tensor<4xf32>
  %var = tfg.const dense<3.0> : tensor<4xf32>
  %c = tfg.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>} : (tensor<?x8x8x2xf32>, tensor<3x3x2x4xf32>) -> tensor<?x8x8x4xf32>
  %b = tfg.fused_batch_norm %c, %scale, %offset, %mean, %var {epsilon = 1.0 : f32} : (tensor<?x8x8x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<?x8x8x4xf32>
  return %b : tensor<?x8x8x4xf32>
}

// -----

// A bias_add between conv and batch norm folds through: channel c has bias
// c, scale c+1, var 0, eps 1, so factor = c+1 and bias' = c*(c+1) + 1.
// CHECK-LABEL: func.func @conv_biasadd_bn
// CHECK-DAG: tfg.const dense<[1.000000e+00, 3.000000e+00, 7.000000e+00]> : tensor<3xf32>
// CHECK-DAG: tfg.const dense<{{\[}}{{\[}}{{\[}}{{\[}}1.000000e+00, 2.000000e+00, 3.000000e+00]]]]> : tensor<1x1x1x3xf32>
// CHECK-NOT: tfg.bias_add
// CHECK-NOT: tfg.fused_batch_norm
func.func @conv_biasadd_bn(%x: tensor<1x4x4x1xf32>) -> tensor<1x4x4x3xf32> {
  %w = tfg.const dense<1.0> : tensor<1x1x1x3xf32>
  %bias = tfg.const dense<[0.0, 1.0, 2.0]> : tensor<3xf32>
  %scale = tfg.const dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %offset = tfg.const dense<1.0> : tensor<3xf32>
  %mean = tfg.const dense<0.0> : tensor<3xf32>
  %var = tfg.const dense<0.0> : tensor<3xf32>
  %c = tfg.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x4x4x1xf32>, tensor<1x1x1x3xf32>) -> tensor<1x4x4x3xf32>
  %a = tfg.bias_add %c, %bias : (tensor<1x4x4x3xf32>, tensor<3xf32>) -> tensor<1x4x4x3xf32>
  %b = tfg.fused_batch_norm %a, %scale, %offset, %mean, %var {epsilon = 1.0 : f32} : (tensor<1x4x4x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x4x4x3xf32>
  return %b : tensor<1x4x4x3xf32>
}

// -----

// MatMul output channels are the columns of b: column j scales by j+1.
// CHECK-LABEL: func.func @matmul_bn
// CHECK-DAG: tfg.const dense<{{\[}}[1.000000e+00, 2.000000e+00], [1.000000e+00, 2.000000e+00]]> : tensor<2x2xf32>
// CHECK: tfg.matmul %arg0, %{{.*}}, %{{.*}} :
// CHECK-NOT: tfg.fused_batch_norm
func.func @matmul_bn(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %w = tfg.const dense<1.0> : tensor<2x2xf32>
  %scale = tfg.const dense<[1.0, 2.0]> : tensor<2xf32>
  %offset = tfg.const dense<0.0> : tensor<2xf32>
  %mean = tfg.const dense<0.0> : tensor<2xf32>
  %var = tfg.const dense<1.0> : tensor<2xf32>
  %m = tfg.matmul %x, %w : (tensor<?x2xf32>, tensor<2x2xf32>) -> tensor<?x2xf32>
  %b = tfg.fused_batch_norm %m, %scale, %offset, %mean, %var {epsilon = 0.0 : f32} : (tensor<?x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<?x2xf32>
  return %b : tensor<?x2xf32>
}

// -----

// No conv or matmul to fold into: the batch norm stays, with a remark.
// CHECK-LABEL: func.func @after_add
// CHECK: tfg.fused_batch_norm
func.func @after_add(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %p = tfg.const dense<1.0> : tensor<2xf32>
  %r = tfg.add %x, %x : (tensor<?x2xf32>, tensor<?x2xf32>) -> tensor<?x2xf32>
  // expected-remark @+1 {{batch norm not folded: its input is not produced by a conv2d or matmul}}
  %b = tfg.fused_batch_norm %r, %p, %p, %p, %p {epsilon = 0.0 : f32} : (tensor<?x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<?x2xf32>
  return %b : tensor<?x2xf32>
}

// -----

// The conv's output is also returned: folding would change that result.
// CHECK-LABEL: func.func @shared_producer
// CHECK: tfg.fused_batch_norm
func.func @shared_producer(%x: tensor<1x4x4x1xf32>) -> (tensor<1x4x4x1xf32>, tensor<1x4x4x1xf32>) {
  %w = tfg.const dense<1.0> : tensor<1x1x1x1xf32>
  %p = tfg.const dense<1.0> : tensor<1xf32>
  %c = tfg.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x4x4x1xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x1xf32>
  // expected-remark @+1 {{batch norm not folded: its producer has other users}}
  %b = tfg.fused_batch_norm %c, %p, %p, %p, %p {epsilon = 0.0 : f32} : (tensor<1x4x4x1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x1xf32>
  return %b, %c : tensor<1x4x4x1xf32>, tensor<1x4x4x1xf32>
}

// -----

// A fused activation sits between conv and batch norm: not foldable.
// CHECK-LABEL: func.func @activation_first
// CHECK: tfg.fused_batch_norm
func.func @activation_first(%x: tensor<1x4x4x1xf32>) -> tensor<1x4x4x1xf32> {
  %w = tfg.const dense<1.0> : tensor<1x1x1x1xf32>
  %p = tfg.const dense<1.0> : tensor<1xf32>
  %c = tfg.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, activation = #tfg.activation<relu>} : (tensor<1x4x4x1xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x1xf32>
  // expected-remark @+1 {{batch norm not folded: its producer already applies an activation}}
  %b = tfg.fused_batch_norm %c, %p, %p, %p, %p {epsilon = 0.0 : f32} : (tensor<1x4x4x1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x1xf32>
  return %b : tensor<1x4x4x1xf32>
}
