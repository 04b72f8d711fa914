// RUN: vai-opt %s | FileCheck %s
// RUN: vai-opt %s | vai-opt | FileCheck %s
// RUN: vai-opt %s -mlir-print-op-generic | vai-opt | FileCheck %s

// Round trips of every tfg op and attribute form: custom form, custom form
// printed and parsed again, and generic form parsed back into custom form.

// CHECK-LABEL: func.func @const_splat(
func.func @const_splat() -> tensor<3x3x1x8xf32> {
  // CHECK: %[[WEIGHTS:.*]] = tfg.const dense<1.000000e+00> : tensor<3x3x1x8xf32>
  // CHECK: return %[[WEIGHTS]] : tensor<3x3x1x8xf32>
  %w = tfg.const dense<1.0> : tensor<3x3x1x8xf32> loc("conv1/weights")
  return %w : tensor<3x3x1x8xf32>
}

// CHECK-LABEL: func.func @const_dense(
func.func @const_dense() -> tensor<2x2xf32> {
  // CHECK: %[[VALUES:.*]] = tfg.const dense<{{\[\[}}1.000000e+00, -2.500000e+00], [0.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>
  // CHECK: return %[[VALUES]]
  %c = tfg.const dense<[[1.0, -2.5], [0.0, 4.0]]> : tensor<2x2xf32>
  return %c : tensor<2x2xf32>
}

// CHECK-LABEL: func.func @identity(
// CHECK-SAME: %[[INPUT:.*]]: tensor<?x10xf32>)
func.func @identity(%x: tensor<?x10xf32>) -> tensor<?x10xf32> {
  // CHECK: %[[OUT:.*]] = tfg.identity %[[INPUT]] : tensor<?x10xf32>
  // CHECK: return %[[OUT]]
  %y = tfg.identity %x : tensor<?x10xf32>
  return %y : tensor<?x10xf32>
}

