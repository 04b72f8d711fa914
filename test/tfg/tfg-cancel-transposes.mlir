// RUN: vai-opt %s -split-input-file -tfg-cancel-transposes | FileCheck %s

// NHWC -> NCHW -> NHWC cancels.
// CHECK-LABEL: func.func @pair
// CHECK-NOT: tfg.transpose
// CHECK: return %arg0
func.func @pair(%x: tensor<1x4x5x3xf32>) -> tensor<1x4x5x3xf32> {
  %a = tfg.transpose %x {perm = array<i64: 0, 3, 1, 2>} : (tensor<1x4x5x3xf32>) -> tensor<1x3x4x5xf32>
  %b = tfg.transpose %a {perm = array<i64: 0, 2, 3, 1>} : (tensor<1x3x4x5xf32>) -> tensor<1x4x5x3xf32>
  return %b : tensor<1x4x5x3xf32>
}

// -----

// Two transposes that do not cancel become one.
// CHECK-LABEL: func.func @compose
// CHECK: %[[T:.*]] = tfg.transpose %arg0 {perm = array<i64: 1, 2, 0>} : (tensor<2x3x4xf32>) -> tensor<3x4x2xf32>
// CHECK-NEXT: return %[[T]]
func.func @compose(%x: tensor<2x3x4xf32>) -> tensor<3x4x2xf32> {
  %a = tfg.transpose %x {perm = array<i64: 1, 0, 2>} : (tensor<2x3x4xf32>) -> tensor<3x2x4xf32>
  %b = tfg.transpose %a {perm = array<i64: 0, 2, 1>} : (tensor<3x2x4xf32>) -> tensor<3x4x2xf32>
  return %b : tensor<3x4x2xf32>
}

// -----

