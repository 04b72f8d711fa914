// RUN: vai-opt %s -split-input-file -tfg-fuse-pad -verify-diagnostics | FileCheck %s
// RUN: vai-opt %s -split-input-file -tfg-fuse-pad=kernel-limit=false | FileCheck %s --check-prefix=NOLIMIT

// Keras' ZeroPadding2D before a strided "valid" depthwise conv.
// CHECK-LABEL: func.func @pad_into_depthwise
// CHECK-NOT: tfg.pad
// CHECK: tfg.depthwise_conv2d %arg0, {{.*}}pad = array<i64: 0, 1, 0, 1>
func.func @pad_into_depthwise(%x: tensor<1x4x4x2xf32>) -> tensor<1x2x2x2xf32> {
  %w = tfg.const dense<1.0> : tensor<3x3x2x1xf32>
  %p = tfg.pad %x {pads = array<i64: 0, 0, 0, 0, 0, 1, 1, 0>} : (tensor<1x4x4x2xf32>) -> tensor<1x5x5x2xf32>
  %c = tfg.depthwise_conv2d %p, %w {strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x5x5x2xf32>, tensor<3x3x2x1xf32>) -> tensor<1x2x2x2xf32>
  return %c : tensor<1x2x2x2xf32>
}

// -----

// The amounts add to the conv's own padding.
// CHECK-LABEL: func.func @pad_adds_to_conv_pad
// CHECK-NOT: tfg.pad
// CHECK: tfg.conv2d %arg0, {{.*}}pad = array<i64: 2, 1, 1, 2>
func.func @pad_adds_to_conv_pad(%x: tensor<?x4x4x1xf32>) -> tensor<?x5x5x1xf32> {
  %w = tfg.const dense<1.0> : tensor<3x3x1x1xf32>
  %p = tfg.pad %x {pads = array<i64: 0, 1, 0, 0, 0, 0, 1, 0>, value = 0.0 : f32} : (tensor<?x4x4x1xf32>) -> tensor<?x5x5x1xf32>
  %c = tfg.conv2d %p, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>} : (tensor<?x5x5x1xf32>, tensor<3x3x1x1xf32>) -> tensor<?x5x5x1xf32>
  return %c : tensor<?x5x5x1xf32>
}

// -----

// A non-zero pad value is not a conv's padding.
// CHECK-LABEL: func.func @nonzero_value
// CHECK: tfg.pad
func.func @nonzero_value(%x: tensor<1x4x4x1xf32>) -> tensor<1x4x4x1xf32> {
  %w = tfg.const dense<1.0> : tensor<3x3x1x1xf32>
  // expected-remark @+1 {{pad not merged into the convolution: it is not a constant pad with value 0}}
  %p = tfg.pad %x {pads = array<i64: 0, 1, 1, 0, 0, 1, 1, 0>, value = 1.0 : f32} : (tensor<1x4x4x1xf32>) -> tensor<1x6x6x1xf32>
  %c = tfg.conv2d %p, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x6x6x1xf32>, tensor<3x3x1x1xf32>) -> tensor<1x4x4x1xf32>
  return %c : tensor<1x4x4x1xf32>
}

// -----

// Reflect padding is not zeros.
// CHECK-LABEL: func.func @reflect
// CHECK: tfg.pad
func.func @reflect(%x: tensor<1x4x4x1xf32>) -> tensor<1x4x4x1xf32> {
  %w = tfg.const dense<1.0> : tensor<3x3x1x1xf32>
  // expected-remark @+1 {{it is not a constant pad with value 0}}
  %p = tfg.pad %x {pads = array<i64: 0, 1, 1, 0, 0, 1, 1, 0>, mode = #tfg.pad_mode<reflect>} : (tensor<1x4x4x1xf32>) -> tensor<1x6x6x1xf32>
  %c = tfg.conv2d %p, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x6x6x1xf32>, tensor<3x3x1x1xf32>) -> tensor<1x4x4x1xf32>
  return %c : tensor<1x4x4x1xf32>
}

