// RUN: vai-opt %s -split-input-file -tfg-fold-constant-affine | FileCheck %s

// Per-channel scale: W[..., c] * s[c], b[c] * s[c]; then a shift adds to b.
// CHECK-LABEL: func.func @conv_mul_add
// CHECK-DAG: %[[W:.*]] = tfg.const dense<{{\[\[\[\[}}2.000000e+00, -3.000000e+00]]]]> : tensor<1x1x1x2xf32>
// CHECK-DAG: %[[B:.*]] = tfg.const dense<[2.500000e+00, -3.000000e+00]> : tensor<2xf32>
// CHECK: %[[CONV:.*]] = tfg.conv2d %arg0, %[[W]], %[[B]]
// CHECK-NOT: tfg.mul
// CHECK-NOT: tfg.add
// CHECK: return %[[CONV]]
func.func @conv_mul_add(%x: tensor<1x4x4x1xf32>) -> tensor<1x4x4x2xf32> {
  %w = tfg.const dense<1.0> : tensor<1x1x1x2xf32>
  %b = tfg.const dense<[1.0, 1.0]> : tensor<2xf32>
  %s = tfg.const dense<[2.0, -3.0]> : tensor<2xf32>
  %t = tfg.const dense<[[[[0.5, 0.0]]]]> : tensor<1x1x1x2xf32>
  %c = tfg.conv2d %x, %w, %b {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x4x4x1xf32>, tensor<1x1x1x2xf32>, tensor<2xf32>) -> tensor<1x4x4x2xf32>
  %m = tfg.mul %s, %c : (tensor<2xf32>, tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  %a = tfg.add %m, %t : (tensor<1x4x4x2xf32>, tensor<1x1x1x2xf32>) -> tensor<1x4x4x2xf32>
  return %a : tensor<1x4x4x2xf32>
}

// -----

// A scalar subtracted from a bias-less matmul becomes its bias.
// CHECK-LABEL: func.func @matmul_sub_scalar
// CHECK: %[[B:.*]] = tfg.const dense<-1.500000e+00> : tensor<3xf32>
// CHECK: tfg.matmul %arg0, %{{.*}}, %[[B]]
// CHECK-NOT: tfg.sub
func.func @matmul_sub_scalar(%x: tensor<?x2xf32>) -> tensor<?x3xf32> {
  %w = tfg.const dense<1.0> : tensor<2x3xf32>
  %t = tfg.const dense<1.5> : tensor<f32>
  %m = tfg.matmul %x, %w : (tensor<?x2xf32>, tensor<2x3xf32>) -> tensor<?x3xf32>
  %s = tfg.sub %m, %t : (tensor<?x3xf32>, tensor<f32>) -> tensor<?x3xf32>
  return %s : tensor<?x3xf32>
}

// -----

// Depthwise with multiplier 2: output channel c * 2 + m.
// CHECK-LABEL: func.func @depthwise_scale
// CHECK: tfg.const dense<{{\[\[\[\[}}1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]]]> : tensor<1x1x2x2xf32>
// CHECK-NOT: tfg.mul
func.func @depthwise_scale(%x: tensor<1x3x3x2xf32>) -> tensor<1x3x3x4xf32> {
  %w = tfg.const dense<1.0> : tensor<1x1x2x2xf32>
  %s = tfg.const dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %c = tfg.depthwise_conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x3x3x2xf32>, tensor<1x1x2x2xf32>) -> tensor<1x3x3x4xf32>
  %m = tfg.mul %c, %s : (tensor<1x3x3x4xf32>, tensor<4xf32>) -> tensor<1x3x3x4xf32>
  return %m : tensor<1x3x3x4xf32>
}

// -----

// Transposed conv, filter [kh, kw, out, in]: the scale goes on dimension 2.
// CHECK-LABEL: func.func @conv_transpose_scale
// CHECK: tfg.const dense<{{\[\[\[\[}}2.000000e+00], [3.000000e+00]]]]> : tensor<1x1x2x1xf32>
// CHECK-NOT: tfg.mul
func.func @conv_transpose_scale(%x: tensor<1x2x2x1xf32>) -> tensor<1x2x2x2xf32> {
  %w = tfg.const dense<1.0> : tensor<1x1x2x1xf32>
  %s = tfg.const dense<[2.0, 3.0]> : tensor<2xf32>
  %c = tfg.conv2d_transpose %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x2x2x1xf32>, tensor<1x1x2x1xf32>) -> tensor<1x2x2x2xf32>
  %m = tfg.mul %c, %s : (tensor<1x2x2x2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  return %m : tensor<1x2x2x2xf32>
}

// -----

