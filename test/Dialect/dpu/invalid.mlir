// RUN: vai-opt %s -split-input-file -verify-diagnostics

// One case per dpu verifier diagnostic. Engine ops are verified outside a
// subgraph where the subgraph is not what the case is about.

//===----------------------------------------------------------------------===//
// subgraph
//===----------------------------------------------------------------------===//

func.func @subgraph_block_argument_count(%x: tensor<4x!quant.fix<s8, 0>>) {
  // expected-error @+1 {{'dpu.subgraph' op expects one block argument per input}}
  dpu.subgraph "s" <CPU>(%x) : (tensor<4x!quant.fix<s8, 0>>) -> () {
  ^bb0(%a: tensor<4x!quant.fix<s8, 0>>, %b: tensor<4x!quant.fix<s8, 0>>):
    dpu.yield
  }
  return
}

// -----

func.func @subgraph_block_argument_type(%x: tensor<4x!quant.fix<s8, 0>>) {
  // expected-error @+1 {{'dpu.subgraph' op block argument types must match the inputs}}
  dpu.subgraph "s" <CPU>(%x) : (tensor<4x!quant.fix<s8, 0>>) -> () {
  ^bb0(%a: tensor<4x!quant.fix<s8, 1>>):
    dpu.yield
  }
  return
}

// -----

func.func @subgraph_yield_type(%x: tensor<4x!quant.fix<s8, 0>>) {
  // expected-error @+1 {{'dpu.subgraph' op yielded types must match the results}}
  %r = dpu.subgraph "s" <CPU>(%x) : (tensor<4x!quant.fix<s8, 0>>) -> tensor<4x!quant.fix<s8, 1>> {
  ^bb0(%a: tensor<4x!quant.fix<s8, 0>>):
    dpu.yield %a : tensor<4x!quant.fix<s8, 0>>
  }
  return
}

// -----

func.func @subgraph_yield_count(%x: tensor<4x!quant.fix<s8, 0>>) {
  // expected-error @+1 {{'dpu.subgraph' op yielded types must match the results}}
  %r = dpu.subgraph "s" <CPU>(%x) : (tensor<4x!quant.fix<s8, 0>>) -> tensor<4x!quant.fix<s8, 0>> {
  ^bb0(%a: tensor<4x!quant.fix<s8, 0>>):
    dpu.yield
  }
  return
}

// -----

func.func @dpu_subgraph_without_target(%x: tensor<4x!quant.fix<s8, 0>>) {
  // expected-error @+1 {{'dpu.subgraph' op a DPU subgraph must name its target}}
  %r = dpu.subgraph "s" <DPU>(%x) {fingerprint = "0x101000016010407"}
         : (tensor<4x!quant.fix<s8, 0>>) -> tensor<4x!quant.fix<s8, 0>> {
  ^bb0(%a: tensor<4x!quant.fix<s8, 0>>):
    dpu.yield %a : tensor<4x!quant.fix<s8, 0>>
  }
  return
}

// -----

func.func @dpu_subgraph_quant_add(%x: tensor<?x8x!quant.fix<s8, 4>>) {
  %r = dpu.subgraph "s" <DPU>(%x) {target = "DPUCZDX8G_ISA1_B4096"}
         : (tensor<?x8x!quant.fix<s8, 4>>) -> tensor<?x8x!quant.fix<s8, 4>> {
  ^bb0(%a: tensor<?x8x!quant.fix<s8, 4>>):
    // expected-error @+1 {{'quant.add' op is not an engine op and cannot run in a DPU subgraph}}
    %s = quant.add %a, %a : (tensor<?x8x!quant.fix<s8, 4>>, tensor<?x8x!quant.fix<s8, 4>>)
         -> tensor<?x8x!quant.fix<s8, 4>>
    dpu.yield %s : tensor<?x8x!quant.fix<s8, 4>>
  }
  return
}

// -----

