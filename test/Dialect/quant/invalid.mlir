// RUN: vai-opt %s -split-input-file -verify-diagnostics

// One case per diagnostic of the !quant.fix type parser and verifier and of
// the quant op verifiers.

//===----------------------------------------------------------------------===//
// !quant.fix
//===----------------------------------------------------------------------===//

// expected-error @+1 {{expected 's<bits>' or 'u<bits>', got 'i8'}}
func.func private @fix_bad_signedness(tensor<4x!quant.fix<i8, 4>>)

// -----

// expected-error @+1 {{expected 's<bits>' or 'u<bits>', got 's'}}
func.func private @fix_missing_width(tensor<4x!quant.fix<s, 4>>)

// -----

// expected-error @+1 {{expected 's<bits>' or 'u<bits>', got 'u8x'}}
func.func private @fix_bad_width(tensor<4x!quant.fix<u8x, 4>>)

// -----

// expected-error @+1 {{unknown round mode 'banker_round'}}
func.func private @fix_unknown_round_mode(tensor<4x!quant.fix<s8, 4, banker_round>>)

// -----

// expected-error @+1 {{fixed-point bit width must be in [2, 32], got 1}}
func.func private @fix_width_too_small(tensor<4x!quant.fix<s1, 0>>)

// -----

// expected-error @+1 {{fixed-point bit width must be in [2, 32], got 33}}
func.func private @fix_width_too_large(tensor<4x!quant.fix<u33, 0>>)

// -----

// expected-error @+1 {{fix position must be in [-64, 64], got 65}}
func.func private @fix_position_too_large(tensor<4x!quant.fix<s8, 65>>)

// -----

// expected-error @+1 {{fix position must be in [-64, 64], got -65}}
func.func private @fix_position_too_small(tensor<4x!quant.fix<s8, -65, py3_round>>)

// -----

//===----------------------------------------------------------------------===//
// const
//===----------------------------------------------------------------------===//

func.func @const_shape() {
  // expected-error @+1 {{'quant.const' op value shape does not match the result shape}}
  %w = quant.const dense<[1, 2, 3]> : tensor<3xi8> -> tensor<1x3x!quant.fix<s8, 7>>
  return
}

// -----

func.func @const_bit_width() {
  // expected-error @+1 {{'quant.const' op value has 16-bit integers but the result type has 8 bits}}
  %w = quant.const dense<[1, 2]> : tensor<2xi16> -> tensor<2x!quant.fix<s8, 7>>
  return
}

// -----

//===----------------------------------------------------------------------===//
// quantize / dequantize
//===----------------------------------------------------------------------===//

func.func @quantize_rank(%x: tensor<?x28x28xf32>) {
  // expected-error @+1 {{'quant.quantize' op expects input and output of the same rank}}
  %q = quant.quantize %x : tensor<?x28x28xf32> -> tensor<?x28x28x1x!quant.fix<s8, 7>>
  return
}

// -----

func.func @quantize_shape(%x: tensor<?x28x28x1xf32>) {
  // expected-error @+1 {{'quant.quantize' op expects input and output of the same shape}}
  %q = quant.quantize %x : tensor<?x28x28x1xf32> -> tensor<?x28x14x1x!quant.fix<s8, 7>>
  return
}

// -----

func.func @dequantize_rank(%q: tensor<?x10x!quant.fix<s8, 3>>) {
  // expected-error @+1 {{'quant.dequantize' op expects input and output of the same rank}}
  %x = quant.dequantize %q : tensor<?x10x!quant.fix<s8, 3>> -> tensor<10xf32>
  return
}

// -----

func.func @dequantize_shape(%q: tensor<2x10x!quant.fix<s8, 3>>) {
  // expected-error @+1 {{'quant.dequantize' op expects input and output of the same shape}}
  %x = quant.dequantize %q : tensor<2x10x!quant.fix<s8, 3>> -> tensor<3x10xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// conv2d: window attributes and shapes
//===----------------------------------------------------------------------===//

func.func @conv2d_strides_count(%x: tensor<?x28x28x1x!quant.fix<s8, 7>>,
                                %w: tensor<3x3x1x8x!quant.fix<s8, 6>>) {
  // expected-error @+1 {{'quant.conv2d' op expects 'strides' to have 2 elements, got 1}}
  %y = quant.conv2d %x, %w {strides = array<i64: 1>, dilations = array<i64: 1, 1>,
         pad = array<i64: 1, 1, 1, 1>}
       : (tensor<?x28x28x1x!quant.fix<s8, 7>>, tensor<3x3x1x8x!quant.fix<s8, 6>>)
       -> tensor<?x28x28x8x!quant.fix<s8, 4>>
  return
}

// -----

func.func @conv2d_zero_stride(%x: tensor<?x28x28x1x!quant.fix<s8, 7>>,
                              %w: tensor<3x3x1x8x!quant.fix<s8, 6>>) {
  // expected-error @+1 {{'quant.conv2d' op expects 'strides' entries to be positive}}
  %y = quant.conv2d %x, %w {strides = array<i64: 1, 0>, dilations = array<i64: 1, 1>,
         pad = array<i64: 1, 1, 1, 1>}
       : (tensor<?x28x28x1x!quant.fix<s8, 7>>, tensor<3x3x1x8x!quant.fix<s8, 6>>)
       -> tensor<?x28x28x8x!quant.fix<s8, 4>>
  return
}

// -----

func.func @conv2d_dilations_count(%x: tensor<?x28x28x1x!quant.fix<s8, 7>>,
                                  %w: tensor<3x3x1x8x!quant.fix<s8, 6>>) {
  // expected-error @+1 {{'quant.conv2d' op expects 'dilations' to have 2 elements, got 3}}
  %y = quant.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1, 1>,
         pad = array<i64: 1, 1, 1, 1>}
       : (tensor<?x28x28x1x!quant.fix<s8, 7>>, tensor<3x3x1x8x!quant.fix<s8, 6>>)
       -> tensor<?x28x28x8x!quant.fix<s8, 4>>
  return
}

