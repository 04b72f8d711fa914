// RUN: vai-opt %s -split-input-file -quant-quantize=method=1 | FileCheck %s --check-prefix=M1
// RUN: vai-opt %s -split-input-file -quant-quantize=method=2 | FileCheck %s --check-prefix=M2

// Depthwise weights whose channels differ by 400x: channel 0 is
// [-4, 1, 3.9], channel 1 [0.01, 0.012, 0.009]. The non-overflow position
// is 5. Method 1 keeps it (tensor error 3.6e-4; at 6 channel 0 clips, 7.67)
// and channel 1 rounds to all zeros. Method 2 minimises the mean relative
// per-channel error: 0.500 at 5 (channel 1 lost), 0.255 at 6, 0.301 at 7,
// so it takes 6, where channel 1 is [1, 1, 1] and channel 0 clips to 127.
// M1-LABEL: func.func @depthwise_spread
// M1: quant.const dense<{{\[\[\[\[}}-128], [0]]], {{\[\[}}[32], [0]]], {{\[\[}}[125], [0]]]]> : tensor<3x1x2x1xi8> -> tensor<3x1x2x1x!quant.fix<s8, 5>>
// M2-LABEL: func.func @depthwise_spread
// M2: quant.const dense<{{\[\[\[\[}}-128], [1]]], {{\[\[}}[64], [1]]], {{\[\[}}[127], [1]]]]> : tensor<3x1x2x1xi8> -> tensor<3x1x2x1x!quant.fix<s8, 6>>
func.func @depthwise_spread(%x: tensor<?x4x4x2xf32> {quant.fix_point = 5 : i32}) -> tensor<?x2x4x2xf32> {
  %w = tfg.const dense<[[[[-4.0], [0.01]]], [[[1.0], [0.012]]], [[[3.9], [0.009]]]]> : tensor<3x1x2x1xf32>
  %d = tfg.depthwise_conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, activation = #tfg.activation<none>, quant.fix_point = 3 : i32} : (tensor<?x4x4x2xf32>, tensor<3x1x2x1xf32>) -> tensor<?x2x4x2xf32>
  return %d : tensor<?x2x4x2xf32>
}

// -----

// Method 2 changes depthwise weights only: a conv2d with the same weights
// gets method 1's position 5 under both.
// M1-LABEL: func.func @conv_unchanged
// M1: quant.const {{.*}} -> tensor<3x1x2x1x!quant.fix<s8, 5>>
// M2-LABEL: func.func @conv_unchanged
// M2: quant.const {{.*}} -> tensor<3x1x2x1x!quant.fix<s8, 5>>
func.func @conv_unchanged(%x: tensor<?x4x4x2xf32> {quant.fix_point = 5 : i32}) -> tensor<?x2x4x1xf32> {
  %w = tfg.const dense<[[[[-4.0], [0.01]]], [[[1.0], [0.012]]], [[[3.9], [0.009]]]]> : tensor<3x1x2x1xf32>
  %d = tfg.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, activation = #tfg.activation<none>, quant.fix_point = 3 : i32} : (tensor<?x4x4x2xf32>, tensor<3x1x2x1xf32>) -> tensor<?x2x4x1xf32>
  return %d : tensor<?x2x4x1xf32>
}
