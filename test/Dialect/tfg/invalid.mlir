// RUN: vai-opt %s -split-input-file -verify-diagnostics

// One case per tfg verifier and shape-inference diagnostic. Result types are
// inferred (InferTypeOpAdaptor) and checked after the op verifier; a failed
// or disagreeing inference is always followed by the generic "failed to infer
// returned types", so those cases expect two errors on the same op.

//===----------------------------------------------------------------------===//
// conv2d
//===----------------------------------------------------------------------===//

func.func @conv2d_channel_mismatch(%x: tensor<?x28x28x3xf32>, %w: tensor<3x3x1x8xf32>) {
  // expected-error @+1 {{'tfg.conv2d' op input has 3 channels but the filter expects 1}}
  %y = tfg.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>,
         pad = array<i64: 1, 1, 1, 1>}
       : (tensor<?x28x28x3xf32>, tensor<3x3x1x8xf32>) -> tensor<?x28x28x8xf32>
  return
}

// -----

func.func @conv2d_bias_length(%x: tensor<?x28x28x1xf32>, %w: tensor<3x3x1x8xf32>,
                              %b: tensor<4xf32>) {
  // expected-error @+1 {{'tfg.conv2d' op expects a bias of 8 elements, one per output channel}}
  %y = tfg.conv2d %x, %w, %b {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>,
         pad = array<i64: 1, 1, 1, 1>}
       : (tensor<?x28x28x1xf32>, tensor<3x3x1x8xf32>, tensor<4xf32>) -> tensor<?x28x28x8xf32>
  return
}

// -----

func.func @conv2d_bias_rank(%x: tensor<?x28x28x1xf32>, %w: tensor<3x3x1x8xf32>,
                            %b: tensor<1x8xf32>) {
  // expected-error @+1 {{'tfg.conv2d' op expects a bias of 8 elements, one per output channel}}
  %y = tfg.conv2d %x, %w, %b {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>,
         pad = array<i64: 1, 1, 1, 1>}
       : (tensor<?x28x28x1xf32>, tensor<3x3x1x8xf32>, tensor<1x8xf32>) -> tensor<?x28x28x8xf32>
  return
}

// -----

func.func @conv2d_strides_count(%x: tensor<?x28x28x1xf32>, %w: tensor<3x3x1x8xf32>) {
  // expected-error @+1 {{'tfg.conv2d' op expects 'strides' to have 2 elements, got 3}}
  %y = tfg.conv2d %x, %w {strides = array<i64: 1, 1, 1>, dilations = array<i64: 1, 1>,
         pad = array<i64: 1, 1, 1, 1>}
       : (tensor<?x28x28x1xf32>, tensor<3x3x1x8xf32>) -> tensor<?x28x28x8xf32>
  return
}

// -----

func.func @conv2d_pad_count(%x: tensor<?x28x28x1xf32>, %w: tensor<3x3x1x8xf32>) {
  // expected-error @+1 {{'tfg.conv2d' op expects 'pad' to have 4 elements, got 2}}
  %y = tfg.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>,
         pad = array<i64: 1, 1>}
       : (tensor<?x28x28x1xf32>, tensor<3x3x1x8xf32>) -> tensor<?x28x28x8xf32>
  return
}

// -----

func.func @conv2d_zero_stride(%x: tensor<?x28x28x1xf32>, %w: tensor<3x3x1x8xf32>) {
  // expected-error @+1 {{'tfg.conv2d' op expects 'strides' entries to be positive}}
  %y = tfg.conv2d %x, %w {strides = array<i64: 0, 1>, dilations = array<i64: 1, 1>,
         pad = array<i64: 1, 1, 1, 1>}
       : (tensor<?x28x28x1xf32>, tensor<3x3x1x8xf32>) -> tensor<?x28x28x8xf32>
  return
}

// -----