// -----

func.func @conv2d_negative_dilation(%x: tensor<?x28x28x1x!quant.fix<s8, 7>>,
                                    %w: tensor<3x3x1x8x!quant.fix<s8, 6>>) {
  // expected-error @+1 {{'quant.conv2d' op expects 'dilations' entries to be positive}}
  %y = quant.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: -1, 1>,
         pad = array<i64: 1, 1, 1, 1>}
       : (tensor<?x28x28x1x!quant.fix<s8, 7>>, tensor<3x3x1x8x!quant.fix<s8, 6>>)
       -> tensor<?x28x28x8x!quant.fix<s8, 4>>
  return
}

// -----

func.func @conv2d_pad_count(%x: tensor<?x28x28x1x!quant.fix<s8, 7>>,
                            %w: tensor<3x3x1x8x!quant.fix<s8, 6>>) {
  // expected-error @+1 {{'quant.conv2d' op expects 'pad' to have 4 elements, got 2}}
  %y = quant.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>,
         pad = array<i64: 1, 1>}
       : (tensor<?x28x28x1x!quant.fix<s8, 7>>, tensor<3x3x1x8x!quant.fix<s8, 6>>)
       -> tensor<?x28x28x8x!quant.fix<s8, 4>>
  return
}

// -----

func.func @conv2d_negative_pad(%x: tensor<?x28x28x1x!quant.fix<s8, 7>>,
                               %w: tensor<3x3x1x8x!quant.fix<s8, 6>>) {
  // expected-error @+1 {{'quant.conv2d' op expects 'pad' entries to be non-negative}}
  %y = quant.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>,
         pad = array<i64: 1, 1, -1, 3>}
       : (tensor<?x28x28x1x!quant.fix<s8, 7>>, tensor<3x3x1x8x!quant.fix<s8, 6>>)
       -> tensor<?x28x28x8x!quant.fix<s8, 4>>
  return
}

// -----

func.func @conv2d_weights_rank(%x: tensor<?x28x28x1x!quant.fix<s8, 7>>,
                               %w: tensor<3x3x8x!quant.fix<s8, 6>>) {
  // expected-error @+1 {{'quant.conv2d' op expects rank-4 HWIO weights}}
  %y = quant.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>,
         pad = array<i64: 1, 1, 1, 1>}
       : (tensor<?x28x28x1x!quant.fix<s8, 7>>, tensor<3x3x8x!quant.fix<s8, 6>>)
       -> tensor<?x28x28x8x!quant.fix<s8, 4>>
  return
}

// -----

func.func @conv2d_channel_mismatch(%x: tensor<?x28x28x3x!quant.fix<s8, 7>>,
                                   %w: tensor<3x3x1x8x!quant.fix<s8, 6>>) {
  // expected-error @+1 {{'quant.conv2d' op input has 3 channels but the weights expect 1}}
  %y = quant.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>,
         pad = array<i64: 1, 1, 1, 1>}
       : (tensor<?x28x28x3x!quant.fix<s8, 7>>, tensor<3x3x1x8x!quant.fix<s8, 6>>)
       -> tensor<?x28x28x8x!quant.fix<s8, 4>>
  return
}

// -----

func.func @conv2d_input_rank(%x: tensor<28x28x1x!quant.fix<s8, 7>>,
                             %w: tensor<3x3x1x8x!quant.fix<s8, 6>>) {
  // expected-error @+1 {{'quant.conv2d' op expects rank-4 NHWC input and output}}
  %y = quant.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>,
         pad = array<i64: 1, 1, 1, 1>}
       : (tensor<28x28x1x!quant.fix<s8, 7>>, tensor<3x3x1x8x!quant.fix<s8, 6>>)
       -> tensor<1x28x28x8x!quant.fix<s8, 4>>
  return
}

// -----

// Without padding the 3x3 window gives 26x26.
func.func @conv2d_output_shape(%x: tensor<?x28x28x1x!quant.fix<s8, 7>>,
                               %w: tensor<3x3x1x8x!quant.fix<s8, 6>>) {
  // expected-error @+1 {{'quant.conv2d' op expects output dimension 1 to be 26, got 28}}
  %y = quant.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>,
         pad = array<i64: 0, 0, 0, 0>}
       : (tensor<?x28x28x1x!quant.fix<s8, 7>>, tensor<3x3x1x8x!quant.fix<s8, 6>>)
       -> tensor<?x28x28x8x!quant.fix<s8, 4>>
  return
}

// -----

func.func @conv2d_output_channels(%x: tensor<?x28x28x1x!quant.fix<s8, 7>>,
                                  %w: tensor<3x3x1x8x!quant.fix<s8, 6>>) {
  // expected-error @+1 {{'quant.conv2d' op expects output dimension 3 to be 8, got 16}}
  %y = quant.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>,
         pad = array<i64: 1, 1, 1, 1>}
       : (tensor<?x28x28x1x!quant.fix<s8, 7>>, tensor<3x3x1x8x!quant.fix<s8, 6>>)
       -> tensor<?x28x28x16x!quant.fix<s8, 4>>
  return
}

// -----

func.func @conv2d_bias_length(%x: tensor<?x28x28x1x!quant.fix<s8, 7>>,
                              %w: tensor<3x3x1x8x!quant.fix<s8, 6>>,
                              %b: tensor<4x!quant.fix<s8, 6>>) {
  // expected-error @+1 {{'quant.conv2d' op expects a bias of 8 elements, one per output channel}}
  %y = quant.conv2d %x, %w, %b {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>,
         pad = array<i64: 1, 1, 1, 1>}
       : (tensor<?x28x28x1x!quant.fix<s8, 7>>, tensor<3x3x1x8x!quant.fix<s8, 6>>,
          tensor<4x!quant.fix<s8, 6>>) -> tensor<?x28x28x8x!quant.fix<s8, 4>>
  return
}

