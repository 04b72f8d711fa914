// The DPU's shift rules (DESIGN.md §5) and what quant-quantize does to meet
// them. Every case is first quantized with the adjustments (the default) and
// the adjusted positions are checked; then with adjust-shift-cut or
// adjust-shift-bias off the raw positions are kept and the quant verifier
// rejects the layer with the error the adjustment prevents.
//
// RUN: vai-opt %s -split-input-file -quant-quantize | FileCheck %s
// RUN: not vai-opt %s -split-input-file -quant-quantize=adjust-shift-cut=false 2>&1 | FileCheck %s --check-prefix=NOCUT
// RUN: not vai-opt %s -split-input-file -quant-quantize=adjust-shift-bias=false 2>&1 | FileCheck %s --check-prefix=NOBIAS
// Turning one rule off leaves the other's cases alone.
// RUN: not vai-opt %s -split-input-file -quant-quantize=adjust-shift-bias=false 2>/dev/null | FileCheck %s --check-prefix=BIASOFF-CUTOK
//
// Weights [0.5, -0.25]: non-overflow step max(0.5 / 127.5, 0.25 / 128.5)
// gives position floor(log2(255)) = 7, where both are exact (64, -32), so
// min-diffs keeps 7 (ties go to the smaller position).

// (a) shift_cut = w + i - o = 7 + 10 - 0 = 17 > 16 (fine weights and input,
// coarse output). The weight position drops to o + 16 - i = 0 + 16 - 10 = 6:
// the weights become 0.5 * 64 = 32 and -0.25 * 64 = -16, shift_cut 16.
// CHECK-LABEL: func.func @shift_cut_above_16
// CHECK: quant.const dense<{{\[\[\[\[}}32, -16]]]]> : tensor<1x1x1x2xi8> -> tensor<1x1x1x2x!quant.fix<s8, 6>>
// CHECK: quant.conv2d {{.*}} -> tensor<1x4x4x2x!quant.fix<s8, 0>>
// NOCUT: error: 'quant.conv2d' op shift_cut = w + i - o = 7 + 10 - 0 = 17 is outside [0, 16]
func.func @shift_cut_above_16(%x: tensor<1x4x4x1xf32> {quant.fix_point = 10 : i32}) -> tensor<1x4x4x2xf32> {
  %w = tfg.const dense<[[[[0.5, -0.25]]]]> : tensor<1x1x1x2xf32>
  %c = tfg.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, quant.fix_point = 0 : i32} : (tensor<1x4x4x1xf32>, tensor<1x1x1x2xf32>) -> tensor<1x4x4x2xf32>
  return %c : tensor<1x4x4x2xf32>
}

// -----

// (b) shift_cut = 7 + 7 - 15 = -1 < 0 (the output calibrated finer than
// the product). The output position drops to w + i = 14: shift_cut 0.
// CHECK-LABEL: func.func @shift_cut_negative
// CHECK: quant.const dense<{{\[\[\[\[}}64, -32]]]]> {{.*}}!quant.fix<s8, 7>>
// CHECK: quant.conv2d {{.*}} -> tensor<1x4x4x2x!quant.fix<s8, 14>>
// NOCUT: error: 'quant.conv2d' op shift_cut = w + i - o = 7 + 7 - 15 = -1 is outside [0, 16]
func.func @shift_cut_negative(%x: tensor<1x4x4x1xf32> {quant.fix_point = 7 : i32}) -> tensor<1x4x4x2xf32> {
  %w = tfg.const dense<[[[[0.5, -0.25]]]]> : tensor<1x1x1x2xf32>
  %c = tfg.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, quant.fix_point = 15 : i32} : (tensor<1x4x4x1xf32>, tensor<1x1x1x2xf32>) -> tensor<1x4x4x2xf32>
  return %c : tensor<1x4x4x2xf32>
}

// -----

