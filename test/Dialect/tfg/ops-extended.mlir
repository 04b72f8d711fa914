// RUN: vai-opt %s | FileCheck %s
// RUN: vai-opt %s | vai-opt | FileCheck %s
// RUN: vai-opt %s -mlir-print-op-generic | vai-opt | FileCheck %s

// CHECK-LABEL: func.func @binary
// CHECK: tfg.sub %arg0, %arg1 : (tensor<?x4x4x8xf32>, tensor<8xf32>) -> tensor<?x4x4x8xf32>
// CHECK: tfg.mul %arg0, %arg1 : (tensor<?x4x4x8xf32>, tensor<8xf32>) -> tensor<?x4x4x8xf32>
// CHECK: tfg.div %arg0, %arg1
// CHECK: tfg.maximum %arg0, %arg1
// CHECK: tfg.minimum %arg0, %arg1
// CHECK: tfg.prelu %arg0, %arg1 : (tensor<?x4x4x8xf32>, tensor<8xf32>) -> tensor<?x4x4x8xf32>
func.func @binary(%x: tensor<?x4x4x8xf32>, %c: tensor<8xf32>) {
  %0 = tfg.sub %x, %c : (tensor<?x4x4x8xf32>, tensor<8xf32>) -> tensor<?x4x4x8xf32>
  %1 = tfg.mul %x, %c : (tensor<?x4x4x8xf32>, tensor<8xf32>) -> tensor<?x4x4x8xf32>
  %2 = tfg.div %x, %c : (tensor<?x4x4x8xf32>, tensor<8xf32>) -> tensor<?x4x4x8xf32>
  %3 = tfg.maximum %x, %c : (tensor<?x4x4x8xf32>, tensor<8xf32>) -> tensor<?x4x4x8xf32>
  %4 = tfg.minimum %x, %c : (tensor<?x4x4x8xf32>, tensor<8xf32>) -> tensor<?x4x4x8xf32>
  %5 = tfg.prelu %x, %c : (tensor<?x4x4x8xf32>, tensor<8xf32>) -> tensor<?x4x4x8xf32>
  return
}

// CHECK-LABEL: func.func @activations
// CHECK: tfg.sigmoid %arg0 : tensor<2x3xf32>
// CHECK: tfg.tanh %arg0 : tensor<2x3xf32>
// CHECK: tfg.swish %arg0 : tensor<2x3xf32>
// CHECK: tfg.hard_swish %arg0 : tensor<2x3xf32>
// CHECK: tfg.hard_sigmoid %arg0 {alpha = 0.166666672 : f32} : tensor<2x3xf32>
// CHECK: tfg.leaky_relu %arg0 {alpha = 1.000000e-01 : f32} : tensor<2x3xf32>
// CHECK: tfg.clip %arg0 {max = 1.000000e+00 : f32} : tensor<2x3xf32>
// CHECK: tfg.softmax %arg0 {axis = 0 : i64} : tensor<2x3xf32>
func.func @activations(%x: tensor<2x3xf32>) {
  %0 = tfg.sigmoid %x : tensor<2x3xf32>
  %1 = tfg.tanh %x : tensor<2x3xf32>
  %2 = tfg.swish %x : tensor<2x3xf32>
  %3 = tfg.hard_swish %x : tensor<2x3xf32>
  %4 = tfg.hard_sigmoid %x {alpha = 0.166666672 : f32} : tensor<2x3xf32>
  %5 = tfg.leaky_relu %x {alpha = 0.1 : f32} : tensor<2x3xf32>
  %6 = tfg.clip %x {max = 1.0 : f32} : tensor<2x3xf32>
  %7 = tfg.softmax %x {axis = 0 : i64} : tensor<2x3xf32>
  return
}

// CHECK-LABEL: func.func @convolutions
// CHECK: tfg.depthwise_conv2d %arg0, %arg1 {{.*}} : (tensor<?x8x8x4xf32>, tensor<3x3x4x2xf32>) -> tensor<?x8x8x8xf32>
// CHECK: tfg.conv2d_transpose %arg0, %arg2 {{.*}} : (tensor<?x8x8x4xf32>, tensor<3x3x6x4xf32>) -> tensor<?x16x16x6xf32>
func.func @convolutions(%x: tensor<?x8x8x4xf32>, %dw: tensor<3x3x4x2xf32>, %tw: tensor<3x3x6x4xf32>) {
  %0 = tfg.depthwise_conv2d %x, %dw {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>} : (tensor<?x8x8x4xf32>, tensor<3x3x4x2xf32>) -> tensor<?x8x8x8xf32>
  // (8 - 1) * 2 + 3 = 17 full rows, pads 1 + 1 -> 15, one extra row -> 16.
  %1 = tfg.conv2d_transpose %x, %tw {strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>} : (tensor<?x8x8x4xf32>, tensor<3x3x6x4xf32>) -> tensor<?x16x16x6xf32>
  return
}