// -----

func.func @conv2d_bias_rank(%x: tensor<?x28x28x1x!quant.fix<s8, 7>>,
                            %w: tensor<3x3x1x8x!quant.fix<s8, 6>>,
                            %b: tensor<1x8x!quant.fix<s8, 6>>) {
  // expected-error @+1 {{'quant.conv2d' op expects a bias of 8 elements, one per output channel}}
  %y = quant.conv2d %x, %w, %b {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>,
         pad = array<i64: 1, 1, 1, 1>}
       : (tensor<?x28x28x1x!quant.fix<s8, 7>>, tensor<3x3x1x8x!quant.fix<s8, 6>>,
          tensor<1x8x!quant.fix<s8, 6>>) -> tensor<?x28x28x8x!quant.fix<s8, 4>>
  return
}

// -----

//===----------------------------------------------------------------------===//
// conv2d: shifts
//===----------------------------------------------------------------------===//

func.func @conv2d_shift_cut_negative(%x: tensor<?x28x28x1x!quant.fix<s8, 7>>,
                                     %w: tensor<3x3x1x8x!quant.fix<s8, 6>>) {
  // expected-error @+1 {{'quant.conv2d' op shift_cut = w + i - o = 6 + 7 - 14 = -1 is outside [0, 16]}}
  %y = quant.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>,
         pad = array<i64: 1, 1, 1, 1>}
       : (tensor<?x28x28x1x!quant.fix<s8, 7>>, tensor<3x3x1x8x!quant.fix<s8, 6>>)
       -> tensor<?x28x28x8x!quant.fix<s8, 14>>
  return
}

// -----

func.func @conv2d_shift_cut_too_large(%x: tensor<?x28x28x1x!quant.fix<s8, 7>>,
                                      %w: tensor<3x3x1x8x!quant.fix<s8, 6>>) {
  // expected-error @+1 {{'quant.conv2d' op shift_cut = w + i - o = 6 + 7 - -4 = 17 is outside [0, 16]}}
  %y = quant.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>,
         pad = array<i64: 1, 1, 1, 1>}
       : (tensor<?x28x28x1x!quant.fix<s8, 7>>, tensor<3x3x1x8x!quant.fix<s8, 6>>)
       -> tensor<?x28x28x8x!quant.fix<s8, -4>>
  return
}

// -----

// shift_cut = 9 allows shift_bias in [min(0, 9 - 16), 16] = [-7, 16].
func.func @conv2d_shift_bias_too_large(%x: tensor<?x28x28x1x!quant.fix<s8, 7>>,
                                       %w: tensor<3x3x1x8x!quant.fix<s8, 6>>,
                                       %b: tensor<8x!quant.fix<s8, -4>>) {
  // expected-error @+1 {{'quant.conv2d' op shift_bias = w + i - b = 6 + 7 - -4 = 17 is outside [-7, 16] (shift_cut = 9)}}
  %y = quant.conv2d %x, %w, %b {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>,
         pad = array<i64: 1, 1, 1, 1>}
       : (tensor<?x28x28x1x!quant.fix<s8, 7>>, tensor<3x3x1x8x!quant.fix<s8, 6>>,
          tensor<8x!quant.fix<s8, -4>>) -> tensor<?x28x28x8x!quant.fix<s8, 4>>
  return
}

// -----

func.func @conv2d_shift_bias_too_small(%x: tensor<?x28x28x1x!quant.fix<s8, 7>>,
                                       %w: tensor<3x3x1x8x!quant.fix<s8, 6>>,
                                       %b: tensor<8x!quant.fix<s16, 21>>) {
  // expected-error @+1 {{'quant.conv2d' op shift_bias = w + i - b = 6 + 7 - 21 = -8 is outside [-7, 16] (shift_cut = 9)}}
  %y = quant.conv2d %x, %w, %b {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>,
         pad = array<i64: 1, 1, 1, 1>}
       : (tensor<?x28x28x1x!quant.fix<s8, 7>>, tensor<3x3x1x8x!quant.fix<s8, 6>>,
          tensor<8x!quant.fix<s16, 21>>) -> tensor<?x28x28x8x!quant.fix<s8, 4>>
  return
}

// -----

// At shift_cut = 16 the bias may not be shifted right at all: [0, 16].
func.func @conv2d_shift_bias_at_max_cut(%x: tensor<?x28x28x1x!quant.fix<s8, 7>>,
                                        %w: tensor<3x3x1x8x!quant.fix<s8, 6>>,
                                        %b: tensor<8x!quant.fix<s8, 14>>) {
  // expected-error @+1 {{'quant.conv2d' op shift_bias = w + i - b = 6 + 7 - 14 = -1 is outside [0, 16] (shift_cut = 16)}}
  %y = quant.conv2d %x, %w, %b {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>,
         pad = array<i64: 1, 1, 1, 1>}
       : (tensor<?x28x28x1x!quant.fix<s8, 7>>, tensor<3x3x1x8x!quant.fix<s8, 6>>,
          tensor<8x!quant.fix<s8, 14>>) -> tensor<?x28x28x8x!quant.fix<s8, -3>>
  return
}

// -----

//===----------------------------------------------------------------------===//
// matmul
//===----------------------------------------------------------------------===//