// Bias present, activation relu.
// CHECK-LABEL: func.func @conv2d_bias_relu(
// CHECK-SAME: %[[INPUT:.*]]: tensor<?x28x28x1xf32>, %[[FILTER:.*]]: tensor<3x3x1x8xf32>, %[[BIAS:.*]]: tensor<8xf32>)
func.func @conv2d_bias_relu(%x: tensor<?x28x28x1xf32>, %w: tensor<3x3x1x8xf32>,
                            %b: tensor<8xf32>) -> tensor<?x28x28x8xf32> {
  // CHECK: %[[OUT:.*]] = tfg.conv2d %[[INPUT]], %[[FILTER]], %[[BIAS]] {activation = #tfg.activation<relu>, dilations = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<?x28x28x1xf32>, tensor<3x3x1x8xf32>, tensor<8xf32>) -> tensor<?x28x28x8xf32>
  // CHECK: return %[[OUT]]
  %y = tfg.conv2d %x, %w, %b {strides = array<i64: 1, 1>,
         dilations = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>,
         activation = #tfg.activation<relu>}
       : (tensor<?x28x28x1xf32>, tensor<3x3x1x8xf32>, tensor<8xf32>)
       -> tensor<?x28x28x8xf32>
  return %y : tensor<?x28x28x8xf32>
}

// Bias absent, default activation (none) elided, stride 2 and dilation 2.
// CHECK-LABEL: func.func @conv2d_no_bias(
// CHECK-SAME: %[[INPUT:.*]]: tensor<1x32x32x3xf32>, %[[FILTER:.*]]: tensor<3x3x3x16xf32>)
func.func @conv2d_no_bias(%x: tensor<1x32x32x3xf32>, %w: tensor<3x3x3x16xf32>)
    -> tensor<1x14x14x16xf32> {
  // CHECK: %[[OUT:.*]] = tfg.conv2d %[[INPUT]], %[[FILTER]] {dilations = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x32x32x3xf32>, tensor<3x3x3x16xf32>) -> tensor<1x14x14x16xf32>
  // CHECK: return %[[OUT]]
  %y = tfg.conv2d %x, %w {strides = array<i64: 2, 2>,
         dilations = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>}
       : (tensor<1x32x32x3xf32>, tensor<3x3x3x16xf32>) -> tensor<1x14x14x16xf32>
  return %y : tensor<1x14x14x16xf32>
}

// The remaining activation values; an explicit `none` is the default and is
// not printed.
// CHECK-LABEL: func.func @conv2d_activations(
// CHECK-SAME: %[[INPUT:.*]]: tensor<?x4x4x2xf32>, %[[FILTER:.*]]: tensor<1x1x2x2xf32>)
func.func @conv2d_activations(%x: tensor<?x4x4x2xf32>, %w: tensor<1x1x2x2xf32>)
    -> (tensor<?x4x4x2xf32>, tensor<?x4x4x2xf32>, tensor<?x4x4x2xf32>) {
  // CHECK: %[[RELU6:.*]] = tfg.conv2d %[[INPUT]], %[[FILTER]] {activation = #tfg.activation<relu6>,
  // CHECK: %[[LEAKY:.*]] = tfg.conv2d %[[INPUT]], %[[FILTER]] {activation = #tfg.activation<leaky_relu>,
  // CHECK: %[[NONE:.*]] = tfg.conv2d %[[INPUT]], %[[FILTER]] {dilations = array<i64: 1, 1>,
  // CHECK: return %[[RELU6]], %[[LEAKY]], %[[NONE]]
  %a = tfg.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>,
         pad = array<i64: 0, 0, 0, 0>, activation = #tfg.activation<relu6>}
       : (tensor<?x4x4x2xf32>, tensor<1x1x2x2xf32>) -> tensor<?x4x4x2xf32>
  %b = tfg.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>,
         pad = array<i64: 0, 0, 0, 0>, activation = #tfg.activation<leaky_relu>}
       : (tensor<?x4x4x2xf32>, tensor<1x1x2x2xf32>) -> tensor<?x4x4x2xf32>
  %c = tfg.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>,
         pad = array<i64: 0, 0, 0, 0>, activation = #tfg.activation<none>}
       : (tensor<?x4x4x2xf32>, tensor<1x1x2x2xf32>) -> tensor<?x4x4x2xf32>
  return %a, %b, %c : tensor<?x4x4x2xf32>, tensor<?x4x4x2xf32>, tensor<?x4x4x2xf32>
}

// CHECK-LABEL: func.func @bias_add(
// CHECK-SAME: %[[INPUT:.*]]: tensor<?x10xf32>, %[[BIAS:.*]]: tensor<10xf32>)
func.func @bias_add(%x: tensor<?x10xf32>, %b: tensor<10xf32>) -> tensor<?x10xf32> {
  // CHECK: %[[OUT:.*]] = tfg.bias_add %[[INPUT]], %[[BIAS]] : (tensor<?x10xf32>, tensor<10xf32>) -> tensor<?x10xf32>
  // CHECK: return %[[OUT]]
  %y = tfg.bias_add %x, %b : (tensor<?x10xf32>, tensor<10xf32>) -> tensor<?x10xf32>
  return %y : tensor<?x10xf32>
}

// CHECK-LABEL: func.func @fused_batch_norm(
// CHECK-SAME: %[[INPUT:.*]]: tensor<?x28x28x8xf32>, %[[SCALE:.*]]: tensor<8xf32>, %[[OFFSET:.*]]: tensor<8xf32>, %[[MEAN:.*]]: tensor<8xf32>, %[[VARIANCE:.*]]: tensor<8xf32>)
func.func @fused_batch_norm(%x: tensor<?x28x28x8xf32>, %scale: tensor<8xf32>,
                            %offset: tensor<8xf32>, %mean: tensor<8xf32>,
                            %var: tensor<8xf32>) -> tensor<?x28x28x8xf32> {
  // CHECK: %[[OUT:.*]] = tfg.fused_batch_norm %[[INPUT]], %[[SCALE]], %[[OFFSET]], %[[MEAN]], %[[VARIANCE]] {epsilon = 1.000000e-03 : f32} : (tensor<?x28x28x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<?x28x28x8xf32>
  // CHECK: return %[[OUT]]
  %y = tfg.fused_batch_norm %x, %scale, %offset, %mean, %var {epsilon = 1.0e-3 : f32}
       : (tensor<?x28x28x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>,
          tensor<8xf32>) -> tensor<?x28x28x8xf32>
  return %y : tensor<?x28x28x8xf32>
}

// CHECK-LABEL: func.func @relu_relu6(
// CHECK-SAME: %[[INPUT:.*]]: tensor<?x28x28x8xf32>)
func.func @relu_relu6(%x: tensor<?x28x28x8xf32>) -> tensor<?x28x28x8xf32> {
  // CHECK: %[[RELU:.*]] = tfg.relu %[[INPUT]] : tensor<?x28x28x8xf32>
  // CHECK: %[[RELU6:.*]] = tfg.relu6 %[[RELU]] : tensor<?x28x28x8xf32>
  // CHECK: return %[[RELU6]]
  %r = tfg.relu %x : tensor<?x28x28x8xf32>
  %r6 = tfg.relu6 %r : tensor<?x28x28x8xf32>
  return %r6 : tensor<?x28x28x8xf32>
}

// CHECK-LABEL: func.func @max_pool(
// CHECK-SAME: %[[INPUT:.*]]: tensor<?x28x28x8xf32>)
func.func @max_pool(%x: tensor<?x28x28x8xf32>) -> tensor<?x14x14x8xf32> {
  // CHECK: %[[OUT:.*]] = tfg.max_pool %[[INPUT]] {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<?x28x28x8xf32>) -> tensor<?x14x14x8xf32>
  // CHECK: return %[[OUT]]
  %y = tfg.max_pool %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>,
                        pad = array<i64: 0, 0, 0, 0>}
       : (tensor<?x28x28x8xf32>) -> tensor<?x14x14x8xf32>
  return %y : tensor<?x14x14x8xf32>
}

