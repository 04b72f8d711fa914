// RUN: vai-opt %s | FileCheck %s
// RUN: vai-opt %s | vai-opt | FileCheck %s
// RUN: vai-opt %s -mlir-print-op-generic | vai-opt | FileCheck %s

// Round trips of every quant op, of the !quant.fix type in all its forms and
// of #quant.nonlinear.

// Signedness, bit widths, negative and zero positions and every round mode;
// the default round mode (dpu_round) is not printed.
// CHECK-LABEL: func.func @fix_types(
// CHECK-SAME: %[[S8:.*]]: tensor<4x!quant.fix<s8, 4>>,
// CHECK-SAME: %[[U8_PY3:.*]]: tensor<4x!quant.fix<u8, -2, py3_round>>,
// CHECK-SAME: %[[S16_STD:.*]]: tensor<4x!quant.fix<s16, 12, std_round>>,
// CHECK-SAME: %[[S8_DPU:.*]]: tensor<4x!quant.fix<s8, 7>>,
// CHECK-SAME: %[[EXTREMES:.*]]: tensor<4x!quant.fix<u32, 64>>,
// CHECK-SAME: %[[MIN:.*]]: tensor<4x!quant.fix<s2, -64>>,
// CHECK-SAME: %[[ZERO:.*]]: tensor<4x!quant.fix<s4, 0>>)
// CHECK: return %[[S8]], %[[U8_PY3]], %[[S16_STD]], %[[S8_DPU]], %[[EXTREMES]], %[[MIN]], %[[ZERO]] : tensor<4x!quant.fix<s8, 4>>, tensor<4x!quant.fix<u8, -2, py3_round>>, tensor<4x!quant.fix<s16, 12, std_round>>, tensor<4x!quant.fix<s8, 7>>, tensor<4x!quant.fix<u32, 64>>, tensor<4x!quant.fix<s2, -64>>, tensor<4x!quant.fix<s4, 0>>
func.func @fix_types(%a: tensor<4x!quant.fix<s8, 4>>,
                     %b: tensor<4x!quant.fix<u8, -2, py3_round>>,
                     %c: tensor<4x!quant.fix<s16, 12, std_round>>,
                     %d: tensor<4x!quant.fix<s8, 7, dpu_round>>,
                     %e: tensor<4x!quant.fix<u32, 64>>,
                     %f: tensor<4x!quant.fix<s2, -64>>,
                     %g: tensor<4x!quant.fix<s4, 0>>)
    -> (tensor<4x!quant.fix<s8, 4>>, tensor<4x!quant.fix<u8, -2, py3_round>>,
        tensor<4x!quant.fix<s16, 12, std_round>>, tensor<4x!quant.fix<s8, 7>>,
        tensor<4x!quant.fix<u32, 64>>, tensor<4x!quant.fix<s2, -64>>,
        tensor<4x!quant.fix<s4, 0>>) {
  return %a, %b, %c, %d, %e, %f, %g
      : tensor<4x!quant.fix<s8, 4>>, tensor<4x!quant.fix<u8, -2, py3_round>>,
        tensor<4x!quant.fix<s16, 12, std_round>>, tensor<4x!quant.fix<s8, 7>>,
        tensor<4x!quant.fix<u32, 64>>, tensor<4x!quant.fix<s2, -64>>,
        tensor<4x!quant.fix<s4, 0>>
}

// CHECK-LABEL: func.func @const_signed(
func.func @const_signed() -> tensor<1x2x!quant.fix<s8, 7>> {
  // CHECK: %[[WEIGHTS:.*]] = quant.const dense<{{\[\[}}1, -3]]> : tensor<1x2xi8> -> tensor<1x2x!quant.fix<s8, 7>>
  // CHECK: return %[[WEIGHTS]]
  %w = quant.const dense<[[1, -3]]> : tensor<1x2xi8> -> tensor<1x2x!quant.fix<s8, 7>>
  return %w : tensor<1x2x!quant.fix<s8, 7>>
}