func.func @matmul_rank(%x: tensor<?x1x16x!quant.fix<s8, 5>>,
                       %w: tensor<16x10x!quant.fix<s8, 7>>) {
  // expected-error @+1 {{'quant.matmul' op expects rank-2 input, weights and output}}
  %y = quant.matmul %x, %w : (tensor<?x1x16x!quant.fix<s8, 5>>,
         tensor<16x10x!quant.fix<s8, 7>>) -> tensor<?x10x!quant.fix<s8, 3>>
  return
}

// -----

func.func @matmul_inner_dims(%x: tensor<?x16x!quant.fix<s8, 5>>,
                             %w: tensor<12x10x!quant.fix<s8, 7>>) {
  // expected-error @+1 {{'quant.matmul' op inner dimensions differ: 16 vs 12}}
  %y = quant.matmul %x, %w : (tensor<?x16x!quant.fix<s8, 5>>,
         tensor<12x10x!quant.fix<s8, 7>>) -> tensor<?x10x!quant.fix<s8, 3>>
  return
}

// -----

func.func @matmul_output_shape(%x: tensor<?x16x!quant.fix<s8, 5>>,
                               %w: tensor<16x10x!quant.fix<s8, 7>>) {
  // expected-error @+1 {{'quant.matmul' op expects output shape [M, N] of [M, K] x [K, N]}}
  %y = quant.matmul %x, %w : (tensor<?x16x!quant.fix<s8, 5>>,
         tensor<16x10x!quant.fix<s8, 7>>) -> tensor<?x16x!quant.fix<s8, 3>>
  return
}

// -----

func.func @matmul_bias_length(%x: tensor<?x16x!quant.fix<s8, 5>>,
                              %w: tensor<16x10x!quant.fix<s8, 7>>,
                              %b: tensor<16x!quant.fix<s8, 8>>) {
  // expected-error @+1 {{'quant.matmul' op expects a bias of 10 elements, one per output channel}}
  %y = quant.matmul %x, %w, %b : (tensor<?x16x!quant.fix<s8, 5>>,
         tensor<16x10x!quant.fix<s8, 7>>, tensor<16x!quant.fix<s8, 8>>)
       -> tensor<?x10x!quant.fix<s8, 3>>
  return
}

// -----

func.func @matmul_shift_cut_negative(%x: tensor<?x16x!quant.fix<s8, 5>>,
                                     %w: tensor<16x10x!quant.fix<s8, 7>>) {
  // expected-error @+1 {{'quant.matmul' op shift_cut = w + i - o = 7 + 5 - 13 = -1 is outside [0, 16]}}
  %y = quant.matmul %x, %w : (tensor<?x16x!quant.fix<s8, 5>>,
         tensor<16x10x!quant.fix<s8, 7>>) -> tensor<?x10x!quant.fix<s8, 13>>
  return
}

// -----

func.func @matmul_shift_cut_too_large(%x: tensor<?x16x!quant.fix<s8, 5>>,
                                      %w: tensor<16x10x!quant.fix<s8, 7>>) {
  // expected-error @+1 {{'quant.matmul' op shift_cut = w + i - o = 7 + 5 - -5 = 17 is outside [0, 16]}}
  %y = quant.matmul %x, %w : (tensor<?x16x!quant.fix<s8, 5>>,
         tensor<16x10x!quant.fix<s8, 7>>) -> tensor<?x10x!quant.fix<s8, -5>>
  return
}

// -----

func.func @matmul_shift_bias_too_large(%x: tensor<?x16x!quant.fix<s8, 5>>,
                                       %w: tensor<16x10x!quant.fix<s8, 7>>,
                                       %b: tensor<10x!quant.fix<s8, -5>>) {
  // expected-error @+1 {{'quant.matmul' op shift_bias = w + i - b = 7 + 5 - -5 = 17 is outside [-7, 16] (shift_cut = 9)}}
  %y = quant.matmul %x, %w, %b : (tensor<?x16x!quant.fix<s8, 5>>,
         tensor<16x10x!quant.fix<s8, 7>>, tensor<10x!quant.fix<s8, -5>>)
       -> tensor<?x10x!quant.fix<s8, 3>>
  return
}

// -----

func.func @matmul_shift_bias_too_small(%x: tensor<?x16x!quant.fix<s8, 5>>,
                                       %w: tensor<16x10x!quant.fix<s8, 7>>,
                                       %b: tensor<10x!quant.fix<s16, 20>>) {
  // expected-error @+1 {{'quant.matmul' op shift_bias = w + i - b = 7 + 5 - 20 = -8 is outside [-7, 16] (shift_cut = 9)}}
  %y = quant.matmul %x, %w, %b : (tensor<?x16x!quant.fix<s8, 5>>,
         tensor<16x10x!quant.fix<s8, 7>>, tensor<10x!quant.fix<s16, 20>>)
       -> tensor<?x10x!quant.fix<s8, 3>>
  return
}

// -----

//===----------------------------------------------------------------------===//
// max_pool / avg_pool
//===----------------------------------------------------------------------===//

func.func @max_pool_changes_position(%x: tensor<?x28x28x8x!quant.fix<s8, 4>>) {
  // expected-error @+1 {{'quant.max_pool' op expects the same fixed-point type in and out}}
  %y = quant.max_pool %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>,
                          pad = array<i64: 0, 0, 0, 0>}
       : (tensor<?x28x28x8x!quant.fix<s8, 4>>) -> tensor<?x14x14x8x!quant.fix<s8, 3>>
  return
}

// -----

func.func @max_pool_changes_round_mode(%x: tensor<?x28x28x8x!quant.fix<s8, 4>>) {
  // expected-error @+1 {{'quant.max_pool' op expects the same fixed-point type in and out}}
  %y = quant.max_pool %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>,
                          pad = array<i64: 0, 0, 0, 0>}
       : (tensor<?x28x28x8x!quant.fix<s8, 4>>)
       -> tensor<?x14x14x8x!quant.fix<s8, 4, py3_round>>
  return
}