// CHECK-LABEL: func.func @layout
// CHECK: tfg.reshape %arg0 : (tensor<?x4x4x8xf32>) -> tensor<?x128xf32>
// CHECK: tfg.transpose %arg0 {perm = array<i64: 0, 3, 1, 2>} : (tensor<?x4x4x8xf32>) -> tensor<?x8x4x4xf32>
// CHECK: tfg.concat %arg0, %arg0 {axis = -1 : i64} : (tensor<?x4x4x8xf32>, tensor<?x4x4x8xf32>) -> tensor<?x4x4x16xf32>
// CHECK: tfg.pad %arg0 {mode = #tfg.pad_mode<reflect>, pads = array<i64: 0, 1, 1, 0, 0, 1, 1, 0>} : (tensor<?x4x4x8xf32>) -> tensor<?x6x6x8xf32>
// CHECK: tfg.resize %arg0 {coordinate_mode = "asymmetric", mode = #tfg.resize_mode<nearest>, nearest_mode = "floor"} : (tensor<?x4x4x8xf32>) -> tensor<?x8x8x8xf32>
// CHECK: tfg.depth_to_space %arg0 {block_size = 2 : i64, mode = "CRD"} : (tensor<?x4x4x8xf32>) -> tensor<?x8x8x2xf32>
// CHECK: tfg.node "onnx" "Einsum"(%arg0) {attrs = {equation = "bhwc->bchw"}} : (tensor<?x4x4x8xf32>) -> tensor<?x8x4x4xf32>
func.func @layout(%x: tensor<?x4x4x8xf32>) {
  %0 = tfg.reshape %x : (tensor<?x4x4x8xf32>) -> tensor<?x128xf32>
  %1 = tfg.transpose %x {perm = array<i64: 0, 3, 1, 2>} : (tensor<?x4x4x8xf32>) -> tensor<?x8x4x4xf32>
  %2 = tfg.concat %x, %x {axis = -1 : i64} : (tensor<?x4x4x8xf32>, tensor<?x4x4x8xf32>) -> tensor<?x4x4x16xf32>
  %3 = tfg.pad %x {pads = array<i64: 0, 1, 1, 0, 0, 1, 1, 0>, mode = #tfg.pad_mode<reflect>} : (tensor<?x4x4x8xf32>) -> tensor<?x6x6x8xf32>
  %4 = tfg.resize %x {mode = #tfg.resize_mode<nearest>, coordinate_mode = "asymmetric", nearest_mode = "floor"} : (tensor<?x4x4x8xf32>) -> tensor<?x8x8x8xf32>
  %5 = tfg.depth_to_space %x {block_size = 2 : i64, mode = "CRD"} : (tensor<?x4x4x8xf32>) -> tensor<?x8x8x2xf32>
  %6 = tfg.node "onnx" "Einsum"(%x) {attrs = {equation = "bhwc->bchw"}} : (tensor<?x4x4x8xf32>) -> tensor<?x8x4x4xf32>
  return
}

// A negative axis counts from the end: the inputs may differ only there.
// CHECK-LABEL: func.func @concat_negative_axis
// CHECK: tfg.concat %arg0, %arg1 {axis = -1 : i64} : (tensor<2x4xf32>, tensor<2x5xf32>) -> tensor<2x9xf32>
func.func @concat_negative_axis(%a: tensor<2x4xf32>, %b: tensor<2x5xf32>) {
  %0 = tfg.concat %a, %b {axis = -1 : i64} : (tensor<2x4xf32>, tensor<2x5xf32>) -> tensor<2x9xf32>
  return
}

// Cubic resize by fractional scales: the output size is floor(in * scale).
// CHECK-LABEL: func.func @resize_cubic_scales
// CHECK: tfg.resize %arg0 {cubic_coeff_a = -5.000000e-01 : f32, exclude_outside = true, mode = #tfg.resize_mode<bicubic>, scales = array<f32: 6.000000e-01, 6.000000e-01>} : (tensor<1x4x4x3xf32>) -> tensor<1x2x2x3xf32>
func.func @resize_cubic_scales(%x: tensor<1x4x4x3xf32>) {
  %0 = tfg.resize %x {mode = #tfg.resize_mode<bicubic>, scales = array<f32: 0.6, 0.6>, cubic_coeff_a = -0.5 : f32, exclude_outside = true} : (tensor<1x4x4x3xf32>) -> tensor<1x2x2x3xf32>
  return
}

// Batch dimensions broadcast as in numpy.matmul.
// CHECK-LABEL: func.func @batch_matmul
// CHECK: tfg.batch_matmul %arg0, %arg1 : (tensor<2x1x4x5xf32>, tensor<3x5x6xf32>) -> tensor<2x3x4x6xf32>
func.func @batch_matmul(%a: tensor<2x1x4x5xf32>, %b: tensor<3x5x6xf32>) {
  %0 = tfg.batch_matmul %a, %b : (tensor<2x1x4x5xf32>, tensor<3x5x6xf32>) -> tensor<2x3x4x6xf32>
  return
}