// quant.conv2d must have been lowered to dpu.conv.
func.func @dpu_subgraph_quant_conv2d(%x: tensor<?x4x4x1x!quant.fix<s8, 7>>) {
  %r = dpu.subgraph "s" <DPU>(%x) {target = "DPUCZDX8G_ISA1_B4096"}
         : (tensor<?x4x4x1x!quant.fix<s8, 7>>) -> tensor<?x4x4x1x!quant.fix<s8, 4>> {
  ^bb0(%a: tensor<?x4x4x1x!quant.fix<s8, 7>>):
    %w = quant.const dense<1> : tensor<1x1x1x1xi8> -> tensor<1x1x1x1x!quant.fix<s8, 6>>
    // expected-error @+1 {{'quant.conv2d' op is not an engine op and cannot run in a DPU subgraph}}
    %y = quant.conv2d %a, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>,
           pad = array<i64: 0, 0, 0, 0>}
         : (tensor<?x4x4x1x!quant.fix<s8, 7>>, tensor<1x1x1x1x!quant.fix<s8, 6>>)
         -> tensor<?x4x4x1x!quant.fix<s8, 4>>
    dpu.yield %y : tensor<?x4x4x1x!quant.fix<s8, 4>>
  }
  return
}

// -----

// Leaving fixed point is the CPU's job.
func.func @dpu_subgraph_dequantize(%x: tensor<?x8x!quant.fix<s8, 4>>) {
  %r = dpu.subgraph "s" <DPU>(%x) {target = "DPUCZDX8G_ISA1_B4096"}
         : (tensor<?x8x!quant.fix<s8, 4>>) -> tensor<?x8xf32> {
  ^bb0(%a: tensor<?x8x!quant.fix<s8, 4>>):
    // expected-error @+1 {{'quant.dequantize' op is not an engine op and cannot run in a DPU subgraph}}
    %f = quant.dequantize %a : tensor<?x8x!quant.fix<s8, 4>> -> tensor<?x8xf32>
    dpu.yield %f : tensor<?x8xf32>
  }
  return
}

// -----

//===----------------------------------------------------------------------===//
// conv
//===----------------------------------------------------------------------===//

// shift_cut must be w + i - o = 6 + 7 - 4 = 9.
func.func @conv_shift_cut_attr(%x: tensor<?x28x28x1x!quant.fix<s8, 7>>,
                               %w: tensor<3x3x1x8x!quant.fix<s8, 6>>,
                               %b: tensor<8x!quant.fix<s8, 6>>) {
  // expected-error @+1 {{'dpu.conv' op shift_cut 8 does not match w + i - o = 9}}
  %y = dpu.conv %x, %w, %b {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>,
         pad = array<i64: 1, 1, 1, 1>, nonlinear = #quant.nonlinear<relu>,
         shift_cut = 8 : si32, shift_bias = 7 : si32}
       : (tensor<?x28x28x1x!quant.fix<s8, 7>>, tensor<3x3x1x8x!quant.fix<s8, 6>>,
          tensor<8x!quant.fix<s8, 6>>) -> tensor<?x28x28x8x!quant.fix<s8, 4>>
  return
}

// -----

// shift_bias must be w + i - b = 6 + 7 - 6 = 7.
func.func @conv_shift_bias_attr(%x: tensor<?x28x28x1x!quant.fix<s8, 7>>,
                                %w: tensor<3x3x1x8x!quant.fix<s8, 6>>,
                                %b: tensor<8x!quant.fix<s8, 6>>) {
  // expected-error @+1 {{'dpu.conv' op shift_bias 4 does not match w + i - b = 7}}
  %y = dpu.conv %x, %w, %b {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>,
         pad = array<i64: 1, 1, 1, 1>, nonlinear = #quant.nonlinear<relu>,
         shift_cut = 9 : si32, shift_bias = 4 : si32}
       : (tensor<?x28x28x1x!quant.fix<s8, 7>>, tensor<3x3x1x8x!quant.fix<s8, 6>>,
          tensor<8x!quant.fix<s8, 6>>) -> tensor<?x28x28x8x!quant.fix<s8, 4>>
  return
}

// -----

func.func @conv_weights_rank(%x: tensor<?x28x28x8x!quant.fix<s8, 7>>,
                             %w: tensor<8x8x!quant.fix<s8, 6>>) {
  // expected-error @+1 {{'dpu.conv' op expects HWIO weights, 2 strides, 2 dilations and 4 pads}}
  %y = dpu.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>,
         pad = array<i64: 0, 0, 0, 0>, nonlinear = #quant.nonlinear<none>,
         shift_cut = 9 : si32, shift_bias = 0 : si32}
       : (tensor<?x28x28x8x!quant.fix<s8, 7>>, tensor<8x8x!quant.fix<s8, 6>>)
       -> tensor<?x28x28x8x!quant.fix<s8, 4>>
  return
}

// -----