// -----

func.func @max_pool_kernel_count(%x: tensor<?x28x28x8x!quant.fix<s8, 4>>) {
  // expected-error @+1 {{'quant.max_pool' op expects 'kernel' to have 2 elements, got 3}}
  %y = quant.max_pool %x {kernel = array<i64: 2, 2, 2>, strides = array<i64: 2, 2>,
                          pad = array<i64: 0, 0, 0, 0>}
       : (tensor<?x28x28x8x!quant.fix<s8, 4>>) -> tensor<?x14x14x8x!quant.fix<s8, 4>>
  return
}

// -----

func.func @avg_pool_zero_kernel(%x: tensor<?x28x28x8x!quant.fix<s8, 4>>) {
  // expected-error @+1 {{'quant.avg_pool' op expects 'kernel' entries to be positive}}
  %y = quant.avg_pool %x {kernel = array<i64: 2, 0>, strides = array<i64: 2, 2>,
                          pad = array<i64: 0, 0, 0, 0>}
       : (tensor<?x28x28x8x!quant.fix<s8, 4>>) -> tensor<?x14x14x8x!quant.fix<s8, 4>>
  return
}

// -----

func.func @avg_pool_strides_count(%x: tensor<?x28x28x8x!quant.fix<s8, 4>>) {
  // expected-error @+1 {{'quant.avg_pool' op expects 'strides' to have 2 elements, got 0}}
  %y = quant.avg_pool %x {kernel = array<i64: 2, 2>, strides = array<i64>,
                          pad = array<i64: 0, 0, 0, 0>}
       : (tensor<?x28x28x8x!quant.fix<s8, 4>>) -> tensor<?x14x14x8x!quant.fix<s8, 4>>
  return
}

// -----

func.func @max_pool_negative_stride(%x: tensor<?x28x28x8x!quant.fix<s8, 4>>) {
  // expected-error @+1 {{'quant.max_pool' op expects 'strides' entries to be positive}}
  %y = quant.max_pool %x {kernel = array<i64: 2, 2>, strides = array<i64: -2, 2>,
                          pad = array<i64: 0, 0, 0, 0>}
       : (tensor<?x28x28x8x!quant.fix<s8, 4>>) -> tensor<?x14x14x8x!quant.fix<s8, 4>>
  return
}

// -----

func.func @avg_pool_pad_count(%x: tensor<?x28x28x8x!quant.fix<s8, 4>>) {
  // expected-error @+1 {{'quant.avg_pool' op expects 'pad' to have 4 elements, got 1}}
  %y = quant.avg_pool %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>,
                          pad = array<i64: 0>}
       : (tensor<?x28x28x8x!quant.fix<s8, 4>>) -> tensor<?x14x14x8x!quant.fix<s8, 4>>
  return
}

// -----

func.func @max_pool_negative_pad(%x: tensor<?x28x28x8x!quant.fix<s8, 4>>) {
  // expected-error @+1 {{'quant.max_pool' op expects 'pad' entries to be non-negative}}
  %y = quant.max_pool %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>,
                          pad = array<i64: 0, 0, 0, -1>}
       : (tensor<?x28x28x8x!quant.fix<s8, 4>>) -> tensor<?x14x14x8x!quant.fix<s8, 4>>
  return
}

// -----

func.func @max_pool_rank(%x: tensor<28x28x8x!quant.fix<s8, 4>>) {
  // expected-error @+1 {{'quant.max_pool' op expects rank-4 NHWC input and output}}
  %y = quant.max_pool %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>,
                          pad = array<i64: 0, 0, 0, 0>}
       : (tensor<28x28x8x!quant.fix<s8, 4>>) -> tensor<14x14x8x!quant.fix<s8, 4>>
  return
}

// -----

func.func @max_pool_output_shape(%x: tensor<?x28x28x8x!quant.fix<s8, 4>>) {
  // expected-error @+1 {{'quant.max_pool' op expects output dimension 2 to be 14, got 13}}
  %y = quant.max_pool %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>,
                          pad = array<i64: 0, 0, 0, 0>}
       : (tensor<?x28x28x8x!quant.fix<s8, 4>>) -> tensor<?x14x13x8x!quant.fix<s8, 4>>
  return
}

// -----

func.func @avg_pool_batch(%x: tensor<2x14x14x16x!quant.fix<s8, 4>>) {
  // expected-error @+1 {{'quant.avg_pool' op expects output dimension 0 to be 2, got 1}}
  %y = quant.avg_pool %x {kernel = array<i64: 14, 14>, strides = array<i64: 1, 1>,
                          pad = array<i64: 0, 0, 0, 0>}
       : (tensor<2x14x14x16x!quant.fix<s8, 4>>) -> tensor<1x1x1x16x!quant.fix<s8, 4>>
  return
}

// -----

func.func @avg_pool_channels(%x: tensor<?x14x14x16x!quant.fix<s8, 4>>) {
  // expected-error @+1 {{'quant.avg_pool' op expects output dimension 3 to be 16, got 8}}
  %y = quant.avg_pool %x {kernel = array<i64: 14, 14>, strides = array<i64: 1, 1>,
                          pad = array<i64: 0, 0, 0, 0>}
       : (tensor<?x14x14x16x!quant.fix<s8, 4>>) -> tensor<?x1x1x8x!quant.fix<s8, 4>>
  return
}

// -----

//===----------------------------------------------------------------------===//
// add
//===----------------------------------------------------------------------===//