// -----

// Padding the channels is not spatial padding.
// CHECK-LABEL: func.func @channel_pad
// CHECK: tfg.pad
func.func @channel_pad(%x: tensor<1x4x4x1xf32>) -> tensor<1x4x4x1xf32> {
  %w = tfg.const dense<1.0> : tensor<1x1x2x1xf32>
  // expected-remark @+1 {{it pads the batch or channel dimension}}
  %p = tfg.pad %x {pads = array<i64: 0, 0, 0, 0, 0, 0, 0, 1>} : (tensor<1x4x4x1xf32>) -> tensor<1x4x4x2xf32>
  %c = tfg.conv2d %p, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x4x4x2xf32>, tensor<1x1x2x1xf32>) -> tensor<1x4x4x1xf32>
  return %c : tensor<1x4x4x1xf32>
}

// -----

// A pad with a second user must stay for it.
// CHECK-LABEL: func.func @two_users
// CHECK: tfg.pad
// CHECK: tfg.conv2d {{.*}}pad = array<i64: 0, 0, 0, 0>
func.func @two_users(%x: tensor<1x4x4x1xf32>) -> (tensor<1x4x4x1xf32>, tensor<1x6x6x1xf32>) {
  %w = tfg.const dense<1.0> : tensor<3x3x1x1xf32>
  // expected-remark @+1 {{it has other users}}
  %p = tfg.pad %x {pads = array<i64: 0, 1, 1, 0, 0, 1, 1, 0>} : (tensor<1x4x4x1xf32>) -> tensor<1x6x6x1xf32>
  %c = tfg.conv2d %p, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x6x6x1xf32>, tensor<3x3x1x1xf32>) -> tensor<1x4x4x1xf32>
  return %c, %p : tensor<1x4x4x1xf32>, tensor<1x6x6x1xf32>
}

// -----

// avg_pool does not count padded positions: a zero pad before it is part
// of the average and must stay. No remark: only convolutions are candidates.
// CHECK-LABEL: func.func @avg_pool
// CHECK: tfg.pad
// CHECK: tfg.avg_pool
func.func @avg_pool(%x: tensor<1x4x4x1xf32>) -> tensor<1x3x3x1xf32> {
  %p = tfg.pad %x {pads = array<i64: 0, 1, 1, 0, 0, 1, 1, 0>} : (tensor<1x4x4x1xf32>) -> tensor<1x6x6x1xf32>
  %a = tfg.avg_pool %p {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x6x6x1xf32>) -> tensor<1x3x3x1xf32>
  return %a : tensor<1x3x3x1xf32>
}

// -----

// A 1x1 conv cannot pad on the DPU ((k - 1) * dilation = 0): kept unless
// kernel-limit=false.
// CHECK-LABEL: func.func @beyond_kernel
// CHECK: tfg.pad
// NOLIMIT-LABEL: func.func @beyond_kernel
// NOLIMIT-NOT: tfg.pad
// NOLIMIT: tfg.conv2d %arg0, {{.*}}pad = array<i64: 1, 1, 1, 1>
func.func @beyond_kernel(%x: tensor<1x4x4x1xf32>) -> tensor<1x6x6x1xf32> {
  %w = tfg.const dense<1.0> : tensor<1x1x1x1xf32>
  // expected-remark @+1 {{the merged padding would exceed (k - 1) * dilation}}
  %p = tfg.pad %x {pads = array<i64: 0, 1, 1, 0, 0, 1, 1, 0>} : (tensor<1x4x4x1xf32>) -> tensor<1x6x6x1xf32>
  %c = tfg.conv2d %p, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x6x6x1xf32>, tensor<1x1x1x1xf32>) -> tensor<1x6x6x1xf32>
  return %c : tensor<1x6x6x1xf32>
}
