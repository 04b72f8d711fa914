// align-pool=2: pools keep their calibrated positions (the default 0 is
// tested in quant-align.mlir).
// RUN: vai-opt %s -split-input-file -quant-quantize=align-pool=2 -verify-diagnostics | FileCheck %s

// Weights [0.5, -0.25] fit 7 fractional bits (64, -32); bias 1.0 needs
// position 6 (64); 0.125 at 6 is 8. shift_cut = 7 + 7 - 6 = 8.
// CHECK-LABEL: func.func @conv
// CHECK: %[[INPUT:.*]] = quant.quantize %arg0 : tensor<?x4x4x1xf32> -> tensor<?x4x4x1x!quant.fix<s8, 7>>
// CHECK-DAG: %[[WEIGHTS:.*]] = quant.const dense<{{\[\[\[\[}}64, -32]]]]> : tensor<1x1x1x2xi8> -> tensor<1x1x1x2x!quant.fix<s8, 7>>
// CHECK-DAG: %[[BIAS:.*]] = quant.const dense<[8, 64]> : tensor<2xi8> -> tensor<2x!quant.fix<s8, 6>>
// CHECK: %[[CONV:.*]] = quant.conv2d %[[INPUT]], %[[WEIGHTS]], %[[BIAS]] {{.*}}nonlinear = #quant.nonlinear<relu>{{.*}} -> tensor<?x4x4x2x!quant.fix<s8, 6>>
// CHECK: %[[OUT:.*]] = quant.dequantize %[[CONV]] : tensor<?x4x4x2x!quant.fix<s8, 6>> -> tensor<?x4x4x2xf32>
// CHECK: return %[[OUT]]
func.func @conv(%x: tensor<?x4x4x1xf32> {quant.fix_point = 7 : i32}) -> tensor<?x4x4x2xf32> {
  %w = tfg.const dense<[[[[0.5, -0.25]]]]> : tensor<1x1x1x2xf32>
  %b = tfg.const dense<[0.125, 1.0]> : tensor<2xf32>
  %c = tfg.conv2d %x, %w, %b {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, activation = #tfg.activation<relu>, quant.fix_point = 6 : i32} : (tensor<?x4x4x1xf32>, tensor<1x1x1x2xf32>, tensor<2xf32>) -> tensor<?x4x4x2xf32>
  return %c : tensor<?x4x4x2xf32>
}

// -----

// shift_cut would be 10 + 7 - 0 = 17 > 16: the weight position drops to 6,
// so the weights become 32 and -16 and shift_cut is 16.
// CHECK-LABEL: func.func @shift_cut_too_large
// CHECK: quant.const dense<{{\[\[\[\[}}32, -16]]]]> : tensor<1x1x1x2xi8> -> tensor<1x1x1x2x!quant.fix<s8, 6>>
// CHECK: quant.conv2d {{.*}} -> tensor<1x4x4x2x!quant.fix<s8, 0>>
func.func @shift_cut_too_large(%x: tensor<1x4x4x1xf32> {quant.fix_point = 10 : i32}) -> tensor<1x4x4x2xf32> {
  %w = tfg.const dense<[[[[0.5, -0.25]]]]> : tensor<1x1x1x2xf32>
  %c = tfg.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, quant.fix_point = 0 : i32} : (tensor<1x4x4x1xf32>, tensor<1x1x1x2xf32>) -> tensor<1x4x4x2xf32>
  return %c : tensor<1x4x4x2xf32>
}

// -----

// shift_cut would be 7 + 7 - 15 < 0: the output position drops to 14.
// CHECK-LABEL: func.func @shift_cut_negative
// CHECK: quant.conv2d {{.*}} -> tensor<1x4x4x2x!quant.fix<s8, 14>>
func.func @shift_cut_negative(%x: tensor<1x4x4x1xf32> {quant.fix_point = 7 : i32}) -> tensor<1x4x4x2xf32> {
  %w = tfg.const dense<[[[[0.5, -0.25]]]]> : tensor<1x1x1x2xf32>
  %c = tfg.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, quant.fix_point = 15 : i32} : (tensor<1x4x4x1xf32>, tensor<1x1x1x2xf32>) -> tensor<1x4x4x2xf32>
  return %c : tensor<1x4x4x2xf32>
}

// -----

