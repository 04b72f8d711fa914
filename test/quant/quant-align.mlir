// align-concat and align-pool (vai_q's defaults 0) on calibrated positions.
// RUN: vai-opt %s -split-input-file -quant-quantize | FileCheck %s
// RUN: vai-opt %s -split-input-file -quant-quantize=align-concat=1 | FileCheck %s --check-prefix=OUT
// RUN: vai-opt %s -split-input-file -quant-quantize="align-concat=2 align-pool=2" | FileCheck %s --check-prefix=OFF
// RUN: vai-opt %s -split-input-file -quant-quantize=align-pool=1 | FileCheck %s --check-prefix=POOLOUT
// RUN: not vai-opt %s -split-input-file -quant-quantize=align-concat=3 2>&1 | FileCheck %s --check-prefix=BAD

// Concat of the input (5) and a depthwise conv (calibrated 6; concat 6).
// 0: the coarsest is 5, so the depthwise output moves to 5 and the concat
//    copies both inputs unchanged (shift_cut 7 + 5 - 5 = 7).
// 1: the concat's output takes 5, the depthwise keeps 6 and the concat
//    requantizes it.
// 2: the concat keeps its calibrated 6 and requantizes the input.
// CHECK-LABEL: func.func @concat
// CHECK: quant.depthwise_conv2d {{.*}} -> tensor<?x4x4x2x!quant.fix<s8, 5>>
// CHECK: quant.concat {{.*}} : (tensor<?x4x4x2x!quant.fix<s8, 5>>, tensor<?x4x4x2x!quant.fix<s8, 5>>) -> tensor<?x4x4x4x!quant.fix<s8, 5>>
// OUT-LABEL: func.func @concat
// OUT: quant.concat {{.*}} : (tensor<?x4x4x2x!quant.fix<s8, 5>>, tensor<?x4x4x2x!quant.fix<s8, 6>>) -> tensor<?x4x4x4x!quant.fix<s8, 5>>
// OFF-LABEL: func.func @concat
// OFF: quant.concat {{.*}} : (tensor<?x4x4x2x!quant.fix<s8, 5>>, tensor<?x4x4x2x!quant.fix<s8, 6>>) -> tensor<?x4x4x4x!quant.fix<s8, 6>>
// BAD: error: quant-quantize: align-concat and align-pool take 0 (inputs and output), 1 (output only) or 2 (off), got 3
func.func @concat(%x: tensor<?x4x4x2xf32> {quant.fix_point = 5 : i32}) -> tensor<?x4x4x4xf32> {
  %w = tfg.const dense<[[[[0.5], [-0.25]]]]> : tensor<1x1x2x1xf32>
  %d = tfg.depthwise_conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, quant.fix_point = 6 : i32} : (tensor<?x4x4x2xf32>, tensor<1x1x2x1xf32>) -> tensor<?x4x4x2xf32>
  %c = tfg.concat %x, %d {axis = 3 : i64, quant.fix_point = 6 : i32} : (tensor<?x4x4x2xf32>, tensor<?x4x4x2xf32>) -> tensor<?x4x4x4xf32>
  return %c : tensor<?x4x4x4xf32>
}

// -----

// A concat feeding a concat: alignment reaches through the inner concat
// (and through the max pool, which keeps its input's position) to the
// producers, so all three adds end at the coarsest position 3.
// CHECK-LABEL: func.func @nested
// CHECK-COUNT-3: quant.add {{.*}} -> tensor<1x2x2x1x!quant.fix<s8, 3>>
// CHECK: quant.concat {{.*}} -> tensor<1x2x2x2x!quant.fix<s8, 3>>
// CHECK: quant.max_pool {{.*}} -> tensor<1x2x2x1x!quant.fix<s8, 3>>
// CHECK: quant.concat {{.*}} -> tensor<1x2x2x3x!quant.fix<s8, 3>>
func.func @nested(%x: tensor<1x2x2x1xf32> {quant.fix_point = 6 : i32}) -> tensor<1x2x2x3xf32> {
  %a = tfg.add %x, %x {quant.fix_point = 5 : i32} : (tensor<1x2x2x1xf32>, tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32>
  %b = tfg.add %a, %a {quant.fix_point = 4 : i32} : (tensor<1x2x2x1xf32>, tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32>
  %c = tfg.add %b, %b {quant.fix_point = 3 : i32} : (tensor<1x2x2x1xf32>, tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32>
  %i = tfg.concat %a, %b {axis = 3 : i64, quant.fix_point = 4 : i32} : (tensor<1x2x2x1xf32>, tensor<1x2x2x1xf32>) -> tensor<1x2x2x2xf32>
  %p = tfg.max_pool %c {kernel = array<i64: 1, 1>, strides = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, quant.fix_point = 3 : i32} : (tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32>
  %o = tfg.concat %i, %p {axis = 3 : i64, quant.fix_point = 3 : i32} : (tensor<1x2x2x2xf32>, tensor<1x2x2x1xf32>) -> tensor<1x2x2x3xf32>
  return %o : tensor<1x2x2x3xf32>
}

// -----

// Average pool input 5 (the argument), calibrated output 6; max pool
// calibrated 4 below its input 5.
// 0: the max pool's input (the argument) drops to 4, the max pool and the
//    average pool take 4 (min of 4 and 6).
// 1: only the average pool's output is aligned: min(5, 6) = 5.
// 2: the average pool keeps 6; the max pool its input's 5.
// CHECK-LABEL: func.func @pools
// CHECK: quant.quantize %arg0 {{.*}}!quant.fix<s8, 4>>
// CHECK: quant.max_pool {{.*}} -> tensor<1x2x2x1x!quant.fix<s8, 4>>
// CHECK: quant.avg_pool {{.*}} -> tensor<1x1x1x1x!quant.fix<s8, 4>>
// POOLOUT-LABEL: func.func @pools
// POOLOUT: quant.max_pool {{.*}} -> tensor<1x2x2x1x!quant.fix<s8, 5>>
// POOLOUT: quant.avg_pool {{.*}} -> tensor<1x1x1x1x!quant.fix<s8, 5>>
// OFF-LABEL: func.func @pools
// OFF: quant.max_pool {{.*}} -> tensor<1x2x2x1x!quant.fix<s8, 5>>
// OFF: quant.avg_pool {{.*}} -> tensor<1x1x1x1x!quant.fix<s8, 6>>
func.func @pools(%x: tensor<1x4x4x1xf32> {quant.fix_point = 5 : i32}) -> tensor<1x1x1x1xf32> {
  %p = tfg.max_pool %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, quant.fix_point = 4 : i32} : (tensor<1x4x4x1xf32>) -> tensor<1x2x2x1xf32>
  %a = tfg.avg_pool %p {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, quant.fix_point = 6 : i32} : (tensor<1x2x2x1xf32>) -> tensor<1x1x1x1xf32>
  return %a : tensor<1x1x1x1xf32>
}