func.func @add_relu6(%a: tensor<?x8x!quant.fix<s8, 4>>, %b: tensor<?x8x!quant.fix<s8, 5>>) {
  // expected-error @+1 {{'quant.add' op supports only 'none' or 'relu' as nonlinearity}}
  %y = quant.add %a, %b {nonlinear = #quant.nonlinear<relu6>}
       : (tensor<?x8x!quant.fix<s8, 4>>, tensor<?x8x!quant.fix<s8, 5>>)
       -> tensor<?x8x!quant.fix<s8, 4>>
  return
}

// -----

func.func @add_leaky_relu(%a: tensor<?x8x!quant.fix<s8, 4>>, %b: tensor<?x8x!quant.fix<s8, 5>>) {
  // expected-error @+1 {{'quant.add' op supports only 'none' or 'relu' as nonlinearity}}
  %y = quant.add %a, %b {nonlinear = #quant.nonlinear<leaky_relu>}
       : (tensor<?x8x!quant.fix<s8, 4>>, tensor<?x8x!quant.fix<s8, 5>>)
       -> tensor<?x8x!quant.fix<s8, 4>>
  return
}

// -----

func.func @add_lhs_shape(%a: tensor<?x4x!quant.fix<s8, 4>>, %b: tensor<?x8x!quant.fix<s8, 5>>) {
  // expected-error @+1 {{'quant.add' op expects input and output of the same shape}}
  %y = quant.add %a, %b : (tensor<?x4x!quant.fix<s8, 4>>, tensor<?x8x!quant.fix<s8, 5>>)
       -> tensor<?x8x!quant.fix<s8, 4>>
  return
}

// -----

// No broadcasting: operands have the output's rank.
func.func @add_rhs_rank(%a: tensor<?x8x!quant.fix<s8, 4>>, %b: tensor<8x!quant.fix<s8, 5>>) {
  // expected-error @+1 {{'quant.add' op expects input and output of the same rank}}
  %y = quant.add %a, %b : (tensor<?x8x!quant.fix<s8, 4>>, tensor<8x!quant.fix<s8, 5>>)
       -> tensor<?x8x!quant.fix<s8, 4>>
  return
}

// -----

//===----------------------------------------------------------------------===//
// reshape
//===----------------------------------------------------------------------===//

func.func @reshape_element_count(%x: tensor<?x1x1x10x!quant.fix<s8, 3>>) {
  // expected-error @+1 {{'quant.reshape' op changes the number of elements}}
  %y = quant.reshape %x : (tensor<?x1x1x10x!quant.fix<s8, 3>>) -> tensor<?x12x!quant.fix<s8, 3>>
  return
}

// -----

func.func @reshape_static_element_count(%x: tensor<2x3x4x!quant.fix<s8, 3>>) {
  // expected-error @+1 {{'quant.reshape' op changes the number of elements}}
  %y = quant.reshape %x : (tensor<2x3x4x!quant.fix<s8, 3>>) -> tensor<5x5x!quant.fix<s8, 3>>
  return
}

// -----

func.func @reshape_changes_position(%x: tensor<?x1x1x10x!quant.fix<s8, 3>>) {
  // expected-error @+1 {{'quant.reshape' op expects the same fixed-point type in and out}}
  %y = quant.reshape %x : (tensor<?x1x1x10x!quant.fix<s8, 3>>) -> tensor<?x10x!quant.fix<s8, 4>>
  return
}

// -----

func.func @reshape_changes_signedness(%x: tensor<?x10x!quant.fix<s8, 3>>) {
  // expected-error @+1 {{'quant.reshape' op expects the same fixed-point type in and out}}
  %y = quant.reshape %x : (tensor<?x10x!quant.fix<s8, 3>>) -> tensor<?x10x!quant.fix<u8, 3>>
  return
}

//===----------------------------------------------------------------------===//
// quant.pad, quant.upsample, quant.hard_sigmoid
//===----------------------------------------------------------------------===//

// -----

func.func @pad_changes_position(%x: tensor<?x4x4x2x!quant.fix<s8, 3>>) {
  // expected-error @+1 {{'quant.pad' op expects the same fixed-point type in and out}}
  %y = quant.pad %x {pads = array<i64: 0, 1, 1, 0, 0, 1, 1, 0>} : (tensor<?x4x4x2x!quant.fix<s8, 3>>) -> tensor<?x6x6x2x!quant.fix<s8, 4>>
  return
}

// -----

func.func @pad_wrong_count(%x: tensor<?x4x4x2x!quant.fix<s8, 3>>) {
  // expected-error @+1 {{'quant.pad' op expects output of the input's rank and 2 x rank = 8 pads, got 4}}
  %y = quant.pad %x {pads = array<i64: 1, 1, 1, 1>} : (tensor<?x4x4x2x!quant.fix<s8, 3>>) -> tensor<?x6x6x2x!quant.fix<s8, 3>>
  return
}

// -----

func.func @pad_negative(%x: tensor<?x4x4x2x!quant.fix<s8, 3>>) {
  // expected-error @+1 {{'quant.pad' op pads of dimension 1 are negative (crops have no pad-fix form)}}
  %y = quant.pad %x {pads = array<i64: 0, -1, 0, 0, 0, 0, 0, 0>} : (tensor<?x4x4x2x!quant.fix<s8, 3>>) -> tensor<?x3x4x2x!quant.fix<s8, 3>>
  return
}

// -----

func.func @pad_wrong_shape(%x: tensor<?x4x4x2x!quant.fix<s8, 3>>) {
  // expected-error @+1 {{'quant.pad' op expects output dimension 2 to be 5, got 6}}
  %y = quant.pad %x {pads = array<i64: 0, 1, 1, 0, 0, 1, 0, 0>} : (tensor<?x4x4x2x!quant.fix<s8, 3>>) -> tensor<?x6x6x2x!quant.fix<s8, 3>>
  return
}

// -----

func.func @pad_reflect_too_far(%x: tensor<?x4x4x2x!quant.fix<s8, 3>>) {
  // expected-error @+1 {{'quant.pad' op reflect pad of 4 exceeds dimension 1 of size 4}}
  %y = quant.pad %x {pads = array<i64: 0, 4, 0, 0, 0, 0, 0, 0>, mode = #quant.pad_mode<reflect>} : (tensor<?x4x4x2x!quant.fix<s8, 3>>) -> tensor<?x8x4x2x!quant.fix<s8, 3>>
  return
}

// -----

func.func @pad_symmetric_too_far(%x: tensor<?x4x4x2x!quant.fix<s8, 3>>) {
  // expected-error @+1 {{'quant.pad' op symmetric pad of 5 exceeds dimension 2 of size 4}}
  %y = quant.pad %x {pads = array<i64: 0, 0, 0, 0, 0, 0, 5, 0>, mode = #quant.pad_mode<symmetric>} : (tensor<?x4x4x2x!quant.fix<s8, 3>>) -> tensor<?x4x9x2x!quant.fix<s8, 3>>
  return
}

// -----

func.func @pad_value_out_of_range(%x: tensor<?x4x4x2x!quant.fix<s8, 3>>) {
  // expected-error @+1 {{'quant.pad' op pad value 128 is outside [-128, 127]}}
  %y = quant.pad %x {pads = array<i64: 0, 0, 0, 0, 0, 0, 1, 0>, value = 128 : i64} : (tensor<?x4x4x2x!quant.fix<s8, 3>>) -> tensor<?x4x5x2x!quant.fix<s8, 3>>
  return
}

// -----

func.func @upsample_changes_position(%x: tensor<?x4x4x2x!quant.fix<s8, 3>>) {
  // expected-error @+1 {{'quant.upsample' op expects the same fixed-point type in and out}}
  %y = quant.upsample %x {scale = array<i64: 2, 2>} : (tensor<?x4x4x2x!quant.fix<s8, 3>>) -> tensor<?x8x8x2x!quant.fix<s8, 2>>
  return
}

// -----

func.func @upsample_rank(%x: tensor<?x4x!quant.fix<s8, 3>>) {
  // expected-error @+1 {{'quant.upsample' op expects rank-4 NHWC input and output}}
  %y = quant.upsample %x {scale = array<i64: 2, 2>} : (tensor<?x4x!quant.fix<s8, 3>>) -> tensor<?x8x!quant.fix<s8, 3>>
  return
}

// -----

func.func @upsample_zero_scale(%x: tensor<?x4x4x2x!quant.fix<s8, 3>>) {
  // expected-error @+1 {{'quant.upsample' op expects scale = [sh, sw], integers >= 1}}
  %y = quant.upsample %x {scale = array<i64: 2, 0>} : (tensor<?x4x4x2x!quant.fix<s8, 3>>) -> tensor<?x8x8x2x!quant.fix<s8, 3>>
  return
}

// -----

func.func @upsample_wrong_shape(%x: tensor<?x4x4x2x!quant.fix<s8, 3>>) {
  // expected-error @+1 {{'quant.upsample' op expects output dimension 2 to be 12, got 8}}
  %y = quant.upsample %x {scale = array<i64: 2, 3>} : (tensor<?x4x4x2x!quant.fix<s8, 3>>) -> tensor<?x8x8x2x!quant.fix<s8, 3>>
  return
}

// -----

func.func @hard_sigmoid_shape(%x: tensor<?x8x!quant.fix<s8, 4>>) {
  // expected-error @+1 {{'quant.hard_sigmoid' op expects input and output of the same shape}}
  %y = quant.hard_sigmoid %x : (tensor<?x8x!quant.fix<s8, 4>>) -> tensor<?x9x!quant.fix<s8, 7>>
  return
}

// -----

func.func @hard_sigmoid_negative_input_position(%x: tensor<?x8x!quant.fix<s8, -1>>) {
  // expected-error @+1 {{'quant.hard_sigmoid' op input position -1 is outside [0, 15] (hsigmoid_in)}}
  %y = quant.hard_sigmoid %x : (tensor<?x8x!quant.fix<s8, -1>>) -> tensor<?x8x!quant.fix<s8, 7>>
  return
}

// -----

func.func @hard_sigmoid_fine_input_position(%x: tensor<?x8x!quant.fix<s8, 16>>) {
  // expected-error @+1 {{'quant.hard_sigmoid' op input position 16 is outside [0, 15] (hsigmoid_in)}}
  %y = quant.hard_sigmoid %x : (tensor<?x8x!quant.fix<s8, 16>>) -> tensor<?x8x!quant.fix<s8, 7>>
  return
}

// -----

func.func @hard_sigmoid_coarse_output(%x: tensor<?x8x!quant.fix<s8, 4>>) {
  // expected-error @+1 {{'quant.hard_sigmoid' op output position 6 is below 7: the DPU clips at 1 only by saturating at 127 / 2^o}}
  %y = quant.hard_sigmoid %x : (tensor<?x8x!quant.fix<s8, 4>>) -> tensor<?x8x!quant.fix<s8, 6>>
  return
}

// -----

func.func @hard_sigmoid_negative_shift(%x: tensor<?x8x!quant.fix<s8, 0>>) {
  // expected-error @+1 {{'quant.hard_sigmoid' op shift_hsigmoid = 14 + i - o = 14 + 0 - 15 = -1 is outside [0, 31]}}
  %y = quant.hard_sigmoid %x : (tensor<?x8x!quant.fix<s8, 0>>) -> tensor<?x8x!quant.fix<s8, 15>>
  return
}

// -----

// weight-bit < 8: a narrow signed type is stored in i8 but must fit its bits.
func.func @const_narrow_value() {
  // expected-error @+1 {{'quant.const' op value 8 does not fit 4 signed bits}}
  %c = quant.const dense<[7, -8, 8]> : tensor<3xi8> -> tensor<3x!quant.fix<s4, 2>>
  return
}

// -----

func.func @mul_shift_too_large(%a: tensor<?x8x!quant.fix<s8, 8>>, %b: tensor<?x8x!quant.fix<s8, 9>>) {
  // expected-error @+1 {{'quant.mul' op shift = a + b - o = 17 is outside [0, 16]}}
  %y = quant.mul %a, %b : (tensor<?x8x!quant.fix<s8, 8>>, tensor<?x8x!quant.fix<s8, 9>>) -> tensor<?x8x!quant.fix<s8, 0>>
  return
}

// -----

func.func @depthwise_shift_cut_too_large(%x: tensor<?x4x4x2x!quant.fix<s8, 10>>) {
  %w = quant.const dense<1> : tensor<1x1x2x1xi8> -> tensor<1x1x2x1x!quant.fix<s8, 7>>
  // expected-error @+1 {{'quant.depthwise_conv2d' op shift_cut = w + i - o = 7 + 10 - 0 = 17 is outside [0, 16]}}
  %y = quant.depthwise_conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, nonlinear = #quant.nonlinear<none>} : (tensor<?x4x4x2x!quant.fix<s8, 10>>, tensor<1x1x2x1x!quant.fix<s8, 7>>) -> tensor<?x4x4x2x!quant.fix<s8, 0>>
  return
}

// -----

func.func @conv_transpose_output_size(%x: tensor<?x4x4x2x!quant.fix<s8, 5>>) {
  %w = quant.const dense<1> : tensor<3x3x2x3xi8> -> tensor<3x3x2x3x!quant.fix<s8, 7>>
  // expected-error @+1 {{'quant.conv2d_transpose' op expects output dimension 1 to be 9, got 8}}
  %y = quant.conv2d_transpose %x, %w {strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 1>} : (tensor<?x4x4x2x!quant.fix<s8, 5>>, tensor<3x3x2x3x!quant.fix<s8, 7>>) -> tensor<?x8x8x3x!quant.fix<s8, 6>>
  return
}

// -----

func.func @conv_transpose_channels(%x: tensor<?x4x4x2x!quant.fix<s8, 5>>) {
  %w = quant.const dense<1> : tensor<3x3x4x3xi8> -> tensor<3x3x4x3x!quant.fix<s8, 7>>
  // expected-error @+1 {{'quant.conv2d_transpose' op input has 2 channels but the weights expect 4}}
  %y = quant.conv2d_transpose %x, %w {strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<?x4x4x2x!quant.fix<s8, 5>>, tensor<3x3x4x3x!quant.fix<s8, 7>>) -> tensor<?x9x9x3x!quant.fix<s8, 6>>
  return
}

// -----

func.func @conv_transpose_crops_everything(%x: tensor<?x1x1x2x!quant.fix<s8, 5>>) {
  %w = quant.const dense<1> : tensor<1x1x2x3xi8> -> tensor<1x1x2x3x!quant.fix<s8, 7>>
  // expected-error @+1 {{'quant.conv2d_transpose' op crops 1 + 0 leave no output along dimension 1}}
  %y = quant.conv2d_transpose %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 1, 0, 0, 0>} : (tensor<?x1x1x2x!quant.fix<s8, 5>>, tensor<1x1x2x3x!quant.fix<s8, 7>>) -> tensor<?x1x1x3x!quant.fix<s8, 6>>
  return
}

// -----

func.func @conv_transpose_negative_pad(%x: tensor<?x4x4x2x!quant.fix<s8, 5>>) {
  %w = quant.const dense<1> : tensor<3x3x2x3xi8> -> tensor<3x3x2x3x!quant.fix<s8, 7>>
  // expected-error @+1 {{'quant.conv2d_transpose' op expects 'pad' entries to be non-negative}}
  %y = quant.conv2d_transpose %x, %w {strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pad = array<i64: 0, -1, 0, 0>} : (tensor<?x4x4x2x!quant.fix<s8, 5>>, tensor<3x3x2x3x!quant.fix<s8, 7>>) -> tensor<?x10x9x3x!quant.fix<s8, 6>>
  return
}

// -----

func.func @conv_transpose_bias(%x: tensor<?x4x4x2x!quant.fix<s8, 5>>) {
  %w = quant.const dense<1> : tensor<3x3x2x3xi8> -> tensor<3x3x2x3x!quant.fix<s8, 7>>
  %b = quant.const dense<1> : tensor<2xi8> -> tensor<2x!quant.fix<s8, 6>>
  // expected-error @+1 {{'quant.conv2d_transpose' op expects a bias of 3 elements, one per output channel}}
  %y = quant.conv2d_transpose %x, %w, %b {strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<?x4x4x2x!quant.fix<s8, 5>>, tensor<3x3x2x3x!quant.fix<s8, 7>>, tensor<2x!quant.fix<s8, 6>>) -> tensor<?x9x9x3x!quant.fix<s8, 6>>
  return
}

// -----

func.func @conv_transpose_shift_cut(%x: tensor<?x4x4x2x!quant.fix<s8, 10>>) {
  %w = quant.const dense<1> : tensor<3x3x2x3xi8> -> tensor<3x3x2x3x!quant.fix<s8, 7>>
  // expected-error @+1 {{'quant.conv2d_transpose' op shift_cut = w + i - o = 7 + 10 - 0 = 17 is outside [0, 16]}}
  %y = quant.conv2d_transpose %x, %w {strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<?x4x4x2x!quant.fix<s8, 10>>, tensor<3x3x2x3x!quant.fix<s8, 7>>) -> tensor<?x9x9x3x!quant.fix<s8, 0>>
  return
}
