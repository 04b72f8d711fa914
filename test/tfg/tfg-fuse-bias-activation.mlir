// RUN: vai-opt %s -split-input-file -tfg-fuse-bias-activation -verify-diagnostics | FileCheck %s

// CHECK-LABEL: func.func @conv_bias_relu
// CHECK: %[[BIAS:.*]] = tfg.const dense<[1.000000e+00, 2.000000e+00]>
// CHECK: %[[CONV:.*]] = tfg.conv2d %arg0, %{{.*}}, %[[BIAS]] {activation = #tfg.activation<relu>
// CHECK-NOT: tfg.bias_add
// CHECK-NOT: tfg.relu
// CHECK: return %[[CONV]]
func.func @conv_bias_relu(%x: tensor<1x4x4x1xf32>) -> tensor<1x4x4x2xf32> {
  %w = tfg.const dense<1.0> : tensor<1x1x1x2xf32>
  %c = tfg.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x4x4x1xf32>, tensor<1x1x1x2xf32>) -> tensor<1x4x4x2xf32>
  %b = tfg.const dense<[1.0, 2.0]> : tensor<2xf32>
  %a = tfg.bias_add %c, %b : (tensor<1x4x4x2xf32>, tensor<2xf32>) -> tensor<1x4x4x2xf32>
  %r = tfg.relu %a : tensor<1x4x4x2xf32>
  return %r : tensor<1x4x4x2xf32>
}

// -----

// A second bias adds to the existing one.
// CHECK-LABEL: func.func @matmul_two_biases_relu6
// CHECK: %[[SUM:.*]] = tfg.const dense<[1.500000e+00, 2.500000e+00]>
// CHECK: tfg.matmul %arg0, %{{.*}}, %[[SUM]] {activation = #tfg.activation<relu6>}
func.func @matmul_two_biases_relu6(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %w = tfg.const dense<1.0> : tensor<2x2xf32>
  %b0 = tfg.const dense<[1.0, 2.0]> : tensor<2xf32>
  %b1 = tfg.const dense<0.5> : tensor<2xf32>
  %m = tfg.matmul %x, %w, %b0 : (tensor<?x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<?x2xf32>
  %a = tfg.bias_add %m, %b1 : (tensor<?x2xf32>, tensor<2xf32>) -> tensor<?x2xf32>
  %r = tfg.relu6 %a : tensor<?x2xf32>
  return %r : tensor<?x2xf32>
}

// -----

// The conv result has two users: nothing may be fused into it.
// CHECK-LABEL: func.func @two_users
// CHECK: tfg.bias_add
// CHECK: tfg.relu
func.func @two_users(%x: tensor<1x4x4x1xf32>) -> (tensor<1x4x4x1xf32>, tensor<1x4x4x1xf32>) {
  %w = tfg.const dense<1.0> : tensor<1x1x1x1xf32>
  %b = tfg.const dense<1.0> : tensor<1xf32>
  %c = tfg.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x4x4x1xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x1xf32>
  %a = tfg.bias_add %c, %b : (tensor<1x4x4x1xf32>, tensor<1xf32>) -> tensor<1x4x4x1xf32>
  %r = tfg.relu %a : tensor<1x4x4x1xf32>
  return %r, %c : tensor<1x4x4x1xf32>, tensor<1x4x4x1xf32>
}

// -----

// An activation before the bias blocks fusing the bias: relu(x) + b is not
// relu(x + b).
// CHECK-LABEL: func.func @bias_after_activation
// CHECK: tfg.conv2d {{.*}}activation = #tfg.activation<relu>
// CHECK: tfg.bias_add
func.func @bias_after_activation(%x: tensor<1x4x4x1xf32>) -> tensor<1x4x4x1xf32> {
  %w = tfg.const dense<1.0> : tensor<1x1x1x1xf32>
  %b = tfg.const dense<1.0> : tensor<1xf32>
  %c = tfg.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x4x4x1xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x1xf32>
  %r = tfg.relu %c : tensor<1x4x4x1xf32>
  %a = tfg.bias_add %r, %b : (tensor<1x4x4x1xf32>, tensor<1xf32>) -> tensor<1x4x4x1xf32>
  return %a : tensor<1x4x4x1xf32>
}

// -----

// Depthwise: the bias and a leaky ReLU fuse; the slope moves to `alpha`.
// CHECK-LABEL: func.func @depthwise_bias_leaky
// CHECK: %[[DW:.*]] = tfg.depthwise_conv2d %arg0, %{{.*}}, %{{.*}} {activation = #tfg.activation<leaky_relu>, alpha = 1.000000e-01 : f32
// CHECK-NOT: tfg.leaky_relu
// CHECK: return %[[DW]]
func.func @depthwise_bias_leaky(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %w = tfg.const dense<1.0> : tensor<3x3x2x1xf32>
  %b = tfg.const dense<[1.0, -1.0]> : tensor<2xf32>
  %c = tfg.depthwise_conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>} : (tensor<1x4x4x2xf32>, tensor<3x3x2x1xf32>) -> tensor<1x4x4x2xf32>
  %a = tfg.bias_add %c, %b : (tensor<1x4x4x2xf32>, tensor<2xf32>) -> tensor<1x4x4x2xf32>
  %r = tfg.leaky_relu %a {alpha = 0.1 : f32} : tensor<1x4x4x2xf32>
  return %r : tensor<1x4x4x2xf32>
}