func.func @conv2d_negative_stride(%x: tensor<?x28x28x1xf32>, %w: tensor<3x3x1x8xf32>) {
  // expected-error @+1 {{'tfg.conv2d' op expects 'strides' entries to be positive}}
  %y = tfg.conv2d %x, %w {strides = array<i64: 1, -1>, dilations = array<i64: 1, 1>,
         pad = array<i64: 1, 1, 1, 1>}
       : (tensor<?x28x28x1xf32>, tensor<3x3x1x8xf32>) -> tensor<?x28x28x8xf32>
  return
}

// -----

func.func @conv2d_dilations_count(%x: tensor<?x28x28x1xf32>, %w: tensor<3x3x1x8xf32>) {
  // expected-error @+1 {{'tfg.conv2d' op expects 'dilations' to have 2 elements, got 1}}
  %y = tfg.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1>,
         pad = array<i64: 1, 1, 1, 1>}
       : (tensor<?x28x28x1xf32>, tensor<3x3x1x8xf32>) -> tensor<?x28x28x8xf32>
  return
}

// -----

// Inference accepts a zero dilation (the result type matches what it
// computes); the verifier rejects it.
func.func @conv2d_zero_dilation(%x: tensor<?x28x28x1xf32>, %w: tensor<3x3x1x8xf32>) {
  // expected-error @+1 {{'tfg.conv2d' op expects 'dilations' entries to be positive}}
  %y = tfg.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 0, 1>,
         pad = array<i64: 0, 0, 1, 1>}
       : (tensor<?x28x28x1xf32>, tensor<3x3x1x8xf32>) -> tensor<?x28x28x8xf32>
  return
}

// -----

func.func @conv2d_negative_pad(%x: tensor<?x28x28x1xf32>, %w: tensor<3x3x1x8xf32>) {
  // expected-error @+1 {{'tfg.conv2d' op expects 'pad' entries to be non-negative}}
  %y = tfg.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>,
         pad = array<i64: 3, -1, 1, 1>}
       : (tensor<?x28x28x1xf32>, tensor<3x3x1x8xf32>) -> tensor<?x28x28x8xf32>
  return
}

// -----

// Shape inference runs after the op verifier and its failures are followed by
// the generic "failed to infer returned types".
func.func @conv2d_input_rank(%x: tensor<1x28x28x1x1xf32>, %w: tensor<3x3x1x8xf32>) {
  // expected-error @+1 {{'tfg.conv2d' op expects a rank-4 NHWC input and a rank-4 filter}}
  %y = tfg.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>,
         pad = array<i64: 1, 1, 1, 1>}
       : (tensor<1x28x28x1x1xf32>, tensor<3x3x1x8xf32>) -> tensor<1x28x28x8xf32>
  return
}

// -----

func.func @conv2d_filter_rank(%x: tensor<?x28x28x1xf32>, %w: tensor<3x3x1xf32>) {
  // expected-error @+1 {{'tfg.conv2d' op expects a rank-4 NHWC input and a rank-4 filter}}
  %y = tfg.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>,
         pad = array<i64: 1, 1, 1, 1>}
       : (tensor<?x28x28x1xf32>, tensor<3x3x1xf32>) -> tensor<?x28x28x1xf32>
  return
}

// -----

// The result type disagrees with the inferred one (no padding: 26x26).
func.func @conv2d_inferred_type(%x: tensor<?x28x28x1xf32>, %w: tensor<3x3x1x8xf32>) {
  // expected-error @+2 {{'tfg.conv2d' op inferred type(s) 'tensor<?x26x26x8xf32>' are incompatible with return type(s) of operation 'tensor<?x28x28x8xf32>'}}
  // expected-error @+1 {{'tfg.conv2d' op failed to infer returned types}}
  %y = tfg.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>,
         pad = array<i64: 0, 0, 0, 0>}
       : (tensor<?x28x28x1xf32>, tensor<3x3x1x8xf32>) -> tensor<?x28x28x8xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// bias_add
//===----------------------------------------------------------------------===//

func.func @bias_add_length(%x: tensor<?x10xf32>, %b: tensor<8xf32>) {
  // expected-error @+1 {{'tfg.bias_add' op expects 'bias' to be a vector of 10 elements (one per channel)}}
  %y = tfg.bias_add %x, %b : (tensor<?x10xf32>, tensor<8xf32>) -> tensor<?x10xf32>
  return
}

