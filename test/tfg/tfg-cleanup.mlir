// RUN: vai-opt %s -split-input-file -tfg-cleanup | FileCheck %s
// RUN: vai-opt %s -split-input-file -tfg-cleanup -mlir-print-debuginfo | FileCheck %s --check-prefix=NAMES
// The folders are ODS folders: canonicalize applies them as well.
// RUN: vai-opt %s -split-input-file -canonicalize | FileCheck %s --check-prefix=CANON

// Identity, StopGradient and Dropout all import as tfg.identity.
// CHECK-LABEL: func.func @identity_chain
// CHECK-NEXT: %[[RELU:.*]] = tfg.relu %arg0
// CHECK-NEXT: return %[[RELU]]
// CANON-LABEL: func.func @identity_chain
// CANON-NOT: tfg.identity
func.func @identity_chain(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %a = tfg.identity %x : tensor<?x4xf32> loc("dropout")
  %b = tfg.identity %a : tensor<?x4xf32> loc("stop_gradient")
  %r = tfg.relu %b : tensor<?x4xf32>
  %c = tfg.identity %r : tensor<?x4xf32> loc("Identity")
  return %c : tensor<?x4xf32>
}

// -----

// A QuantizeLinear/DequantizeLinear pair: the hinted identity stays with its
// hints; the plain identity before it goes.
// CHECK-LABEL: func.func @hints_kept
// CHECK-NEXT: %[[Q:.*]] = tfg.identity %arg0 {quant.hint_scale = 5.000000e-02 : f32, quant.hint_zero_point = 128 : ui8}
// CHECK-NEXT: %[[RELU:.*]] = tfg.relu %[[Q]]
// CHECK-NEXT: return %[[RELU]]
// CANON-LABEL: func.func @hints_kept
// CANON: tfg.identity %arg0 {quant.hint_scale
// CANON-NOT: tfg.identity
func.func @hints_kept(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %a = tfg.identity %x : tensor<1x4xf32>
  %q = tfg.identity %a {quant.hint_scale = 0.05 : f32, quant.hint_zero_point = 128 : ui8} : tensor<1x4xf32>
  %r = tfg.relu %q : tensor<1x4xf32>
  %c = tfg.identity %r : tensor<1x4xf32>
  return %c : tensor<1x4xf32>
}

// -----