// Padded average pooling; the pad is smaller than the kernel.
// CHECK-LABEL: func.func @avg_pool(
// CHECK-SAME: %[[INPUT:.*]]: tensor<1x7x7x4xf32>)
func.func @avg_pool(%x: tensor<1x7x7x4xf32>) -> tensor<1x4x4x4xf32> {
  // CHECK: %[[OUT:.*]] = tfg.avg_pool %[[INPUT]] {kernel = array<i64: 3, 3>, pad = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x7x7x4xf32>) -> tensor<1x4x4x4xf32>
  // CHECK: return %[[OUT]]
  %y = tfg.avg_pool %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>,
                        pad = array<i64: 1, 1, 1, 1>}
       : (tensor<1x7x7x4xf32>) -> tensor<1x4x4x4xf32>
  return %y : tensor<1x4x4x4xf32>
}

// CHECK-LABEL: func.func @mean(
// CHECK-SAME: %[[INPUT:.*]]: tensor<?x14x14x16xf32>)
func.func @mean(%x: tensor<?x14x14x16xf32>)
    -> (tensor<?x16xf32>, tensor<?x1x1x16xf32>) {
  // CHECK: %[[DROPPED:.*]] = tfg.mean %[[INPUT]] {axes = array<i64: 1, 2>, keep_dims = false} : (tensor<?x14x14x16xf32>) -> tensor<?x16xf32>
  // CHECK: %[[KEPT:.*]] = tfg.mean %[[INPUT]] {axes = array<i64: -3, -2>, keep_dims = true} : (tensor<?x14x14x16xf32>) -> tensor<?x1x1x16xf32>
  // CHECK: return %[[DROPPED]], %[[KEPT]]
  %a = tfg.mean %x {axes = array<i64: 1, 2>, keep_dims = false}
       : (tensor<?x14x14x16xf32>) -> tensor<?x16xf32>
  %b = tfg.mean %x {axes = array<i64: -3, -2>, keep_dims = true}
       : (tensor<?x14x14x16xf32>) -> tensor<?x1x1x16xf32>
  return %a, %b : tensor<?x16xf32>, tensor<?x1x1x16xf32>
}