// -----

func.func @bias_add_scalar(%x: tensor<f32>, %b: tensor<1xf32>) {
  // expected-error @+1 {{'tfg.bias_add' op expects an input of rank >= 1}}
  %y = tfg.bias_add %x, %b : (tensor<f32>, tensor<1xf32>) -> tensor<f32>
  return
}

// -----

func.func @bias_add_inferred_type(%x: tensor<?x10xf32>, %b: tensor<10xf32>) {
  // expected-error @+2 {{'tfg.bias_add' op inferred type(s) 'tensor<?x10xf32>' are incompatible with return type(s) of operation 'tensor<?x9xf32>'}}
  // expected-error @+1 {{'tfg.bias_add' op failed to infer returned types}}
  %y = tfg.bias_add %x, %b : (tensor<?x10xf32>, tensor<10xf32>) -> tensor<?x9xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// fused_batch_norm
//===----------------------------------------------------------------------===//

func.func @batch_norm_rank(%x: tensor<8xf32>, %v: tensor<8xf32>) {
  // expected-error @+1 {{'tfg.fused_batch_norm' op expects an input of rank >= 2, channels last}}
  %y = tfg.fused_batch_norm %x, %v, %v, %v, %v {epsilon = 1.0e-3 : f32}
       : (tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>)
       -> tensor<8xf32>
  return
}

// -----

func.func @batch_norm_scale(%x: tensor<?x4x4x8xf32>, %v: tensor<8xf32>, %s: tensor<6xf32>) {
  // expected-error @+1 {{'tfg.fused_batch_norm' op expects 'scale' to be a vector of 8 elements (one per channel)}}
  %y = tfg.fused_batch_norm %x, %s, %v, %v, %v {epsilon = 1.0e-3 : f32}
       : (tensor<?x4x4x8xf32>, tensor<6xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>)
       -> tensor<?x4x4x8xf32>
  return
}

// -----

func.func @batch_norm_offset(%x: tensor<?x4x4x8xf32>, %v: tensor<8xf32>, %o: tensor<1x8xf32>) {
  // expected-error @+1 {{'tfg.fused_batch_norm' op expects 'offset' to be a vector of 8 elements (one per channel)}}
  %y = tfg.fused_batch_norm %x, %v, %o, %v, %v {epsilon = 1.0e-3 : f32}
       : (tensor<?x4x4x8xf32>, tensor<8xf32>, tensor<1x8xf32>, tensor<8xf32>, tensor<8xf32>)
       -> tensor<?x4x4x8xf32>
  return
}

// -----

func.func @batch_norm_mean(%x: tensor<?x4x4x8xf32>, %v: tensor<8xf32>, %m: tensor<9xf32>) {
  // expected-error @+1 {{'tfg.fused_batch_norm' op expects 'mean' to be a vector of 8 elements (one per channel)}}
  %y = tfg.fused_batch_norm %x, %v, %v, %m, %v {epsilon = 1.0e-3 : f32}
       : (tensor<?x4x4x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<9xf32>, tensor<8xf32>)
       -> tensor<?x4x4x8xf32>
  return
}

// -----

func.func @batch_norm_variance(%x: tensor<?x4x4x8xf32>, %v: tensor<8xf32>, %var: tensor<4xf32>) {
  // expected-error @+1 {{'tfg.fused_batch_norm' op expects 'variance' to be a vector of 8 elements (one per channel)}}
  %y = tfg.fused_batch_norm %x, %v, %v, %v, %var {epsilon = 1.0e-3 : f32}
       : (tensor<?x4x4x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<4xf32>)
       -> tensor<?x4x4x8xf32>
  return
}

// -----

func.func @batch_norm_epsilon(%x: tensor<?x4x4x8xf32>, %v: tensor<8xf32>) {
  // expected-error @+1 {{'tfg.fused_batch_norm' op expects a non-negative epsilon}}
  %y = tfg.fused_batch_norm %x, %v, %v, %v, %v {epsilon = -1.0e-3 : f32}
       : (tensor<?x4x4x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>)
       -> tensor<?x4x4x8xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// max_pool / avg_pool
//===----------------------------------------------------------------------===//

func.func @pool_pad_not_smaller_than_kernel(%x: tensor<?x28x28x8xf32>) {
  // expected-error @+1 {{'tfg.max_pool' op expects each pad to be smaller than the kernel}}
  %y = tfg.max_pool %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>,
                        pad = array<i64: 0, 0, 2, 0>}
       : (tensor<?x28x28x8xf32>) -> tensor<?x14x15x8xf32>
  return
}

// -----

func.func @avg_pool_pad_equal_to_kernel(%x: tensor<1x8x8x4xf32>) {
  // expected-error @+1 {{'tfg.avg_pool' op expects each pad to be smaller than the kernel}}
  %y = tfg.avg_pool %x {kernel = array<i64: 1, 1>, strides = array<i64: 1, 1>,
                        pad = array<i64: 1, 0, 0, 0>}
       : (tensor<1x8x8x4xf32>) -> tensor<1x9x8x4xf32>
  return
}

// -----

func.func @pool_zero_kernel(%x: tensor<?x28x28x8xf32>) {
  // expected-error @+1 {{'tfg.max_pool' op expects 'kernel' entries to be positive}}
  %y = tfg.max_pool %x {kernel = array<i64: 0, 2>, strides = array<i64: 2, 2>,
                        pad = array<i64: 0, 0, 0, 0>}
       : (tensor<?x28x28x8xf32>) -> tensor<?x15x14x8xf32>
  return
}

// -----

func.func @pool_negative_pad(%x: tensor<?x28x28x8xf32>) {
  // expected-error @+1 {{'tfg.avg_pool' op expects 'pad' entries to be non-negative}}
  %y = tfg.avg_pool %x {kernel = array<i64: 2, 2>, strides = array<i64: 1, 1>,
                        pad = array<i64: 1, -1, 0, 0>}
       : (tensor<?x28x28x8xf32>) -> tensor<?x27x27x8xf32>
  return
}

// -----

func.func @pool_kernel_count(%x: tensor<?x28x28x8xf32>) {
  // expected-error @+1 {{'tfg.max_pool' op expects 'kernel' to have 2 elements, got 1}}
  %y = tfg.max_pool %x {kernel = array<i64: 2>, strides = array<i64: 2, 2>,
                        pad = array<i64: 0, 0, 0, 0>}
       : (tensor<?x28x28x8xf32>) -> tensor<?x14x14x8xf32>
  return
}

// -----

func.func @pool_zero_stride(%x: tensor<?x28x28x8xf32>) {
  // expected-error @+1 {{'tfg.avg_pool' op expects 'strides' entries to be positive}}
  %y = tfg.avg_pool %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 0>,
                        pad = array<i64: 0, 0, 0, 0>}
       : (tensor<?x28x28x8xf32>) -> tensor<?x14x14x8xf32>
  return
}