func.func @conv_strides_count(%x: tensor<?x28x28x1x!quant.fix<s8, 7>>,
                              %w: tensor<3x3x1x8x!quant.fix<s8, 6>>) {
  // expected-error @+1 {{'dpu.conv' op expects HWIO weights, 2 strides, 2 dilations and 4 pads}}
  %y = dpu.conv %x, %w {strides = array<i64: 1>, dilations = array<i64: 1, 1>,
         pad = array<i64: 1, 1, 1, 1>, nonlinear = #quant.nonlinear<none>,
         shift_cut = 9 : si32, shift_bias = 0 : si32}
       : (tensor<?x28x28x1x!quant.fix<s8, 7>>, tensor<3x3x1x8x!quant.fix<s8, 6>>)
       -> tensor<?x28x28x8x!quant.fix<s8, 4>>
  return
}

// -----

func.func @conv_dilations_count(%x: tensor<?x28x28x1x!quant.fix<s8, 7>>,
                                %w: tensor<3x3x1x8x!quant.fix<s8, 6>>) {
  // expected-error @+1 {{'dpu.conv' op expects HWIO weights, 2 strides, 2 dilations and 4 pads}}
  %y = dpu.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1, 1>,
         pad = array<i64: 1, 1, 1, 1>, nonlinear = #quant.nonlinear<none>,
         shift_cut = 9 : si32, shift_bias = 0 : si32}
       : (tensor<?x28x28x1x!quant.fix<s8, 7>>, tensor<3x3x1x8x!quant.fix<s8, 6>>)
       -> tensor<?x28x28x8x!quant.fix<s8, 4>>
  return
}

// -----

func.func @conv_pad_count(%x: tensor<?x28x28x1x!quant.fix<s8, 7>>,
                          %w: tensor<3x3x1x8x!quant.fix<s8, 6>>) {
  // expected-error @+1 {{'dpu.conv' op expects HWIO weights, 2 strides, 2 dilations and 4 pads}}
  %y = dpu.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>,
         pad = array<i64: 1, 1>, nonlinear = #quant.nonlinear<none>,
         shift_cut = 9 : si32, shift_bias = 0 : si32}
       : (tensor<?x28x28x1x!quant.fix<s8, 7>>, tensor<3x3x1x8x!quant.fix<s8, 6>>)
       -> tensor<?x28x28x8x!quant.fix<s8, 4>>
  return
}

// -----

// The attribute agrees with the types, but the DPU cannot shift by -1.
func.func @conv_shift_cut_negative(%x: tensor<?x28x28x1x!quant.fix<s8, 7>>,
                                   %w: tensor<3x3x1x8x!quant.fix<s8, 6>>) {
  // expected-error @+1 {{'dpu.conv' op shift_cut = w + i - o = 6 + 7 - 14 = -1 is outside [0, 16]}}
  %y = dpu.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>,
         pad = array<i64: 1, 1, 1, 1>, nonlinear = #quant.nonlinear<none>,
         shift_cut = -1 : si32, shift_bias = 0 : si32}
       : (tensor<?x28x28x1x!quant.fix<s8, 7>>, tensor<3x3x1x8x!quant.fix<s8, 6>>)
       -> tensor<?x28x28x8x!quant.fix<s8, 14>>
  return
}

// -----

func.func @conv_shift_cut_too_large(%x: tensor<?x28x28x1x!quant.fix<s8, 7>>,
                                    %w: tensor<3x3x1x8x!quant.fix<s8, 6>>) {
  // expected-error @+1 {{'dpu.conv' op shift_cut = w + i - o = 6 + 7 - -4 = 17 is outside [0, 16]}}
  %y = dpu.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>,
         pad = array<i64: 1, 1, 1, 1>, nonlinear = #quant.nonlinear<none>,
         shift_cut = 17 : si32, shift_bias = 0 : si32}
       : (tensor<?x28x28x1x!quant.fix<s8, 7>>, tensor<3x3x1x8x!quant.fix<s8, 6>>)
       -> tensor<?x28x28x8x!quant.fix<s8, -4>>
  return
}

// -----

