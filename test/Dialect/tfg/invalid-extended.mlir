// RUN: vai-opt %s -split-input-file -verify-diagnostics

func.func @prelu_slope(%x: tensor<2x4xf32>, %s: tensor<3xf32>) {
  // expected-error @+1 {{'tfg.prelu' op slope dimension 0 (3) does not broadcast to 4}}
  %y = tfg.prelu %x, %s : (tensor<2x4xf32>, tensor<3xf32>) -> tensor<2x4xf32>
  return
}

// -----

func.func @prelu_rank(%x: tensor<4xf32>, %s: tensor<2x4xf32>) {
  // expected-error @+1 {{'tfg.prelu' op slope has a higher rank than the input}}
  %y = tfg.prelu %x, %s : (tensor<4xf32>, tensor<2x4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @clip_bounds(%x: tensor<4xf32>) {
  // expected-error @+1 {{'tfg.clip' op has min 2.000000e+00 > max 1.000000e+00}}
  %y = tfg.clip %x {min = 2.0 : f32, max = 1.0 : f32} : tensor<4xf32>
  return
}

// -----

func.func @softmax_axis(%x: tensor<2x4xf32>) {
  // expected-error @+1 {{'tfg.softmax' op axis 2 is out of range for rank 2}}
  %y = tfg.softmax %x {axis = 2 : i64} : tensor<2x4xf32>
  return
}

// -----

func.func @depthwise_channels(%x: tensor<1x8x8x4xf32>, %w: tensor<3x3x3x1xf32>) {
  // expected-error @+1 {{'tfg.depthwise_conv2d' op input has 4 channels but the filter expects 3}}
  %y = tfg.depthwise_conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>} : (tensor<1x8x8x4xf32>, tensor<3x3x3x1xf32>) -> tensor<1x8x8x3xf32>
  return
}

// -----

func.func @transpose_conv_size(%x: tensor<1x8x8x4xf32>, %w: tensor<3x3x6x4xf32>) {
  // expected-error @+1 {{'tfg.conv2d_transpose' op output dimension 1 is 18 but the input, kernel, stride and pads give 15 (up to 1 more)}}
  %y = tfg.conv2d_transpose %x, %w {strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>} : (tensor<1x8x8x4xf32>, tensor<3x3x6x4xf32>) -> tensor<1x18x16x6xf32>
  return
}

// -----

func.func @transpose_conv_channels(%x: tensor<1x8x8x4xf32>, %w: tensor<3x3x6x4xf32>) {
  // expected-error @+1 {{'tfg.conv2d_transpose' op output has 5 channels but the filter makes 6}}
  %y = tfg.conv2d_transpose %x, %w {strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>} : (tensor<1x8x8x4xf32>, tensor<3x3x6x4xf32>) -> tensor<1x16x16x5xf32>
  return
}

// -----

func.func @reshape_count(%x: tensor<2x4xf32>) {
  // expected-error @+1 {{'tfg.reshape' op changes the number of elements}}
  %y = tfg.reshape %x : (tensor<2x4xf32>) -> tensor<9xf32>
  return
}

// -----

func.func @transpose_repeat(%x: tensor<2x4xf32>) {
  // expected-error @+1 {{'tfg.transpose' op perm repeats dimension 0}}
  %y = tfg.transpose %x {perm = array<i64: 0, 0>} : (tensor<2x4xf32>) -> tensor<2x2xf32>
  return
}

// -----

func.func @concat_other_dim(%a: tensor<2x4xf32>, %b: tensor<3x4xf32>) {
  // expected-error @+1 {{'tfg.concat' op inputs differ in dimension 0, which is not the concat axis}}
  %y = tfg.concat %a, %b {axis = 1 : i64} : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x8xf32>
  return
}

// -----

func.func @pad_reflect(%x: tensor<2x4xf32>) {
  // expected-error @+1 {{'tfg.pad' op reflect padding of dimension 0 must be smaller than its size 2}}
  %y = tfg.pad %x {pads = array<i64: 2, 0, 0, 0>, mode = #tfg.pad_mode<reflect>} : (tensor<2x4xf32>) -> tensor<4x4xf32>
  return
}

// -----

func.func @pad_crop(%x: tensor<2x4xf32>) {
  // expected-error @+1 {{'tfg.pad' op crops dimension 0 below zero}}
  %y = tfg.pad %x {pads = array<i64: -2, 0, -1, 0>} : (tensor<2x4xf32>) -> tensor<1x4xf32>
  return
}

// -----

func.func @resize_channels(%x: tensor<1x4x4x8xf32>) {
  // expected-error @+1 {{'tfg.resize' op changes the batch or channel dimension}}
  %y = tfg.resize %x {mode = #tfg.resize_mode<bilinear>} : (tensor<1x4x4x8xf32>) -> tensor<1x8x8x4xf32>
  return
}

// -----

func.func @resize_mode(%x: tensor<1x4x4x8xf32>) {
  // expected-error @+1 {{'tfg.resize' op unknown coordinate_mode 'diagonal'}}
  %y = tfg.resize %x {mode = #tfg.resize_mode<bilinear>, coordinate_mode = "diagonal"} : (tensor<1x4x4x8xf32>) -> tensor<1x8x8x8xf32>
  return
}

// -----

func.func @depth_to_space_blocks(%x: tensor<1x4x4x6xf32>) {
  // expected-error @+1 {{'tfg.depth_to_space' op 6 channels do not divide into blocks of 2x2}}
  %y = tfg.depth_to_space %x {block_size = 2 : i64} : (tensor<1x4x4x6xf32>) -> tensor<1x8x8x1xf32>
  return
}

// -----

func.func @resize_scale_size(%x: tensor<1x4x4x8xf32>) {
  // expected-error @+1 {{'tfg.resize' op output size 3 is not floor(4 * 6.000000e-01)}}
  %y = tfg.resize %x {mode = #tfg.resize_mode<bilinear>, scales = array<f32: 0.6, 0.6>} : (tensor<1x4x4x8xf32>) -> tensor<1x3x3x8xf32>
  return
}

// -----

func.func @resize_scale_count(%x: tensor<1x4x4x8xf32>) {
  // expected-error @+1 {{'tfg.resize' op expects 2 scales (H, W), got 1}}
  %y = tfg.resize %x {mode = #tfg.resize_mode<bilinear>, scales = array<f32: 2.0>} : (tensor<1x4x4x8xf32>) -> tensor<1x8x8x8xf32>
  return
}

// -----

func.func @batch_matmul_inner(%a: tensor<2x4x5xf32>, %b: tensor<2x6x7xf32>) {
  // expected-error @+2 {{batch_matmul inner dimensions differ: 5 vs 6}}
  // expected-error @+1 {{'tfg.batch_matmul' op failed to infer returned types}}
  %y = tfg.batch_matmul %a, %b : (tensor<2x4x5xf32>, tensor<2x6x7xf32>) -> tensor<2x4x7xf32>
  return
}

// -----

func.func @batch_matmul_batch(%a: tensor<2x4x5xf32>, %b: tensor<3x5x7xf32>) {
  // expected-error @+2 {{operands do not broadcast: dimension 0 is 2 vs 3}}
  // expected-error @+1 {{'tfg.batch_matmul' op failed to infer returned types}}
  %y = tfg.batch_matmul %a, %b : (tensor<2x4x5xf32>, tensor<3x5x7xf32>) -> tensor<2x4x7xf32>
  return
}