// A tiny bias would get a position finer than w + i = 14 (negative
// shift_bias, which the hardware field cannot encode): it is held at 14,
// giving round(0.001 * 2^14) = 16 and round(0.002 * 2^14) = 33.
// CHECK-LABEL: func.func @bias_too_fine
// CHECK: quant.const dense<[16, 33]> : tensor<2xi8> -> tensor<2x!quant.fix<s8, 14>>
func.func @bias_too_fine(%x: tensor<1x4x4x1xf32> {quant.fix_point = 7 : i32}) -> tensor<1x4x4x2xf32> {
  %w = tfg.const dense<[[[[0.5, -0.25]]]]> : tensor<1x1x1x2xf32>
  %b = tfg.const dense<[0.001, 0.002]> : tensor<2xf32>
  %c = tfg.conv2d %x, %w, %b {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, quant.fix_point = 6 : i32} : (tensor<1x4x4x1xf32>, tensor<1x1x1x2xf32>, tensor<2xf32>) -> tensor<1x4x4x2xf32>
  return %c : tensor<1x4x4x2xf32>
}

// -----

// A bias of 100 wants position 0, but w + i = 17 allows shift_bias <= 16:
// the bias moves to position 1 and saturates at 127.
// CHECK-LABEL: func.func @bias_too_coarse
// CHECK: quant.const dense<127> : tensor<2xi8> -> tensor<2x!quant.fix<s8, 1>>
// CHECK: quant.conv2d {{.*}} -> tensor<1x4x4x2x!quant.fix<s8, 2>>
func.func @bias_too_coarse(%x: tensor<1x4x4x1xf32> {quant.fix_point = 10 : i32}) -> tensor<1x4x4x2xf32> {
  %w = tfg.const dense<[[[[0.5, -0.25]]]]> : tensor<1x1x1x2xf32>
  %b = tfg.const dense<100.0> : tensor<2xf32>
  %c = tfg.conv2d %x, %w, %b {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, quant.fix_point = 2 : i32} : (tensor<1x4x4x1xf32>, tensor<1x1x1x2xf32>, tensor<2xf32>) -> tensor<1x4x4x2xf32>
  return %c : tensor<1x4x4x2xf32>
}

// -----

// Global mean becomes a DPU average pool over H x W plus a reshape; a max
// pool keeps its input's position.
// CHECK-LABEL: func.func @pool_and_mean
// CHECK: %[[MAX:.*]] = quant.max_pool %{{.*}} -> tensor<1x2x2x1x!quant.fix<s8, 5>>
// CHECK: %[[AVG:.*]] = quant.avg_pool %[[MAX]] {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x2x1x!quant.fix<s8, 5>>) -> tensor<1x1x1x1x!quant.fix<s8, 6>>
// CHECK: quant.reshape %[[AVG]] : (tensor<1x1x1x1x!quant.fix<s8, 6>>) -> tensor<1x1x!quant.fix<s8, 6>>
func.func @pool_and_mean(%x: tensor<1x4x4x1xf32> {quant.fix_point = 5 : i32}) -> tensor<1x1xf32> {
  %p = tfg.max_pool %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, quant.fix_point = 4 : i32} : (tensor<1x4x4x1xf32>) -> tensor<1x2x2x1xf32>
  %m = tfg.mean %p {axes = array<i64: 1, 2>, keep_dims = false, quant.fix_point = 6 : i32} : (tensor<1x2x2x1xf32>) -> tensor<1x1xf32>
  return %m : tensor<1x1xf32>
}

// -----

func.func @not_calibrated(%x: tensor<1x4x4x1xf32> {quant.fix_point = 5 : i32}) -> tensor<1x4x4x1xf32> {
  %p = tfg.max_pool %x {kernel = array<i64: 1, 1>, strides = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x4x4x1xf32>) -> tensor<1x4x4x1xf32>
  // expected-error @+1 {{has no 'quant.fix_point': run quant-calibrate first}}
  %a = tfg.add %p, %p : (tensor<1x4x4x1xf32>, tensor<1x4x4x1xf32>) -> tensor<1x4x4x1xf32>
  return %a : tensor<1x4x4x1xf32>
}

// -----

func.func @unfused_relu(%x: tensor<1x4x4x1xf32> {quant.fix_point = 5 : i32}) -> tensor<1x4x4x1xf32> {
  // expected-error @+1 {{cannot be quantized on its own: run tfg-fuse-bias-activation first}}
  %r = tfg.relu %x {quant.fix_point = 5 : i32} : tensor<1x4x4x1xf32>
  return %r : tensor<1x4x4x1xf32>
}

// -----

// expected-error @+1 {{input 0 has no 'quant.fix_point': run quant-calibrate first}}
func.func @input_not_calibrated(%x: tensor<1x4x4x1xf32>) -> tensor<1x4x4x1xf32> {
  return %x : tensor<1x4x4x1xf32>
}
