// RUN: vai-opt %s | FileCheck %s
// RUN: vai-opt %s | vai-opt | FileCheck %s
// RUN: vai-opt %s -mlir-print-op-generic | vai-opt | FileCheck %s

// Round trips of prune.channel_group and prune.mask. Groups are symbols in
// the module; masks refer to them.

// CHECK: prune.channel_group @block1 {channels = 4 : i64, members = ["conv1", "conv3"]}
prune.channel_group @block1 {channels = 4 : i64, members = ["conv1", "conv3"]}
// CHECK: prune.channel_group @single {channels = 16 : i64, members = ["dense/MatMul"]}
prune.channel_group @single {channels = 16 : i64, members = ["dense/MatMul"]}

// CHECK-LABEL: func.func @mask(
// CHECK-SAME: %[[ACTIVATIONS:.*]]: tensor<?x14x14x4xf32>)
func.func @mask(%x: tensor<?x14x14x4xf32>) -> tensor<?x14x14x4xf32> {
  // CHECK: %[[MASKED:.*]] = prune.mask %[[ACTIVATIONS]] group @block1 {keep = array<i1: true, false, true, true>} : tensor<?x14x14x4xf32>
  // CHECK: return %[[MASKED]]
  %y = prune.mask %x group @block1 {keep = array<i1: true, false, true, true>}
       : tensor<?x14x14x4xf32>
  return %y : tensor<?x14x14x4xf32>
}

// Keeping every channel, on a rank-1 tensor.
// CHECK-LABEL: func.func @mask_keep_all(
// CHECK-SAME: %[[BIAS:.*]]: tensor<4xf32>)
func.func @mask_keep_all(%b: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: %[[MASKED:.*]] = prune.mask %[[BIAS]] group @block1 {keep = array<i1: true, true, true, true>} : tensor<4xf32>
  // CHECK: return %[[MASKED]]
  %y = prune.mask %b group @block1 {keep = array<i1: true, true, true, true>}
       : tensor<4xf32>
  return %y : tensor<4xf32>
}

// An unknown channel count is checked against the group only. Masks apply to
// any element type, here fixed point.
// CHECK-LABEL: func.func @mask_dynamic_channels(
// CHECK-SAME: %[[FEATURES:.*]]: tensor<2x?xf32>, %[[FIXED:.*]]: tensor<?x16x!quant.fix<s8, 4>>)
func.func @mask_dynamic_channels(%x: tensor<2x?xf32>,
                                 %q: tensor<?x16x!quant.fix<s8, 4>>)
    -> (tensor<2x?xf32>, tensor<?x16x!quant.fix<s8, 4>>) {
  // CHECK: %[[MASKED:.*]] = prune.mask %[[FEATURES]] group @block1 {keep = array<i1: false, false, false, true>} : tensor<2x?xf32>
  // CHECK: %[[MASKED_FIXED:.*]] = prune.mask %[[FIXED]] group @single {keep = array<i1: true, false, true, false, true, false, true, false, true, false, true, false, true, false, true, false>} : tensor<?x16x!quant.fix<s8, 4>>
  // CHECK: return %[[MASKED]], %[[MASKED_FIXED]]
  %y = prune.mask %x group @block1 {keep = array<i1: false, false, false, true>}
       : tensor<2x?xf32>
  %z = prune.mask %q group @single {keep = array<i1: true, false, true, false,
       true, false, true, false, true, false, true, false, true, false, true, false>}
       : tensor<?x16x!quant.fix<s8, 4>>
  return %y, %z : tensor<2x?xf32>, tensor<?x16x!quant.fix<s8, 4>>
}