// -----

func.func @pool_rank(%x: tensor<28x28x8xf32>) {
  // expected-error @+1 {{'tfg.max_pool' op expects a rank-4 NHWC input}}
  %y = tfg.max_pool %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>,
                        pad = array<i64: 0, 0, 0, 0>}
       : (tensor<28x28x8xf32>) -> tensor<14x14x8xf32>
  return
}

// -----

func.func @pool_inferred_type(%x: tensor<?x28x28x8xf32>) {
  // expected-error @+2 {{'tfg.max_pool' op inferred type(s) 'tensor<?x14x14x8xf32>' are incompatible with return type(s) of operation 'tensor<?x14x14x4xf32>'}}
  // expected-error @+1 {{'tfg.max_pool' op failed to infer returned types}}
  %y = tfg.max_pool %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>,
                        pad = array<i64: 0, 0, 0, 0>}
       : (tensor<?x28x28x8xf32>) -> tensor<?x14x14x4xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// mean
//===----------------------------------------------------------------------===//

func.func @mean_repeated_axis(%x: tensor<?x14x14x16xf32>) {
  // expected-error @+1 {{'tfg.mean' op repeats axis -2}}
  %y = tfg.mean %x {axes = array<i64: 2, -2>, keep_dims = false}
       : (tensor<?x14x14x16xf32>) -> tensor<?x14x16xf32>
  return
}