// CHECK-LABEL: func.func @identity
// CHECK-NOT: tfg.transpose
func.func @identity(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %a = tfg.transpose %x {perm = array<i64: 0, 1>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %a : tensor<2x3xf32>
}

// -----

// Only size-1 dimensions move: the data order is the same, a reshape.
// CHECK-LABEL: func.func @unit_dims
// CHECK: tfg.reshape %arg0 : (tensor<?x1x1x8xf32>) -> tensor<?x8x1x1xf32>
// CHECK-NOT: tfg.transpose
func.func @unit_dims(%x: tensor<?x1x1x8xf32>) -> tensor<?x8x1x1xf32> {
  %a = tfg.transpose %x {perm = array<i64: 0, 3, 1, 2>} : (tensor<?x1x1x8xf32>) -> tensor<?x8x1x1xf32>
  return %a : tensor<?x8x1x1xf32>
}

// -----

// A pair that cancels is removed even when each only moves size-1 dims.
// CHECK-LABEL: func.func @unit_pair
// CHECK-NOT: tfg.reshape
// CHECK: return %arg0
func.func @unit_pair(%x: tensor<1x1x1x8xf32>) -> tensor<1x1x1x8xf32> {
  %a = tfg.transpose %x {perm = array<i64: 0, 3, 1, 2>} : (tensor<1x1x1x8xf32>) -> tensor<1x8x1x1xf32>
  %b = tfg.transpose %a {perm = array<i64: 0, 2, 3, 1>} : (tensor<1x8x1x1xf32>) -> tensor<1x1x1x8xf32>
  return %b : tensor<1x1x1x8xf32>
}

// -----

// A real permutation of two dimensions > 1 stays a transpose.
// CHECK-LABEL: func.func @real_transpose
// CHECK: tfg.transpose
func.func @real_transpose(%x: tensor<1x2x3x1xf32>) -> tensor<1x3x2x1xf32> {
  %a = tfg.transpose %x {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x2x3x1xf32>) -> tensor<1x3x2x1xf32>
  return %a : tensor<1x3x2x1xf32>
}

// -----

// Elementwise ops with constants in NCHW between an nchw and an nhwc
// transpose run in NHWC instead: the [C, 1, 1] constant becomes
// [1, 1, 1, C], the scalar stays.
// CHECK-LABEL: func.func @around_elementwise
// CHECK-NOT: tfg.transpose
// CHECK-DAG: %[[SCALE:.*]] = tfg.const dense<{{\[\[\[\[}}1.000000e+00, 2.000000e+00, 3.000000e+00]]]]> : tensor<1x1x1x3xf32>
// CHECK-DAG: %[[HALF:.*]] = tfg.const dense<5.000000e-01> : tensor<f32>
// CHECK: %[[MUL:.*]] = tfg.mul %arg0, %[[SCALE]] : (tensor<1x4x5x3xf32>, tensor<1x1x1x3xf32>) -> tensor<1x4x5x3xf32>
// CHECK: %[[SUB:.*]] = tfg.sub %[[HALF]], %[[MUL]] : (tensor<f32>, tensor<1x4x5x3xf32>) -> tensor<1x4x5x3xf32>
// CHECK: %[[RELU:.*]] = tfg.relu %[[SUB]] : tensor<1x4x5x3xf32>
// CHECK: return %[[RELU]]
func.func @around_elementwise(%x: tensor<1x4x5x3xf32>) -> tensor<1x4x5x3xf32> {
  %s = tfg.const dense<[[[1.0]], [[2.0]], [[3.0]]]> : tensor<3x1x1xf32>
  %h = tfg.const dense<0.5> : tensor<f32>
  %a = tfg.transpose %x {perm = array<i64: 0, 3, 1, 2>} : (tensor<1x4x5x3xf32>) -> tensor<1x3x4x5xf32>
  %m = tfg.mul %a, %s : (tensor<1x3x4x5xf32>, tensor<3x1x1xf32>) -> tensor<1x3x4x5xf32>
  %d = tfg.sub %h, %m : (tensor<f32>, tensor<1x3x4x5xf32>) -> tensor<1x3x4x5xf32>
  %r = tfg.relu %d : tensor<1x3x4x5xf32>
  %b = tfg.transpose %r {perm = array<i64: 0, 2, 3, 1>} : (tensor<1x3x4x5xf32>) -> tensor<1x4x5x3xf32>
  return %b : tensor<1x4x5x3xf32>
}

// -----

// A full-size constant is permuted element by element.
// CHECK-LABEL: func.func @full_constant
// CHECK: tfg.const dense<{{\[\[}}1.000000e+00, 4.000000e+00], [2.000000e+00, 5.000000e+00], [3.000000e+00, 6.000000e+00]]> : tensor<3x2xf32>
// CHECK-NOT: tfg.transpose
func.func @full_constant(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %c = tfg.const dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %a = tfg.transpose %x {perm = array<i64: 1, 0>} : (tensor<3x2xf32>) -> tensor<2x3xf32>
  %m = tfg.add %a, %c : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %b = tfg.transpose %m {perm = array<i64: 1, 0>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return %b : tensor<3x2xf32>
}

// -----

// The elementwise result has another user in NCHW: nothing moves.
// CHECK-LABEL: func.func @shared_elementwise
// CHECK-COUNT-2: tfg.transpose
func.func @shared_elementwise(%x: tensor<1x2x2x3xf32>) -> (tensor<1x2x2x3xf32>, tensor<1x3x2x2xf32>) {
  %a = tfg.transpose %x {perm = array<i64: 0, 3, 1, 2>} : (tensor<1x2x2x3xf32>) -> tensor<1x3x2x2xf32>
  %r = tfg.relu %a : tensor<1x3x2x2xf32>
  %b = tfg.transpose %r {perm = array<i64: 0, 2, 3, 1>} : (tensor<1x3x2x2xf32>) -> tensor<1x2x2x3xf32>
  return %b, %r : tensor<1x2x2x3xf32>, tensor<1x3x2x2xf32>
}

// -----

// Two non-constant operands: not an elementwise chain this pass moves.
// CHECK-LABEL: func.func @two_data_operands
// CHECK-COUNT-2: tfg.transpose
func.func @two_data_operands(%x: tensor<1x2x2x3xf32>, %y: tensor<1x3x2x2xf32>) -> tensor<1x2x2x3xf32> {
  %a = tfg.transpose %x {perm = array<i64: 0, 3, 1, 2>} : (tensor<1x2x2x3xf32>) -> tensor<1x3x2x2xf32>
  %s = tfg.add %a, %y : (tensor<1x3x2x2xf32>, tensor<1x3x2x2xf32>) -> tensor<1x3x2x2xf32>
  %b = tfg.transpose %s {perm = array<i64: 0, 2, 3, 1>} : (tensor<1x3x2x2xf32>) -> tensor<1x2x2x3xf32>
  return %b : tensor<1x2x2x3xf32>
}

// -----

// The outer permutation is not the inverse of the inner one.
// CHECK-LABEL: func.func @no_inverse
// CHECK-COUNT-2: tfg.transpose
func.func @no_inverse(%x: tensor<2x3x4xf32>) -> tensor<4x3x2xf32> {
  %a = tfg.transpose %x {perm = array<i64: 1, 0, 2>} : (tensor<2x3x4xf32>) -> tensor<3x2x4xf32>
  %r = tfg.relu %a : tensor<3x2x4xf32>
  %b = tfg.transpose %r {perm = array<i64: 2, 0, 1>} : (tensor<3x2x4xf32>) -> tensor<4x3x2xf32>
  return %b : tensor<4x3x2xf32>
}

// -----

// reshape(reshape(x)) is one reshape.
// CHECK-LABEL: func.func @reshapes
// CHECK: %[[R:.*]] = tfg.reshape %arg0 : (tensor<?x1x1x8xf32>) -> tensor<?x8xf32>
// CHECK-NEXT: return %[[R]]
func.func @reshapes(%x: tensor<?x1x1x8xf32>) -> tensor<?x8xf32> {
  %a = tfg.reshape %x : (tensor<?x1x1x8xf32>) -> tensor<?x8x1x1xf32>
  %b = tfg.reshape %a : (tensor<?x8x1x1xf32>) -> tensor<?x8xf32>
  return %b : tensor<?x8xf32>
}