func.func @conv_shift_bias_too_large(%x: tensor<?x28x28x1x!quant.fix<s8, 7>>,
                                     %w: tensor<3x3x1x8x!quant.fix<s8, 6>>,
                                     %b: tensor<8x!quant.fix<s8, -4>>) {
  // expected-error @+1 {{'dpu.conv' op shift_bias = w + i - b = 6 + 7 - -4 = 17 is outside [-7, 16] (shift_cut = 9)}}
  %y = dpu.conv %x, %w, %b {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>,
         pad = array<i64: 1, 1, 1, 1>, nonlinear = #quant.nonlinear<none>,
         shift_cut = 9 : si32, shift_bias = 17 : si32}
       : (tensor<?x28x28x1x!quant.fix<s8, 7>>, tensor<3x3x1x8x!quant.fix<s8, 6>>,
          tensor<8x!quant.fix<s8, -4>>) -> tensor<?x28x28x8x!quant.fix<s8, 4>>
  return
}

// -----

func.func @conv_shift_bias_too_small(%x: tensor<?x28x28x1x!quant.fix<s8, 7>>,
                                     %w: tensor<3x3x1x8x!quant.fix<s8, 6>>,
                                     %b: tensor<8x!quant.fix<s16, 21>>) {
  // expected-error @+1 {{'dpu.conv' op shift_bias = w + i - b = 6 + 7 - 21 = -8 is outside [-7, 16] (shift_cut = 9)}}
  %y = dpu.conv %x, %w, %b {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>,
         pad = array<i64: 1, 1, 1, 1>, nonlinear = #quant.nonlinear<none>,
         shift_cut = 9 : si32, shift_bias = -8 : si32}
       : (tensor<?x28x28x1x!quant.fix<s8, 7>>, tensor<3x3x1x8x!quant.fix<s8, 6>>,
          tensor<8x!quant.fix<s16, 21>>) -> tensor<?x28x28x8x!quant.fix<s8, 4>>
  return
}

// -----

//===----------------------------------------------------------------------===//
// pool
//===----------------------------------------------------------------------===//

func.func @pool_kernel_count(%x: tensor<?x28x28x8x!quant.fix<s8, 4>>) {
  // expected-error @+1 {{'dpu.pool' op expects 2 kernel sizes, 2 strides and 4 pads}}
  %y = dpu.pool %x {pool_type = #dpu.pool_type<max>, kernel = array<i64: 2>,
         strides = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>}
       : (tensor<?x28x28x8x!quant.fix<s8, 4>>) -> tensor<?x14x14x8x!quant.fix<s8, 4>>
  return
}

// -----

func.func @pool_strides_count(%x: tensor<?x28x28x8x!quant.fix<s8, 4>>) {
  // expected-error @+1 {{'dpu.pool' op expects 2 kernel sizes, 2 strides and 4 pads}}
  %y = dpu.pool %x {pool_type = #dpu.pool_type<avg>, kernel = array<i64: 2, 2>,
         strides = array<i64: 2, 2, 2>, pad = array<i64: 0, 0, 0, 0>}
       : (tensor<?x28x28x8x!quant.fix<s8, 4>>) -> tensor<?x14x14x8x!quant.fix<s8, 4>>
  return
}

// -----

func.func @pool_pad_count(%x: tensor<?x28x28x8x!quant.fix<s8, 4>>) {
  // expected-error @+1 {{'dpu.pool' op expects 2 kernel sizes, 2 strides and 4 pads}}
  %y = dpu.pool %x {pool_type = #dpu.pool_type<max>, kernel = array<i64: 2, 2>,
         strides = array<i64: 2, 2>, pad = array<i64: 0, 0>}
       : (tensor<?x28x28x8x!quant.fix<s8, 4>>) -> tensor<?x14x14x8x!quant.fix<s8, 4>>
  return
}

// -----

func.func @max_pool_changes_type(%x: tensor<?x28x28x8x!quant.fix<s8, 4>>) {
  // expected-error @+1 {{'dpu.pool' op max pooling keeps the fixed-point type}}
  %y = dpu.pool %x {pool_type = #dpu.pool_type<max>, kernel = array<i64: 2, 2>,
         strides = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>}
       : (tensor<?x28x28x8x!quant.fix<s8, 4>>) -> tensor<?x14x14x8x!quant.fix<s8, 5>>
  return
}

// -----