// -----

func.func @mean_axis_out_of_range(%x: tensor<?x14x14x16xf32>) {
  // expected-error @+2 {{mean axis 4 is out of range}}
  // expected-error @+1 {{'tfg.mean' op failed to infer returned types}}
  %y = tfg.mean %x {axes = array<i64: 1, 4>, keep_dims = false}
       : (tensor<?x14x14x16xf32>) -> tensor<?x14x16xf32>
  return
}

// -----

func.func @mean_inferred_type(%x: tensor<?x14x14x16xf32>) {
  // expected-error @+2 {{'tfg.mean' op inferred type(s) 'tensor<?x1x1x16xf32>' are incompatible with return type(s) of operation 'tensor<?x16xf32>'}}
  // expected-error @+1 {{'tfg.mean' op failed to infer returned types}}
  %y = tfg.mean %x {axes = array<i64: 1, 2>, keep_dims = true}
       : (tensor<?x14x14x16xf32>) -> tensor<?x16xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// matmul
//===----------------------------------------------------------------------===//

func.func @matmul_inner_dims(%a: tensor<?x16xf32>, %b: tensor<12x10xf32>) {
  // expected-error @+1 {{'tfg.matmul' op inner dimensions differ: 16 vs 12}}
  %y = tfg.matmul %a, %b : (tensor<?x16xf32>, tensor<12x10xf32>) -> tensor<?x10xf32>
  return
}

// -----

func.func @matmul_inner_dims_transposed(%a: tensor<16x4xf32>, %b: tensor<16x10xf32>) {
  // expected-error @+1 {{'tfg.matmul' op inner dimensions differ: 16 vs 10}}
  %y = tfg.matmul %a, %b {transpose_a = true, transpose_b = true}
       : (tensor<16x4xf32>, tensor<16x10xf32>) -> tensor<4x16xf32>
  return
}

// -----

func.func @matmul_bias_length(%a: tensor<?x16xf32>, %b: tensor<16x10xf32>, %c: tensor<16xf32>) {
  // expected-error @+1 {{'tfg.matmul' op expects 'bias' to be a vector of 10 elements (one per channel)}}
  %y = tfg.matmul %a, %b, %c : (tensor<?x16xf32>, tensor<16x10xf32>, tensor<16xf32>) -> tensor<?x10xf32>
  return
}

// -----

func.func @matmul_rank(%a: tensor<2x?x16xf32>, %b: tensor<16x10xf32>) {
  // expected-error @+1 {{'tfg.matmul' op expects rank-2 operands}}
  %y = tfg.matmul %a, %b : (tensor<2x?x16xf32>, tensor<16x10xf32>) -> tensor<2x?x10xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// add
//===----------------------------------------------------------------------===//

func.func @add_no_broadcast(%a: tensor<?x14x16xf32>, %b: tensor<?x14x8xf32>) {
  // expected-error @+2 {{operands do not broadcast: dimension 2 is 16 vs 8}}
  // expected-error @+1 {{'tfg.add' op failed to infer returned types}}
  %y = tfg.add %a, %b : (tensor<?x14x16xf32>, tensor<?x14x8xf32>) -> tensor<?x14x16xf32>
  return
}

// -----

func.func @add_unranked(%a: tensor<*xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{'tfg.add' op operand #0 must be ranked tensor of 32-bit float values}}
  %y = tfg.add %a, %b : (tensor<*xf32>, tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @add_inferred_type(%a: tensor<?x14x16xf32>, %b: tensor<16xf32>) {
  // expected-error @+2 {{'tfg.add' op inferred type(s) 'tensor<?x14x16xf32>' are incompatible with return type(s) of operation 'tensor<?x14x8xf32>'}}
  // expected-error @+1 {{'tfg.add' op failed to infer returned types}}
  %y = tfg.add %a, %b : (tensor<?x14x16xf32>, tensor<16xf32>) -> tensor<?x14x8xf32>
  return
}