// An activation in between: relu(x) * s is not relu(x * s) for s < 0.
// CHECK-LABEL: func.func @after_activation
// CHECK: tfg.mul
func.func @after_activation(%x: tensor<1x4x4x1xf32>) -> tensor<1x4x4x2xf32> {
  %w = tfg.const dense<1.0> : tensor<1x1x1x2xf32>
  %s = tfg.const dense<[2.0, -3.0]> : tensor<2xf32>
  %c = tfg.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, activation = #tfg.activation<relu>} : (tensor<1x4x4x1xf32>, tensor<1x1x1x2xf32>) -> tensor<1x4x4x2xf32>
  %m = tfg.mul %c, %s : (tensor<1x4x4x2xf32>, tensor<2xf32>) -> tensor<1x4x4x2xf32>
  return %m : tensor<1x4x4x2xf32>
}

// -----

// The conv result has another user.
// CHECK-LABEL: func.func @two_users
// CHECK: tfg.add
func.func @two_users(%x: tensor<1x4x4x1xf32>) -> (tensor<1x4x4x2xf32>, tensor<1x4x4x2xf32>) {
  %w = tfg.const dense<1.0> : tensor<1x1x1x2xf32>
  %t = tfg.const dense<[2.0, -3.0]> : tensor<2xf32>
  %c = tfg.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x4x4x1xf32>, tensor<1x1x1x2xf32>) -> tensor<1x4x4x2xf32>
  %a = tfg.add %c, %t : (tensor<1x4x4x2xf32>, tensor<2xf32>) -> tensor<1x4x4x2xf32>
  return %a, %c : tensor<1x4x4x2xf32>, tensor<1x4x4x2xf32>
}

// -----

// A constant that varies over space is not per channel.
// CHECK-LABEL: func.func @spatial_constant
// CHECK: tfg.add
func.func @spatial_constant(%x: tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32> {
  %w = tfg.const dense<1.0> : tensor<1x1x1x1xf32>
  %t = tfg.const dense<[[[1.0], [2.0]], [[3.0], [4.0]]]> : tensor<2x2x1xf32>
  %c = tfg.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x2x2x1xf32>, tensor<1x1x1x1xf32>) -> tensor<1x2x2x1xf32>
  %a = tfg.add %c, %t : (tensor<1x2x2x1xf32>, tensor<2x2x1xf32>) -> tensor<1x2x2x1xf32>
  return %a : tensor<1x2x2x1xf32>
}

// -----

// c - conv is not a shift of conv.
// CHECK-LABEL: func.func @constant_minus_conv
// CHECK: tfg.sub
func.func @constant_minus_conv(%x: tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32> {
  %w = tfg.const dense<1.0> : tensor<1x1x1x1xf32>
  %t = tfg.const dense<1.0> : tensor<1xf32>
  %c = tfg.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x2x2x1xf32>, tensor<1x1x1x1xf32>) -> tensor<1x2x2x1xf32>
  %s = tfg.sub %t, %c : (tensor<1xf32>, tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32>
  return %s : tensor<1x2x2x1xf32>
}

// -----

// Non-constant weights cannot absorb the scale.
// CHECK-LABEL: func.func @dynamic_weights
// CHECK: tfg.mul
func.func @dynamic_weights(%x: tensor<1x2x2x1xf32>, %w: tensor<1x1x1x1xf32>) -> tensor<1x2x2x1xf32> {
  %s = tfg.const dense<2.0> : tensor<f32>
  %c = tfg.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x2x2x1xf32>, tensor<1x1x1x1xf32>) -> tensor<1x2x2x1xf32>
  %m = tfg.mul %c, %s : (tensor<1x2x2x1xf32>, tensor<f32>) -> tensor<1x2x2x1xf32>
  return %m : tensor<1x2x2x1xf32>
}

// -----

// A bias_add between the conv and the scale folds first.
// CHECK-LABEL: func.func @bias_add_then_scale
// CHECK-DAG: %[[W:.*]] = tfg.const dense<{{\[\[\[\[}}2.000000e+00, 4.000000e+00]]]]> : tensor<1x1x1x2xf32>
// CHECK-DAG: %[[B:.*]] = tfg.const dense<[2.000000e+00, -4.000000e+00]> : tensor<2xf32>
// CHECK: tfg.conv2d %arg0, %[[W]], %[[B]]
// CHECK-NOT: tfg.bias_add
// CHECK-NOT: tfg.mul
func.func @bias_add_then_scale(%x: tensor<1x4x4x1xf32>) -> tensor<1x4x4x2xf32> {
  %w = tfg.const dense<1.0> : tensor<1x1x1x2xf32>
  %b = tfg.const dense<[1.0, -1.0]> : tensor<2xf32>
  %s = tfg.const dense<[2.0, 4.0]> : tensor<2xf32>
  %c = tfg.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x4x4x1xf32>, tensor<1x1x1x2xf32>) -> tensor<1x4x4x2xf32>
  %a = tfg.bias_add %c, %b : (tensor<1x4x4x2xf32>, tensor<2xf32>) -> tensor<1x4x4x2xf32>
  %m = tfg.mul %a, %s : (tensor<1x4x4x2xf32>, tensor<2xf32>) -> tensor<1x4x4x2xf32>
  return %m : tensor<1x4x4x2xf32>
}