// Unsigned type, 16-bit integers, splat value, non-default round mode.
// CHECK-LABEL: func.func @const_unsigned(
func.func @const_unsigned() -> (tensor<3x!quant.fix<u16, -2, py3_round>>, tensor<2x2x!quant.fix<u8, 0>>) {
  // CHECK: %[[WIDE:.*]] = quant.const dense<[0, 200, 32767]> : tensor<3xi16> -> tensor<3x!quant.fix<u16, -2, py3_round>>
  // CHECK: %[[SPLAT:.*]] = quant.const dense<7> : tensor<2x2xi8> -> tensor<2x2x!quant.fix<u8, 0>>
  // CHECK: return %[[WIDE]], %[[SPLAT]]
  %a = quant.const dense<[0, 200, 32767]> : tensor<3xi16>
       -> tensor<3x!quant.fix<u16, -2, py3_round>>
  %b = quant.const dense<7> : tensor<2x2xi8> -> tensor<2x2x!quant.fix<u8, 0>>
  return %a, %b : tensor<3x!quant.fix<u16, -2, py3_round>>, tensor<2x2x!quant.fix<u8, 0>>
}

// CHECK-LABEL: func.func @quantize_dequantize(
// CHECK-SAME: %[[INPUT:.*]]: tensor<?x28x28x1xf32>)
func.func @quantize_dequantize(%x: tensor<?x28x28x1xf32>) -> tensor<?x28x28x1xf32> {
  // CHECK: %[[FIXED:.*]] = quant.quantize %[[INPUT]] : tensor<?x28x28x1xf32> -> tensor<?x28x28x1x!quant.fix<s8, 7>>
  // CHECK: %[[FLOAT:.*]] = quant.dequantize %[[FIXED]] : tensor<?x28x28x1x!quant.fix<s8, 7>> -> tensor<?x28x28x1xf32>
  // CHECK: return %[[FLOAT]]
  %q = quant.quantize %x : tensor<?x28x28x1xf32> -> tensor<?x28x28x1x!quant.fix<s8, 7>>
  %f = quant.dequantize %q : tensor<?x28x28x1x!quant.fix<s8, 7>> -> tensor<?x28x28x1xf32>
  return %f : tensor<?x28x28x1xf32>
}