// Default transposes (false) are not printed; bias absent.
// CHECK-LABEL: func.func @matmul(
// CHECK-SAME: %[[INPUT:.*]]: tensor<?x16xf32>, %[[WEIGHTS:.*]]: tensor<16x10xf32>)
func.func @matmul(%x: tensor<?x16xf32>, %w: tensor<16x10xf32>) -> tensor<?x10xf32> {
  // CHECK: %[[OUT:.*]] = tfg.matmul %[[INPUT]], %[[WEIGHTS]] : (tensor<?x16xf32>, tensor<16x10xf32>) -> tensor<?x10xf32>
  // CHECK: return %[[OUT]]
  %y = tfg.matmul %x, %w {transpose_a = false, transpose_b = false}
       : (tensor<?x16xf32>, tensor<16x10xf32>) -> tensor<?x10xf32>
  return %y : tensor<?x10xf32>
}

// Transposed operands, bias present and a fused activation.
// CHECK-LABEL: func.func @matmul_transposed_bias(
// CHECK-SAME: %[[INPUT:.*]]: tensor<16x4xf32>, %[[WEIGHTS:.*]]: tensor<10x16xf32>, %[[BIAS:.*]]: tensor<10xf32>)
func.func @matmul_transposed_bias(%x: tensor<16x4xf32>, %w: tensor<10x16xf32>,
                                  %b: tensor<10xf32>) -> tensor<4x10xf32> {
  // CHECK: %[[OUT:.*]] = tfg.matmul %[[INPUT]], %[[WEIGHTS]], %[[BIAS]] {activation = #tfg.activation<relu6>, transpose_a = true, transpose_b = true} : (tensor<16x4xf32>, tensor<10x16xf32>, tensor<10xf32>) -> tensor<4x10xf32>
  // CHECK: return %[[OUT]]
  %y = tfg.matmul %x, %w, %b {transpose_a = true, transpose_b = true,
                              activation = #tfg.activation<relu6>}
       : (tensor<16x4xf32>, tensor<10x16xf32>, tensor<10xf32>) -> tensor<4x10xf32>
  return %y : tensor<4x10xf32>
}

// Same shapes, and NumPy broadcasting of a lower-rank operand.
// CHECK-LABEL: func.func @add(
// CHECK-SAME: %[[LHS:.*]]: tensor<?x14x14x16xf32>, %[[RHS:.*]]: tensor<?x14x14x16xf32>, %[[ROW:.*]]: tensor<1x16xf32>)
func.func @add(%a: tensor<?x14x14x16xf32>, %b: tensor<?x14x14x16xf32>,
               %c: tensor<1x16xf32>) -> tensor<?x14x14x16xf32> {
  // CHECK: %[[SUM:.*]] = tfg.add %[[LHS]], %[[RHS]] : (tensor<?x14x14x16xf32>, tensor<?x14x14x16xf32>) -> tensor<?x14x14x16xf32>
  // CHECK: %[[BROADCAST:.*]] = tfg.add %[[SUM]], %[[ROW]] : (tensor<?x14x14x16xf32>, tensor<1x16xf32>) -> tensor<?x14x14x16xf32>
  // CHECK: return %[[BROADCAST]]
  %s = tfg.add %a, %b : (tensor<?x14x14x16xf32>, tensor<?x14x14x16xf32>)
       -> tensor<?x14x14x16xf32>
  %t = tfg.add %s, %c : (tensor<?x14x14x16xf32>, tensor<1x16xf32>)
       -> tensor<?x14x14x16xf32>
  return %t : tensor<?x14x14x16xf32>
}