// (b') The same rule for an elementwise product: x at 7 times the constant
// 0.5 (position 7, exactly 64) is at 14; a calibrated output at 20 would
// shift by 14 - 20 = -6, so the output drops to 14.
// CHECK-LABEL: func.func @mul_shift_negative
// CHECK: quant.mul {{.*}} -> tensor<1x4x!quant.fix<s8, 14>>
// NOCUT: error: 'quant.mul' op shift = a + b - o = -6 is outside [0, 16]
func.func @mul_shift_negative(%x: tensor<1x4xf32> {quant.fix_point = 7 : i32}) -> tensor<1x4xf32> {
  %s = tfg.const dense<0.5> : tensor<4xf32>
  %m = tfg.mul %x, %s {quant.fix_point = 20 : i32} : (tensor<1x4xf32>, tensor<4xf32>) -> tensor<1x4xf32>
  return %m : tensor<1x4xf32>
}

// -----

// (c) shift_bias = w + i - b above 16. A bias of 100 has position 0
// (non-overflow: floor(log2(127.5 / 100)) = 0, exact there), w + i =
// 7 + 10 = 17, o = 2: shift_cut 15, shift_bias 17 > 16. The bias moves to
// w + i - 16 = 1, where 100 * 2 saturates at 127.
// CHECK-LABEL: func.func @shift_bias_above_16
// CHECK: quant.const dense<127> : tensor<2xi8> -> tensor<2x!quant.fix<s8, 1>>
// CHECK: quant.conv2d {{.*}} -> tensor<1x4x4x2x!quant.fix<s8, 2>>
// NOBIAS: error: 'quant.conv2d' op shift_bias = w + i - b = 7 + 10 - 0 = 17 is outside [-1, 16] (shift_cut = 15)
// BIASOFF-CUTOK-LABEL: func.func @shift_cut_above_16
// BIASOFF-CUTOK: quant.conv2d {{.*}} -> tensor<1x4x4x2x!quant.fix<s8, 0>>
// BIASOFF-CUTOK-LABEL: func.func @shift_cut_negative
// BIASOFF-CUTOK: quant.conv2d {{.*}} -> tensor<1x4x4x2x!quant.fix<s8, 14>>
func.func @shift_bias_above_16(%x: tensor<1x4x4x1xf32> {quant.fix_point = 10 : i32}) -> tensor<1x4x4x2xf32> {
  %w = tfg.const dense<[[[[0.5, -0.25]]]]> : tensor<1x1x1x2xf32>
  %b = tfg.const dense<100.0> : tensor<2xf32>
  %c = tfg.conv2d %x, %w, %b {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, quant.fix_point = 2 : i32} : (tensor<1x4x4x1xf32>, tensor<1x1x1x2xf32>, tensor<2xf32>) -> tensor<1x4x4x2xf32>
  return %c : tensor<1x4x4x2xf32>
}

// -----

// (c') shift_bias below its range. A bias [1e-4, 2e-4] has non-overflow
// position floor(log2(127.5 / 2e-4)) = floor(19.28) = 19 (105 and 52);
// min-diffs keeps 19 (at 20, 2e-4 * 2^20 = 209.7 saturates). With
// w + i = 17 and o = 1, shift_cut = 16 allows shift_bias in
// [min(0, -(24 - (8 + 16))), 16] = [0, 16], but 17 - 19 = -2. The bias
// moves to w + i = 17: round(1e-4 * 2^17) = round(13.1) = 13 and
// round(2e-4 * 2^17) = round(26.2) = 26.
// CHECK-LABEL: func.func @shift_bias_negative
// CHECK: quant.const dense<[13, 26]> : tensor<2xi8> -> tensor<2x!quant.fix<s8, 17>>
// CHECK: quant.conv2d {{.*}} -> tensor<1x4x4x2x!quant.fix<s8, 1>>
// NOBIAS: error: 'quant.conv2d' op shift_bias = w + i - b = 7 + 10 - 19 = -2 is outside [0, 16] (shift_cut = 16)
func.func @shift_bias_negative(%x: tensor<1x4x4x1xf32> {quant.fix_point = 10 : i32}) -> tensor<1x4x4x2xf32> {
  %w = tfg.const dense<[[[[0.5, -0.25]]]]> : tensor<1x1x1x2xf32>
  %b = tfg.const dense<[1.0e-4, 2.0e-4]> : tensor<2xf32>
  %c = tfg.conv2d %x, %w, %b {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, quant.fix_point = 1 : i32} : (tensor<1x4x4x1xf32>, tensor<1x1x1x2xf32>, tensor<2xf32>) -> tensor<1x4x4x2xf32>
  return %c : tensor<1x4x4x2xf32>
}
