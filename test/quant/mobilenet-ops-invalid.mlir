// RUN: vai-opt %s -split-input-file -verify-diagnostics

// Verifier errors of quant.depthwise_conv2d, quant.concat and quant.mul.

// shift_cut = 6 + 4 - 11 < 0: the DPU cannot shift left.
func.func @dw_shift_cut(%x: tensor<1x4x4x2x!quant.fix<s8, 4>>, %w: tensor<3x3x2x1x!quant.fix<s8, 6>>) -> tensor<1x4x4x2x!quant.fix<s8, 11>> {
  // expected-error @+1 {{shift_cut = w + i - o = 6 + 4 - 11 = -1 is outside [0, 16]}}
  %y = quant.depthwise_conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>} : (tensor<1x4x4x2x!quant.fix<s8, 4>>, tensor<3x3x2x1x!quant.fix<s8, 6>>) -> tensor<1x4x4x2x!quant.fix<s8, 11>>
  return %y : tensor<1x4x4x2x!quant.fix<s8, 11>>
}

// -----

// shift_bias = 6 + 4 - 30 = -20 is below min(0, shift_cut - 16) = -10.
func.func @dw_shift_bias(%x: tensor<1x4x4x2x!quant.fix<s8, 4>>, %w: tensor<3x3x2x1x!quant.fix<s8, 6>>, %b: tensor<2x!quant.fix<s8, 30>>) -> tensor<1x4x4x2x!quant.fix<s8, 4>> {
  // expected-error @+1 {{shift_bias = w + i - b = 6 + 4 - 30 = -20 is outside [-10, 16] (shift_cut = 6)}}
  %y = quant.depthwise_conv2d %x, %w, %b {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>} : (tensor<1x4x4x2x!quant.fix<s8, 4>>, tensor<3x3x2x1x!quant.fix<s8, 6>>, tensor<2x!quant.fix<s8, 30>>) -> tensor<1x4x4x2x!quant.fix<s8, 4>>
  return %y : tensor<1x4x4x2x!quant.fix<s8, 4>>
}

// -----

func.func @dw_channels(%x: tensor<1x4x4x3x!quant.fix<s8, 4>>, %w: tensor<3x3x2x1x!quant.fix<s8, 6>>) -> tensor<1x4x4x2x!quant.fix<s8, 4>> {
  // expected-error @+1 {{input has 3 channels but the weights expect 2}}
  %y = quant.depthwise_conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>} : (tensor<1x4x4x3x!quant.fix<s8, 4>>, tensor<3x3x2x1x!quant.fix<s8, 6>>) -> tensor<1x4x4x2x!quant.fix<s8, 4>>
  return %y : tensor<1x4x4x2x!quant.fix<s8, 4>>
}

// -----

// A multiplier of 2 gives 4 output channels, not 2.
func.func @dw_multiplier(%x: tensor<1x4x4x2x!quant.fix<s8, 4>>, %w: tensor<3x3x2x2x!quant.fix<s8, 6>>) -> tensor<1x4x4x2x!quant.fix<s8, 4>> {
  // expected-error @+1 {{expects output dimension 3 to be 4, got 2}}
  %y = quant.depthwise_conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>} : (tensor<1x4x4x2x!quant.fix<s8, 4>>, tensor<3x3x2x2x!quant.fix<s8, 6>>) -> tensor<1x4x4x2x!quant.fix<s8, 4>>
  return %y : tensor<1x4x4x2x!quant.fix<s8, 4>>
}

// -----

func.func @dw_bias(%x: tensor<1x4x4x2x!quant.fix<s8, 4>>, %w: tensor<3x3x2x1x!quant.fix<s8, 6>>, %b: tensor<3x!quant.fix<s8, 6>>) -> tensor<1x4x4x2x!quant.fix<s8, 4>> {
  // expected-error @+1 {{expects a bias of 2 elements, one per output channel}}
  %y = quant.depthwise_conv2d %x, %w, %b {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>} : (tensor<1x4x4x2x!quant.fix<s8, 4>>, tensor<3x3x2x1x!quant.fix<s8, 6>>, tensor<3x!quant.fix<s8, 6>>) -> tensor<1x4x4x2x!quant.fix<s8, 4>>
  return %y : tensor<1x4x4x2x!quant.fix<s8, 4>>
}

// -----

func.func @concat_sum(%a: tensor<1x4x!quant.fix<s8, 4>>, %b: tensor<1x2x!quant.fix<s8, 4>>) -> tensor<1x7x!quant.fix<s8, 4>> {
  // expected-error @+1 {{output dimension 1 should be 6, got 7}}
  %y = quant.concat %a, %b {axis = 1 : i64} : (tensor<1x4x!quant.fix<s8, 4>>, tensor<1x2x!quant.fix<s8, 4>>) -> tensor<1x7x!quant.fix<s8, 4>>
  return %y : tensor<1x7x!quant.fix<s8, 4>>
}

// -----

func.func @concat_off_axis(%a: tensor<1x4x!quant.fix<s8, 4>>, %b: tensor<2x2x!quant.fix<s8, 4>>) -> tensor<1x6x!quant.fix<s8, 4>> {
  // expected-error @+1 {{input dimension 0 is 2, output has 1}}
  %y = quant.concat %a, %b {axis = 1 : i64} : (tensor<1x4x!quant.fix<s8, 4>>, tensor<2x2x!quant.fix<s8, 4>>) -> tensor<1x6x!quant.fix<s8, 4>>
  return %y : tensor<1x6x!quant.fix<s8, 4>>
}

// -----

func.func @concat_axis(%a: tensor<1x4x!quant.fix<s8, 4>>) -> tensor<1x4x!quant.fix<s8, 4>> {
  // expected-error @+1 {{axis 2 is outside [0, 2)}}
  %y = quant.concat %a {axis = 2 : i64} : (tensor<1x4x!quant.fix<s8, 4>>) -> tensor<1x4x!quant.fix<s8, 4>>
  return %y : tensor<1x4x!quant.fix<s8, 4>>
}

// -----

// The product of positions 4 and 7 is at 11: output 12 would need a left
// shift.
func.func @mul_shift(%a: tensor<1x4x!quant.fix<s8, 4>>, %b: tensor<4x!quant.fix<s8, 7>>) -> tensor<1x4x!quant.fix<s8, 12>> {
  // expected-error @+1 {{shift = a + b - o = -1 is outside [0, 16]}}
  %y = quant.mul %a, %b : (tensor<1x4x!quant.fix<s8, 4>>, tensor<4x!quant.fix<s8, 7>>) -> tensor<1x4x!quant.fix<s8, 12>>
  return %y : tensor<1x4x!quant.fix<s8, 12>>
}

// -----

func.func @mul_broadcast(%a: tensor<1x4x!quant.fix<s8, 4>>, %b: tensor<3x!quant.fix<s8, 7>>) -> tensor<1x4x!quant.fix<s8, 6>> {
  // expected-error @+1 {{expects rhs to broadcast to lhs}}
  %y = quant.mul %a, %b : (tensor<1x4x!quant.fix<s8, 4>>, tensor<3x!quant.fix<s8, 7>>) -> tensor<1x4x!quant.fix<s8, 6>>
  return %y : tensor<1x4x!quant.fix<s8, 6>>
}