// -----

// Transposed conv: relu6 fuses.
// CHECK-LABEL: func.func @conv_transpose_relu6
// CHECK: tfg.conv2d_transpose {{.*}}activation = #tfg.activation<relu6>
// CHECK-NOT: tfg.relu6
func.func @conv_transpose_relu6(%x: tensor<1x2x2x1xf32>) -> tensor<1x4x4x1xf32> {
  %w = tfg.const dense<1.0> : tensor<2x2x1x1xf32>
  %c = tfg.conv2d_transpose %x, %w {strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x2x2x1xf32>, tensor<2x2x1x1xf32>) -> tensor<1x4x4x1xf32>
  %r = tfg.relu6 %c : tensor<1x4x4x1xf32>
  return %r : tensor<1x4x4x1xf32>
}

// -----

// A prelu with one slope everywhere is a leaky ReLU.
// CHECK-LABEL: func.func @uniform_prelu
// CHECK: tfg.conv2d {{.*}}activation = #tfg.activation<leaky_relu>, alpha = 2.500000e-01 : f32
// CHECK-NOT: tfg.prelu
func.func @uniform_prelu(%x: tensor<1x4x4x1xf32>) -> tensor<1x4x4x2xf32> {
  %w = tfg.const dense<1.0> : tensor<1x1x1x2xf32>
  %s = tfg.const dense<0.25> : tensor<2xf32>
  %c = tfg.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x4x4x1xf32>, tensor<1x1x1x2xf32>) -> tensor<1x4x4x2xf32>
  %r = tfg.prelu %c, %s : (tensor<1x4x4x2xf32>, tensor<2xf32>) -> tensor<1x4x4x2xf32>
  return %r : tensor<1x4x4x2xf32>
}

// -----

// A per-channel prelu stays, with a remark.
// CHECK-LABEL: func.func @per_channel_prelu
// CHECK: tfg.conv2d
// CHECK-NOT: activation
// CHECK: tfg.prelu
func.func @per_channel_prelu(%x: tensor<1x4x4x1xf32>) -> tensor<1x4x4x2xf32> {
  %w = tfg.const dense<1.0> : tensor<1x1x1x2xf32>
  %s = tfg.const dense<[0.25, 0.5]> : tensor<2xf32>
  %c = tfg.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x4x4x1xf32>, tensor<1x1x1x2xf32>) -> tensor<1x4x4x2xf32>
  // expected-remark @+1 {{prelu not fused: its slope differs between channels}}
  %r = tfg.prelu %c, %s : (tensor<1x4x4x2xf32>, tensor<2xf32>) -> tensor<1x4x4x2xf32>
  return %r : tensor<1x4x4x2xf32>
}

// -----

// A leaky ReLU after a layer that already has an activation stays.
// CHECK-LABEL: func.func @leaky_after_relu
// CHECK: tfg.matmul {{.*}}activation = #tfg.activation<relu>
// CHECK: tfg.leaky_relu
func.func @leaky_after_relu(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %w = tfg.const dense<1.0> : tensor<2x2xf32>
  %m = tfg.matmul %x, %w {activation = #tfg.activation<relu>} : (tensor<?x2xf32>, tensor<2x2xf32>) -> tensor<?x2xf32>
  %r = tfg.leaky_relu %m {alpha = 0.1 : f32} : tensor<?x2xf32>
  return %r : tensor<?x2xf32>
}