// The folded constant keeps the node name of the transpose.
// CHECK-LABEL: func.func @transpose_const
// CHECK-NEXT: %[[W:.*]] = tfg.const dense<{{\[\[}}1.000000e+00, 4.000000e+00], [2.000000e+00, 5.000000e+00], [3.000000e+00, 6.000000e+00]]> : tensor<3x2xf32>
// CHECK-NEXT: tfg.matmul %arg0, %[[W]]
// NAMES-LABEL: func.func @transpose_const
// NAMES-NEXT: tfg.const {{.*}} : tensor<3x2xf32> loc(#[[LOC:loc[0-9]*]])
// NAMES: #[[LOC]] = loc("w/transpose")
// CANON-LABEL: func.func @transpose_const
// CANON-NEXT: tfg.const dense<{{\[\[}}1.000000e+00, 4.000000e+00], [2.000000e+00, 5.000000e+00], [3.000000e+00, 6.000000e+00]]> : tensor<3x2xf32>
// CANON-NEXT: tfg.matmul
func.func @transpose_const(%x: tensor<?x3xf32>) -> tensor<?x2xf32> {
  %w = tfg.const dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32> loc("w")
  %t = tfg.transpose %w {perm = array<i64: 1, 0>} : (tensor<2x3xf32>) -> tensor<3x2xf32> loc("w/transpose")
  %y = tfg.matmul %x, %t : (tensor<?x3xf32>, tensor<3x2xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

// A rank-4 transpose (NCHW -> NHWC of a [1, 2, 1, 3] constant): element
// [0, c, 0, w] moves to [0, 0, w, c].
// CHECK-LABEL: func.func @transpose_rank4
// CHECK-NEXT: %[[C:.*]] = tfg.const dense<{{\[\[\[\[}}0.000000e+00, 3.000000e+00], [1.000000e+00, 4.000000e+00], [2.000000e+00, 5.000000e+00]]]]> : tensor<1x1x3x2xf32>
// CHECK-NEXT: return %[[C]]
func.func @transpose_rank4() -> tensor<1x1x3x2xf32> {
  %c = tfg.const dense<[[[[0.0, 1.0, 2.0]], [[3.0, 4.0, 5.0]]]]> : tensor<1x2x1x3xf32>
  %t = tfg.transpose %c {perm = array<i64: 0, 2, 3, 1>} : (tensor<1x2x1x3xf32>) -> tensor<1x1x3x2xf32>
  return %t : tensor<1x1x3x2xf32>
}

// -----

// CHECK-LABEL: func.func @reshape_const
// CHECK-NEXT: %[[C:.*]] = tfg.const dense<{{\[\[}}1.000000e+00, 2.000000e+00, 3.000000e+00], [4.000000e+00, 5.000000e+00, 6.000000e+00]]> : tensor<2x3xf32>
// CHECK-NEXT: return %[[C]]
func.func @reshape_const() -> tensor<2x3xf32> {
  %c = tfg.const dense<[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]> : tensor<6xf32>
  %r = tfg.reshape %c : (tensor<6xf32>) -> tensor<2x3xf32>
  return %r : tensor<2x3xf32>
}

// -----

// Broadcasting [2, 2] against [2]: a = [[1, 2], [3, 4]], b = [10, -20].
// CHECK-LABEL: func.func @binary_consts
// CHECK-DAG: tfg.const dense<{{\[\[}}1.100000e+01, -1.800000e+01], [1.300000e+01, -1.600000e+01]]> : tensor<2x2xf32>
// CHECK-DAG: tfg.const dense<{{\[\[}}-9.000000e+00, 2.200000e+01], [-7.000000e+00, 2.400000e+01]]> : tensor<2x2xf32>
// CHECK-DAG: tfg.const dense<{{\[\[}}1.000000e+01, -4.000000e+01], [3.000000e+01, -8.000000e+01]]> : tensor<2x2xf32>
// CHECK-DAG: tfg.const dense<{{\[\[}}1.000000e-01, -1.000000e-01], [3.000000e-01, -2.000000e-01]]> : tensor<2x2xf32>
// CHECK-DAG: tfg.const dense<{{\[\[}}1.000000e+01, 2.000000e+00], [1.000000e+01, 4.000000e+00]]> : tensor<2x2xf32>
// CHECK-DAG: tfg.const dense<{{\[\[}}1.000000e+00, -2.000000e+01], [3.000000e+00, -2.000000e+01]]> : tensor<2x2xf32>
// CHECK-NOT: tfg.add
// CHECK-NOT: tfg.sub
// CHECK-NOT: tfg.mul
// CHECK-NOT: tfg.div
// CHECK-NOT: tfg.maximum
// CHECK-NOT: tfg.minimum
// CHECK: return
func.func @binary_consts() -> (tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>) {
  %a = tfg.const dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %b = tfg.const dense<[10.0, -20.0]> : tensor<2xf32>
  %add = tfg.add %a, %b : (tensor<2x2xf32>, tensor<2xf32>) -> tensor<2x2xf32>
  %sub = tfg.sub %a, %b : (tensor<2x2xf32>, tensor<2xf32>) -> tensor<2x2xf32>
  %mul = tfg.mul %a, %b : (tensor<2x2xf32>, tensor<2xf32>) -> tensor<2x2xf32>
  %div = tfg.div %a, %b : (tensor<2x2xf32>, tensor<2xf32>) -> tensor<2x2xf32>
  %max = tfg.maximum %a, %b : (tensor<2x2xf32>, tensor<2xf32>) -> tensor<2x2xf32>
  %min = tfg.minimum %a, %b : (tensor<2x2xf32>, tensor<2xf32>) -> tensor<2x2xf32>
  return %add, %sub, %mul, %div, %max, %min : tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>
}

// -----

// A chain of constant ops folds all the way (TF's shape-free constant
// subgraphs, e.g. a scaled and transposed weight).
// CHECK-LABEL: func.func @const_chain
// CHECK-NEXT: %[[C:.*]] = tfg.const dense<{{\[\[}}2.000000e+00, 6.000000e+00], [4.000000e+00, 8.000000e+00]]> : tensor<2x2xf32>
// CHECK-NEXT: return %[[C]]
func.func @const_chain() -> tensor<2x2xf32> {
  %a = tfg.const dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %two = tfg.const dense<2.0> : tensor<f32>
  %i = tfg.identity %a : tensor<4xf32>
  %m = tfg.mul %i, %two : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %r = tfg.reshape %m : (tensor<4xf32>) -> tensor<2x2xf32>
  %t = tfg.transpose %r {perm = array<i64: 1, 0>} : (tensor<2x2xf32>) -> tensor<2x2xf32>
  return %t : tensor<2x2xf32>
}

// -----

// CHECK-LABEL: func.func @concat_consts
// CHECK-DAG: tfg.const dense<{{\[\[}}1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00], [5.000000e+00, 6.000000e+00]]> : tensor<3x2xf32>
// CHECK-DAG: tfg.const dense<{{\[\[}}1.000000e+00, 2.000000e+00, 5.000000e+00, 6.000000e+00], [3.000000e+00, 4.000000e+00, 5.000000e+00, 6.000000e+00]]> : tensor<2x4xf32>
// CHECK-NOT: tfg.concat
func.func @concat_consts() -> (tensor<3x2xf32>, tensor<2x4xf32>) {
  %a = tfg.const dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %b = tfg.const dense<[[5.0, 6.0]]> : tensor<1x2xf32>
  %bb = tfg.const dense<[[5.0, 6.0], [5.0, 6.0]]> : tensor<2x2xf32>
  %c0 = tfg.concat %a, %b {axis = 0 : i64} : (tensor<2x2xf32>, tensor<1x2xf32>) -> tensor<3x2xf32>
  %c1 = tfg.concat %a, %bb {axis = -1 : i64} : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x4xf32>
  return %c0, %c1 : tensor<3x2xf32>, tensor<2x4xf32>
}

// -----

// Constant, reflect (NumPy "reflect": the edge is not repeated) and edge
// padding of [1, 2, 3]; a negative pad crops.
// CHECK-LABEL: func.func @pad_consts
// CHECK-DAG: tfg.const dense<[7.000000e+00, 1.000000e+00, 2.000000e+00, 3.000000e+00, 7.000000e+00, 7.000000e+00]> : tensor<6xf32>
// CHECK-DAG: tfg.const dense<[3.000000e+00, 2.000000e+00, 1.000000e+00, 2.000000e+00, 3.000000e+00, 2.000000e+00]> : tensor<6xf32>
// CHECK-DAG: tfg.const dense<[1.000000e+00, 1.000000e+00, 2.000000e+00, 3.000000e+00, 3.000000e+00]> : tensor<5xf32>
// CHECK-DAG: tfg.const dense<[2.000000e+00, 3.000000e+00, 0.000000e+00]> : tensor<3xf32>
// CHECK-NOT: tfg.pad
func.func @pad_consts() -> (tensor<6xf32>, tensor<6xf32>, tensor<5xf32>, tensor<3xf32>) {
  %c = tfg.const dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %p0 = tfg.pad %c {pads = array<i64: 1, 2>, value = 7.0 : f32} : (tensor<3xf32>) -> tensor<6xf32>
  %p1 = tfg.pad %c {pads = array<i64: 2, 1>, mode = #tfg.pad_mode<reflect>} : (tensor<3xf32>) -> tensor<6xf32>
  %p2 = tfg.pad %c {pads = array<i64: 1, 1>, mode = #tfg.pad_mode<edge>} : (tensor<3xf32>) -> tensor<5xf32>
  %p3 = tfg.pad %c {pads = array<i64: -1, 1>} : (tensor<3xf32>) -> tensor<3xf32>
  return %p0, %p1, %p2, %p3 : tensor<6xf32>, tensor<6xf32>, tensor<5xf32>, tensor<3xf32>
}

// -----

// No-op forms fold to their input even when it is not a constant.
// CHECK-LABEL: func.func @noop_forms
// CHECK-NEXT: %[[R:.*]] = tfg.relu %arg0
// CHECK-NEXT: return %[[R]]
func.func @noop_forms(%x: tensor<1x2x2x3xf32>) -> tensor<1x2x2x3xf32> {
  %t = tfg.transpose %x {perm = array<i64: 0, 1, 2, 3>} : (tensor<1x2x2x3xf32>) -> tensor<1x2x2x3xf32>
  %p = tfg.pad %t {pads = array<i64: 0, 0, 0, 0, 0, 0, 0, 0>} : (tensor<1x2x2x3xf32>) -> tensor<1x2x2x3xf32>
  %r = tfg.reshape %p : (tensor<1x2x2x3xf32>) -> tensor<1x2x2x3xf32>
  %c = tfg.concat %r {axis = 3 : i64} : (tensor<1x2x2x3xf32>) -> tensor<1x2x2x3xf32>
  %y = tfg.relu %c : tensor<1x2x2x3xf32>
  return %y : tensor<1x2x2x3xf32>
}

// -----

// Not constant: nothing folds.
// CHECK-LABEL: func.func @not_constant
// CHECK: tfg.transpose %arg0
// CHECK: tfg.add %arg0
// CHECK: tfg.concat %arg0
// CHECK: tfg.pad %arg0
func.func @not_constant(%x: tensor<2x2xf32>) -> (tensor<2x2xf32>, tensor<2x2xf32>, tensor<4x2xf32>, tensor<4x2xf32>) {
  %c = tfg.const dense<1.0> : tensor<2x2xf32>
  %t = tfg.transpose %x {perm = array<i64: 1, 0>} : (tensor<2x2xf32>) -> tensor<2x2xf32>
  %a = tfg.add %x, %c : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %k = tfg.concat %x, %c {axis = 0 : i64} : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<4x2xf32>
  %p = tfg.pad %x {pads = array<i64: 1, 0, 1, 0>} : (tensor<2x2xf32>) -> tensor<4x2xf32>
  return %t, %a, %k, %p : tensor<2x2xf32>, tensor<2x2xf32>, tensor<4x2xf32>, tensor<4x2xf32>
}

// -----

// A reshape to a type with an unknown dimension cannot become a constant.
// CHECK-LABEL: func.func @dynamic_result
// CHECK: tfg.reshape
func.func @dynamic_result() -> tensor<?x2xf32> {
  %c = tfg.const dense<1.0> : tensor<4xf32>
  %r = tfg.reshape %c : (tensor<4xf32>) -> tensor<?x2xf32>
  return %r : tensor<?x2xf32>
}

// -----

// Above 65536 elements a constant is folded only when its input dies with
// it: a weight used both as it is and transposed is not duplicated.
// CHECK-LABEL: func.func @size_limit
// CHECK-DAG: %[[BIG:.*]] = tfg.const dense<1.000000e+00> : tensor<256x257xf32>
// CHECK-DAG: %[[T:.*]] = tfg.transpose %[[BIG]]
// CHECK-DAG: %[[ALONE:.*]] = tfg.const dense<2.000000e+00> : tensor<257x256xf32>
// CHECK: return %[[BIG]], %[[T]], %[[ALONE]]
func.func @size_limit() -> (tensor<256x257xf32>, tensor<257x256xf32>, tensor<257x256xf32>) {
  %big = tfg.const dense<1.0> : tensor<256x257xf32>
  %t = tfg.transpose %big {perm = array<i64: 1, 0>} : (tensor<256x257xf32>) -> tensor<257x256xf32>
  %alone = tfg.const dense<2.0> : tensor<256x257xf32>
  %t2 = tfg.transpose %alone {perm = array<i64: 1, 0>} : (tensor<256x257xf32>) -> tensor<257x256xf32>
  return %big, %t, %t2 : tensor<256x257xf32>, tensor<257x256xf32>, tensor<257x256xf32>
}

// -----

// A constant with quantization hints is not folded: its hint axis would no
// longer describe the transposed data.
// CHECK-LABEL: func.func @hinted_const
// CHECK: %[[W:.*]] = tfg.const {{.*}}quant.hint_axis = 1 : i64
// CHECK: tfg.transpose %[[W]]
func.func @hinted_const() -> tensor<2x1xf32> {
  %w = tfg.const dense<[[1.0, 2.0]]> : tensor<1x2xf32> {quant.hint_axis = 1 : i64, quant.hint_scale = dense<[0.5, 0.25]> : tensor<2xf32>, quant.hint_zero_point = dense<0> : tensor<2xsi8>}
  %t = tfg.transpose %w {perm = array<i64: 1, 0>} : (tensor<1x2xf32>) -> tensor<2x1xf32>
  return %t : tensor<2x1xf32>
}

// -----

// Dead ops go; an unused argument stays (the signature is the model's).
// CHECK-LABEL: func.func @dead_code
// CHECK-SAME: (%arg0: tensor<1x4x4x1xf32>, %arg1: tensor<1x4xf32>)
// CHECK-NEXT: %[[R:.*]] = tfg.relu %arg0
// CHECK-NEXT: return %[[R]]
func.func @dead_code(%x: tensor<1x4x4x1xf32>, %unused: tensor<1x4xf32>) -> tensor<1x4x4x1xf32> {
  %w = tfg.const dense<1.0> : tensor<1x1x1x2xf32>
  %c = tfg.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x4x4x1xf32>, tensor<1x1x1x2xf32>) -> tensor<1x4x4x2xf32>
  %s = tfg.sigmoid %c : tensor<1x4x4x2xf32>
  %r = tfg.relu %x : tensor<1x4x4x1xf32>
  return %r : tensor<1x4x4x1xf32>
}

// -----

// tfg.node is a framework node of unknown effect: kept even when its result
// is unused, and so is what it reads. An identity before it is bypassed.
// CHECK-LABEL: func.func @node_untouched
// CHECK-NEXT: %[[R:.*]] = tfg.relu %arg0
// CHECK-NEXT: %{{.*}} = tfg.node "tf" "SaveV2"(%arg0, %[[R]]) {attrs = {T = "DT_FLOAT"}}
// CHECK-NEXT: %[[SIN:.*]] = tfg.node "tf" "Sin"(%arg0)
// CHECK-NEXT: return %[[SIN]]
func.func @node_untouched(%x: tensor<4xf32>) -> tensor<4xf32> {
  %r = tfg.relu %x : tensor<4xf32>
  %i = tfg.identity %x : tensor<4xf32>
  %save = tfg.node "tf" "SaveV2" (%i, %r) {attrs = {T = "DT_FLOAT"}} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %sin = tfg.node "tf" "Sin" (%i) : (tensor<4xf32>) -> tensor<4xf32>
  return %sin : tensor<4xf32>
}