// Bias present: shift_cut = 6 + 7 - 4 = 9, shift_bias = 6 + 7 - 6 = 7.
// CHECK-LABEL: func.func @conv2d_bias(
// CHECK-SAME: %[[INPUT:.*]]: tensor<?x28x28x1x!quant.fix<s8, 7>>, %[[WEIGHTS:.*]]: tensor<3x3x1x8x!quant.fix<s8, 6>>, %[[BIAS:.*]]: tensor<8x!quant.fix<s8, 6>>)
func.func @conv2d_bias(%x: tensor<?x28x28x1x!quant.fix<s8, 7>>,
                       %w: tensor<3x3x1x8x!quant.fix<s8, 6>>,
                       %b: tensor<8x!quant.fix<s8, 6>>)
    -> tensor<?x28x28x8x!quant.fix<s8, 4>> {
  // CHECK: %[[OUT:.*]] = quant.conv2d %[[INPUT]], %[[WEIGHTS]], %[[BIAS]] {dilations = array<i64: 1, 1>, nonlinear = #quant.nonlinear<relu>, pad = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<?x28x28x1x!quant.fix<s8, 7>>, tensor<3x3x1x8x!quant.fix<s8, 6>>, tensor<8x!quant.fix<s8, 6>>) -> tensor<?x28x28x8x!quant.fix<s8, 4>>
  // CHECK: return %[[OUT]]
  %y = quant.conv2d %x, %w, %b {strides = array<i64: 1, 1>,
         dilations = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>,
         nonlinear = #quant.nonlinear<relu>}
       : (tensor<?x28x28x1x!quant.fix<s8, 7>>, tensor<3x3x1x8x!quant.fix<s8, 6>>,
          tensor<8x!quant.fix<s8, 6>>) -> tensor<?x28x28x8x!quant.fix<s8, 4>>
  return %y : tensor<?x28x28x8x!quant.fix<s8, 4>>
}

// Bias absent, default nonlinearity (none) not printed, shift_cut at both
// ends of [0, 16].
// CHECK-LABEL: func.func @conv2d_no_bias(
// CHECK-SAME: %[[INPUT:.*]]: tensor<1x8x8x4x!quant.fix<s8, 4>>, %[[WEIGHTS:.*]]: tensor<3x3x4x2x!quant.fix<s8, 6>>)
func.func @conv2d_no_bias(%x: tensor<1x8x8x4x!quant.fix<s8, 4>>,
                          %w: tensor<3x3x4x2x!quant.fix<s8, 6>>)
    -> (tensor<1x3x3x2x!quant.fix<s8, 10>>, tensor<1x3x3x2x!quant.fix<s8, -6>>) {
  // CHECK: %[[CUT0:.*]] = quant.conv2d %[[INPUT]], %[[WEIGHTS]] {dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x8x8x4x!quant.fix<s8, 4>>, tensor<3x3x4x2x!quant.fix<s8, 6>>) -> tensor<1x3x3x2x!quant.fix<s8, 10>>
  // CHECK: %[[CUT16:.*]] = quant.conv2d %[[INPUT]], %[[WEIGHTS]] {dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x8x8x4x!quant.fix<s8, 4>>, tensor<3x3x4x2x!quant.fix<s8, 6>>) -> tensor<1x3x3x2x!quant.fix<s8, -6>>
  // CHECK: return %[[CUT0]], %[[CUT16]]
  %a = quant.conv2d %x, %w {strides = array<i64: 2, 2>,
         dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>,
         nonlinear = #quant.nonlinear<none>}
       : (tensor<1x8x8x4x!quant.fix<s8, 4>>, tensor<3x3x4x2x!quant.fix<s8, 6>>)
       -> tensor<1x3x3x2x!quant.fix<s8, 10>>
  %b = quant.conv2d %x, %w {strides = array<i64: 2, 2>,
         dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>}
       : (tensor<1x8x8x4x!quant.fix<s8, 4>>, tensor<3x3x4x2x!quant.fix<s8, 6>>)
       -> tensor<1x3x3x2x!quant.fix<s8, -6>>
  return %a, %b : tensor<1x3x3x2x!quant.fix<s8, 10>>, tensor<1x3x3x2x!quant.fix<s8, -6>>
}

// The other nonlinearities, a dilated convolution and an unsigned output.
// CHECK-LABEL: func.func @conv2d_nonlinear(
// CHECK-SAME: %[[INPUT:.*]]: tensor<?x9x9x2x!quant.fix<s8, 5>>, %[[WEIGHTS:.*]]: tensor<3x3x2x4x!quant.fix<s8, 7>>)
func.func @conv2d_nonlinear(%x: tensor<?x9x9x2x!quant.fix<s8, 5>>,
                            %w: tensor<3x3x2x4x!quant.fix<s8, 7>>)
    -> (tensor<?x5x5x4x!quant.fix<u8, 4>>, tensor<?x5x5x4x!quant.fix<s8, 4>>) {
  // CHECK: %[[RELU6:.*]] = quant.conv2d %[[INPUT]], %[[WEIGHTS]] {dilations = array<i64: 2, 2>, nonlinear = #quant.nonlinear<relu6>, pad = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<?x9x9x2x!quant.fix<s8, 5>>, tensor<3x3x2x4x!quant.fix<s8, 7>>) -> tensor<?x5x5x4x!quant.fix<u8, 4>>
  // CHECK: %[[LEAKY:.*]] = quant.conv2d %[[INPUT]], %[[WEIGHTS]] {dilations = array<i64: 2, 2>, nonlinear = #quant.nonlinear<leaky_relu>, pad = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<?x9x9x2x!quant.fix<s8, 5>>, tensor<3x3x2x4x!quant.fix<s8, 7>>) -> tensor<?x5x5x4x!quant.fix<s8, 4>>
  // CHECK: return %[[RELU6]], %[[LEAKY]]
  %a = quant.conv2d %x, %w {strides = array<i64: 1, 1>,
         dilations = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>,
         nonlinear = #quant.nonlinear<relu6>}
       : (tensor<?x9x9x2x!quant.fix<s8, 5>>, tensor<3x3x2x4x!quant.fix<s8, 7>>)
       -> tensor<?x5x5x4x!quant.fix<u8, 4>>
  %b = quant.conv2d %x, %w {strides = array<i64: 1, 1>,
         dilations = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>,
         nonlinear = #quant.nonlinear<leaky_relu>}
       : (tensor<?x9x9x2x!quant.fix<s8, 5>>, tensor<3x3x2x4x!quant.fix<s8, 7>>)
       -> tensor<?x5x5x4x!quant.fix<s8, 4>>
  return %a, %b : tensor<?x5x5x4x!quant.fix<u8, 4>>, tensor<?x5x5x4x!quant.fix<s8, 4>>
}

// Bias present: shift_cut = 7 + 5 - 3 = 9, shift_bias = 7 + 5 - 8 = 4.
// CHECK-LABEL: func.func @matmul_bias(
// CHECK-SAME: %[[INPUT:.*]]: tensor<?x16x!quant.fix<s8, 5>>, %[[WEIGHTS:.*]]: tensor<16x10x!quant.fix<s8, 7>>, %[[BIAS:.*]]: tensor<10x!quant.fix<s8, 8>>)
func.func @matmul_bias(%x: tensor<?x16x!quant.fix<s8, 5>>,
                       %w: tensor<16x10x!quant.fix<s8, 7>>,
                       %b: tensor<10x!quant.fix<s8, 8>>)
    -> tensor<?x10x!quant.fix<s8, 3>> {
  // CHECK: %[[OUT:.*]] = quant.matmul %[[INPUT]], %[[WEIGHTS]], %[[BIAS]] : (tensor<?x16x!quant.fix<s8, 5>>, tensor<16x10x!quant.fix<s8, 7>>, tensor<10x!quant.fix<s8, 8>>) -> tensor<?x10x!quant.fix<s8, 3>>
  // CHECK: return %[[OUT]]
  %y = quant.matmul %x, %w, %b : (tensor<?x16x!quant.fix<s8, 5>>,
         tensor<16x10x!quant.fix<s8, 7>>, tensor<10x!quant.fix<s8, 8>>)
       -> tensor<?x10x!quant.fix<s8, 3>>
  return %y : tensor<?x10x!quant.fix<s8, 3>>
}

// Bias absent, with a nonlinearity.
// CHECK-LABEL: func.func @matmul_no_bias(
// CHECK-SAME: %[[INPUT:.*]]: tensor<?x16x!quant.fix<s8, 5>>, %[[WEIGHTS:.*]]: tensor<16x10x!quant.fix<s8, 7>>)
func.func @matmul_no_bias(%x: tensor<?x16x!quant.fix<s8, 5>>,
                          %w: tensor<16x10x!quant.fix<s8, 7>>)
    -> tensor<?x10x!quant.fix<s8, 3>> {
  // CHECK: %[[OUT:.*]] = quant.matmul %[[INPUT]], %[[WEIGHTS]] {nonlinear = #quant.nonlinear<relu>} : (tensor<?x16x!quant.fix<s8, 5>>, tensor<16x10x!quant.fix<s8, 7>>) -> tensor<?x10x!quant.fix<s8, 3>>
  // CHECK: return %[[OUT]]
  %y = quant.matmul %x, %w {nonlinear = #quant.nonlinear<relu>}
       : (tensor<?x16x!quant.fix<s8, 5>>, tensor<16x10x!quant.fix<s8, 7>>)
       -> tensor<?x10x!quant.fix<s8, 3>>
  return %y : tensor<?x10x!quant.fix<s8, 3>>
}

// CHECK-LABEL: func.func @max_pool(
// CHECK-SAME: %[[INPUT:.*]]: tensor<?x28x28x8x!quant.fix<s8, 4>>)
func.func @max_pool(%x: tensor<?x28x28x8x!quant.fix<s8, 4>>)
    -> tensor<?x14x14x8x!quant.fix<s8, 4>> {
  // CHECK: %[[OUT:.*]] = quant.max_pool %[[INPUT]] {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<?x28x28x8x!quant.fix<s8, 4>>) -> tensor<?x14x14x8x!quant.fix<s8, 4>>
  // CHECK: return %[[OUT]]
  %y = quant.max_pool %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>,
                          pad = array<i64: 0, 0, 0, 0>}
       : (tensor<?x28x28x8x!quant.fix<s8, 4>>) -> tensor<?x14x14x8x!quant.fix<s8, 4>>
  return %y : tensor<?x14x14x8x!quant.fix<s8, 4>>
}

// Average pooling may change the fix position.
// CHECK-LABEL: func.func @avg_pool(
// CHECK-SAME: %[[INPUT:.*]]: tensor<?x14x14x16x!quant.fix<s8, 4>>)
func.func @avg_pool(%x: tensor<?x14x14x16x!quant.fix<s8, 4>>)
    -> (tensor<?x1x1x16x!quant.fix<s8, 4>>, tensor<?x7x7x16x!quant.fix<s8, 5>>) {
  // CHECK: %[[GLOBAL:.*]] = quant.avg_pool %[[INPUT]] {kernel = array<i64: 14, 14>, pad = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<?x14x14x16x!quant.fix<s8, 4>>) -> tensor<?x1x1x16x!quant.fix<s8, 4>>
  // CHECK: %[[PADDED:.*]] = quant.avg_pool %[[INPUT]] {kernel = array<i64: 3, 3>, pad = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<?x14x14x16x!quant.fix<s8, 4>>) -> tensor<?x7x7x16x!quant.fix<s8, 5>>
  // CHECK: return %[[GLOBAL]], %[[PADDED]]
  %a = quant.avg_pool %x {kernel = array<i64: 14, 14>, strides = array<i64: 1, 1>,
                          pad = array<i64: 0, 0, 0, 0>}
       : (tensor<?x14x14x16x!quant.fix<s8, 4>>) -> tensor<?x1x1x16x!quant.fix<s8, 4>>
  %b = quant.avg_pool %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>,
                          pad = array<i64: 1, 1, 1, 1>}
       : (tensor<?x14x14x16x!quant.fix<s8, 4>>) -> tensor<?x7x7x16x!quant.fix<s8, 5>>
  return %a, %b : tensor<?x1x1x16x!quant.fix<s8, 4>>, tensor<?x7x7x16x!quant.fix<s8, 5>>
}

// CHECK-LABEL: func.func @add(
// CHECK-SAME: %[[LHS:.*]]: tensor<?x8x!quant.fix<s8, 4>>, %[[RHS:.*]]: tensor<?x8x!quant.fix<s8, 5>>)
func.func @add(%a: tensor<?x8x!quant.fix<s8, 4>>, %b: tensor<?x8x!quant.fix<s8, 5>>)
    -> (tensor<?x8x!quant.fix<s8, 4>>, tensor<?x8x!quant.fix<s8, 3>>) {
  // CHECK: %[[SUM:.*]] = quant.add %[[LHS]], %[[RHS]] : (tensor<?x8x!quant.fix<s8, 4>>, tensor<?x8x!quant.fix<s8, 5>>) -> tensor<?x8x!quant.fix<s8, 4>>
  // CHECK: %[[RELU:.*]] = quant.add %[[LHS]], %[[RHS]] {nonlinear = #quant.nonlinear<relu>} : (tensor<?x8x!quant.fix<s8, 4>>, tensor<?x8x!quant.fix<s8, 5>>) -> tensor<?x8x!quant.fix<s8, 3>>
  // CHECK: return %[[SUM]], %[[RELU]]
  %s = quant.add %a, %b : (tensor<?x8x!quant.fix<s8, 4>>, tensor<?x8x!quant.fix<s8, 5>>)
       -> tensor<?x8x!quant.fix<s8, 4>>
  %r = quant.add %a, %b {nonlinear = #quant.nonlinear<relu>}
       : (tensor<?x8x!quant.fix<s8, 4>>, tensor<?x8x!quant.fix<s8, 5>>)
       -> tensor<?x8x!quant.fix<s8, 3>>
  return %s, %r : tensor<?x8x!quant.fix<s8, 4>>, tensor<?x8x!quant.fix<s8, 3>>
}

// Flattening with a dynamic batch, and a fully static reshape.
// CHECK-LABEL: func.func @reshape(
// CHECK-SAME: %[[INPUT:.*]]: tensor<?x1x1x10x!quant.fix<s8, 3>>, %[[STATIC:.*]]: tensor<2x3x4x!quant.fix<u8, 0>>)
func.func @reshape(%x: tensor<?x1x1x10x!quant.fix<s8, 3>>,
                   %y: tensor<2x3x4x!quant.fix<u8, 0>>)
    -> (tensor<?x10x!quant.fix<s8, 3>>, tensor<6x4x!quant.fix<u8, 0>>) {
  // CHECK: %[[FLAT:.*]] = quant.reshape %[[INPUT]] : (tensor<?x1x1x10x!quant.fix<s8, 3>>) -> tensor<?x10x!quant.fix<s8, 3>>
  // CHECK: %[[MERGED:.*]] = quant.reshape %[[STATIC]] : (tensor<2x3x4x!quant.fix<u8, 0>>) -> tensor<6x4x!quant.fix<u8, 0>>
  // CHECK: return %[[FLAT]], %[[MERGED]]
  %a = quant.reshape %x : (tensor<?x1x1x10x!quant.fix<s8, 3>>) -> tensor<?x10x!quant.fix<s8, 3>>
  %b = quant.reshape %y : (tensor<2x3x4x!quant.fix<u8, 0>>) -> tensor<6x4x!quant.fix<u8, 0>>
  return %a, %b : tensor<?x10x!quant.fix<s8, 3>>, tensor<6x4x!quant.fix<u8, 0>>
}