func.func @conv_output_shape(%x: tensor<1x8x8x1x!quant.fix<s8, 7>>) {
  %y = dpu.subgraph "s" <DPU>(%x) {target = "DPUCZDX8G_ISA1_B4096"} : (tensor<1x8x8x1x!quant.fix<s8, 7>>) -> tensor<1x8x8x2x!quant.fix<s8, 6>> {
  ^bb0(%in: tensor<1x8x8x1x!quant.fix<s8, 7>>):
    %w = quant.const dense<1> : tensor<3x3x1x2xi8> -> tensor<3x3x1x2x!quant.fix<s8, 7>>
    // expected-error @+1 {{'dpu.conv' op expects output dimension 1 to be 6, got 8}}
    %c = dpu.conv %in, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, nonlinear = #quant.nonlinear<none>, shift_cut = 8 : si32, shift_bias = 0 : si32} : (tensor<1x8x8x1x!quant.fix<s8, 7>>, tensor<3x3x1x2x!quant.fix<s8, 7>>) -> tensor<1x8x8x2x!quant.fix<s8, 6>>
    dpu.yield %c : tensor<1x8x8x2x!quant.fix<s8, 6>>
  }
  return
}

// -----

func.func @dwconv_shift_cut(%x: tensor<1x4x4x8x!quant.fix<s8, 6>>, %w: tensor<3x3x8x1x!quant.fix<s8, 7>>) {
  // expected-error @+1 {{'dpu.dwconv' op shift_cut 8 does not match w + i - o = 7}}
  %y = dpu.dwconv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, nonlinear = #quant.nonlinear<none>, shift_cut = 8 : si32, shift_bias = 0 : si32} : (tensor<1x4x4x8x!quant.fix<s8, 6>>, tensor<3x3x8x1x!quant.fix<s8, 7>>) -> tensor<1x4x4x8x!quant.fix<s8, 6>>
  return
}

// -----

func.func @dwconv_multiplier(%x: tensor<1x4x4x8x!quant.fix<s8, 6>>, %w: tensor<3x3x8x2x!quant.fix<s8, 7>>) {
  // expected-error @+1 {{'dpu.dwconv' op expects [kh, kw, C, 1] weights, 2 strides, 2 dilations and 4 pads}}
  %y = dpu.dwconv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, nonlinear = #quant.nonlinear<none>, shift_cut = 7 : si32, shift_bias = 0 : si32} : (tensor<1x4x4x8x!quant.fix<s8, 6>>, tensor<3x3x8x2x!quant.fix<s8, 7>>) -> tensor<1x4x4x16x!quant.fix<s8, 6>>
  return
}

// -----

func.func @elew_mul_broadcast(%a: tensor<1x4x4x8x!quant.fix<s8, 6>>, %b: tensor<1x4x1x8x!quant.fix<s8, 6>>) {
  // expected-error @+1 {{'dpu.elew_mul' op expects operands of one shape or a per-channel rhs}}
  %y = dpu.elew_mul %a, %b : (tensor<1x4x4x8x!quant.fix<s8, 6>>, tensor<1x4x1x8x!quant.fix<s8, 6>>) -> tensor<1x4x4x8x!quant.fix<s8, 6>>
  return
}

// -----

func.func @elew_mul_shift(%a: tensor<1x4x4x8x!quant.fix<s8, 0>>, %b: tensor<8x!quant.fix<s8, 0>>) {
  // expected-error @+1 {{'dpu.elew_mul' op shift = a + b - o = -3 is outside [0, 16]}}
  %y = dpu.elew_mul %a, %b : (tensor<1x4x4x8x!quant.fix<s8, 0>>, tensor<8x!quant.fix<s8, 0>>) -> tensor<1x4x4x8x!quant.fix<s8, 3>>
  return
}

// -----

func.func @concat_axis(%a: tensor<1x4x4x8x!quant.fix<s8, 6>>) {
  // expected-error @+1 {{'dpu.concat' op expects inputs concatenated along the channel (last) axis}}
  %y = dpu.concat %a, %a {axis = 1 : i64} : (tensor<1x4x4x8x!quant.fix<s8, 6>>, tensor<1x4x4x8x!quant.fix<s8, 6>>) -> tensor<1x8x4x8x!quant.fix<s8, 6>>
  return
}

// -----

func.func @concat_channels(%a: tensor<1x4x4x8x!quant.fix<s8, 6>>) {
  // expected-error @+1 {{'dpu.concat' op output has 15 channels, inputs 16}}
  %y = dpu.concat %a, %a {axis = 3 : i64} : (tensor<1x4x4x8x!quant.fix<s8, 6>>, tensor<1x4x4x8x!quant.fix<s8, 6>>) -> tensor<1x4x4x15x!quant.fix<s8, 6>>
  return
}

//===----------------------------------------------------------------------===//
// DDR regions and placements
//===----------------------------------------------------------------------===//

func.func @region_listed_twice(%x: tensor<4x!quant.fix<s8, 0>>) {
  // expected-error @+1 {{'dpu.subgraph' op lists region 1 twice}}
  dpu.subgraph "s" <DPU>(%x) {target = "DPUCZDX8G_ISA1_B4096",
      regions = [#dpu.region<id = 1, kind = workspace, size = 16>,
                 #dpu.region<id = 1, kind = interface, size = 16>]}
      : (tensor<4x!quant.fix<s8, 0>>) -> () {
  ^bb0(%a: tensor<4x!quant.fix<s8, 0>>):
    dpu.yield
  }
  return
}

// -----

func.func @input_placement_count(%x: tensor<4x!quant.fix<s8, 0>>) {
  // expected-error @+1 {{'dpu.subgraph' op has 0 input placements for 1 inputs}}
  dpu.subgraph "s" <DPU>(%x) {target = "DPUCZDX8G_ISA1_B4096",
      input_placements = []} : (tensor<4x!quant.fix<s8, 0>>) -> () {
  ^bb0(%a: tensor<4x!quant.fix<s8, 0>>):
    dpu.yield
  }
  return
}

// -----

func.func @input_outside_region(%x: tensor<4x8x!quant.fix<s8, 0>>) {
  // expected-error @+1 {{'dpu.subgraph' op is placed at [4, 36) outside region 2 of 32 bytes}}
  dpu.subgraph "s" <DPU>(%x) {target = "DPUCZDX8G_ISA1_B4096",
      regions = [#dpu.region<id = 2, kind = interface, size = 32>],
      input_placements = [#dpu.placement<reg = 2, addr = 4>]}
      : (tensor<4x8x!quant.fix<s8, 0>>) -> () {
  ^bb0(%a: tensor<4x8x!quant.fix<s8, 0>>):
    dpu.yield
  }
  return
}

// -----

func.func @placement_unknown_region(%x: tensor<4x!quant.fix<s8, 0>>) {
  dpu.subgraph "s" <DPU>(%x) {target = "DPUCZDX8G_ISA1_B4096",
      regions = [#dpu.region<id = 0, kind = const, size = 64>]}
      : (tensor<4x!quant.fix<s8, 0>>) -> () {
  ^bb0(%a: tensor<4x!quant.fix<s8, 0>>):
    // expected-error @+1 {{'quant.const' op is placed in region 1, which its subgraph does not list}}
    %w = quant.const dense<1> : tensor<4xi8>
           {dpu.placement = #dpu.placement<reg = 1, addr = 0>} -> tensor<4x!quant.fix<s8, 7>>
    dpu.yield
  }
  return
}

// -----

//===----------------------------------------------------------------------===//
// conv_transpose
//===----------------------------------------------------------------------===//

func.func @conv_transpose_output_size(%x: tensor<1x4x4x8x!quant.fix<s8, 5>>,
    %w: tensor<2x2x8x4x!quant.fix<s8, 7>>) {
  // expected-error @+1 {{'dpu.conv_transpose' op expects output dimension 1 to be 8, got 9}}
  %y = dpu.conv_transpose %x, %w {strides = array<i64: 2, 2>,
         dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>,
         nonlinear = #quant.nonlinear<none>, shift_cut = 8 : si32, shift_bias = 0 : si32}
       : (tensor<1x4x4x8x!quant.fix<s8, 5>>, tensor<2x2x8x4x!quant.fix<s8, 7>>)
       -> tensor<1x9x8x4x!quant.fix<s8, 4>>
  return
}

// -----

func.func @conv_transpose_shift_cut(%x: tensor<1x4x4x8x!quant.fix<s8, 5>>,
    %w: tensor<2x2x8x4x!quant.fix<s8, 7>>) {
  // expected-error @+1 {{'dpu.conv_transpose' op shift_cut 9 does not match w + i - o = 8}}
  %y = dpu.conv_transpose %x, %w {strides = array<i64: 2, 2>,
         dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>,
         nonlinear = #quant.nonlinear<none>, shift_cut = 9 : si32, shift_bias = 0 : si32}
       : (tensor<1x4x4x8x!quant.fix<s8, 5>>, tensor<2x2x8x4x!quant.fix<s8, 7>>)
       -> tensor<1x8x8x4x!quant.fix<s8, 4>>
  return
}
