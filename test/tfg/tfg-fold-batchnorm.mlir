// RUN: vai-opt %s -split-input-file -tfg-fold-batchnorm -verify-diagnostics | FileCheck %s
// RUN: vai-opt %s -split-input-file -tfg-fold-batchnorm="scale-offset=false" 2>/dev/null | FileCheck %s --check-prefix=KEEP

// Per channel: factor = scale / sqrt(var + eps) = 4 / sqrt(3 + 1) = 2,
// weights 0.5 * 2 = 1, bias (0 - mean) * 2 + offset = -0.5 + 1 = 0.5.
// CHECK-LABEL: func.func @conv_bn
// CHECK-DAG: %[[WEIGHTS:.*]] = tfg.const dense<1.000000e+00> : tensor<3x3x2x4xf32>
// CHECK-DAG: %[[BIAS:.*]] = tfg.const dense<5.000000e-01> : tensor<4xf32>
// CHECK: %[[CONV:.*]] = tfg.conv2d %arg0, %[[WEIGHTS]], %[[BIAS]]
// CHECK-NOT: tfg.fused_batch_norm
// CHECK: return %[[CONV]]
func.func @conv_bn(%x: tensor<?x8x8x2xf32>) -> tensor<?x8x8x4xf32> {
  %w = tfg.const dense<0.5> : tensor<3x3x2x4xf32>
  %scale = tfg.const dense<4.0> : tensor<4xf32>
  %offset = tfg.const dense<1.0> : tensor<4xf32>
  %mean = tfg.const dense<0.25> : tensor<4xf32>
  %var = tfg.const dense<3.0> : tensor<4xf32>
  %c = tfg.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>} : (tensor<?x8x8x2xf32>, tensor<3x3x2x4xf32>) -> tensor<?x8x8x4xf32>
  %b = tfg.fused_batch_norm %c, %scale, %offset, %mean, %var {epsilon = 1.0 : f32} : (tensor<?x8x8x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<?x8x8x4xf32>
  return %b : tensor<?x8x8x4xf32>
}

// -----

// A bias_add between conv and batch norm folds through: channel c has bias
// c, scale c+1, var 0, eps 1, so factor = c+1 and bias' = c*(c+1) + 1.
// CHECK-LABEL: func.func @conv_biasadd_bn
// CHECK-DAG: tfg.const dense<[1.000000e+00, 3.000000e+00, 7.000000e+00]> : tensor<3xf32>
// CHECK-DAG: tfg.const dense<{{\[}}{{\[}}{{\[}}{{\[}}1.000000e+00, 2.000000e+00, 3.000000e+00]]]]> : tensor<1x1x1x3xf32>
// CHECK-NOT: tfg.bias_add
// CHECK-NOT: tfg.fused_batch_norm
func.func @conv_biasadd_bn(%x: tensor<1x4x4x1xf32>) -> tensor<1x4x4x3xf32> {
  %w = tfg.const dense<1.0> : tensor<1x1x1x3xf32>
  %bias = tfg.const dense<[0.0, 1.0, 2.0]> : tensor<3xf32>
  %scale = tfg.const dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %offset = tfg.const dense<1.0> : tensor<3xf32>
  %mean = tfg.const dense<0.0> : tensor<3xf32>
  %var = tfg.const dense<0.0> : tensor<3xf32>
  %c = tfg.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x4x4x1xf32>, tensor<1x1x1x3xf32>) -> tensor<1x4x4x3xf32>
  %a = tfg.bias_add %c, %bias : (tensor<1x4x4x3xf32>, tensor<3xf32>) -> tensor<1x4x4x3xf32>
  %b = tfg.fused_batch_norm %a, %scale, %offset, %mean, %var {epsilon = 1.0 : f32} : (tensor<1x4x4x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x4x4x3xf32>
  return %b : tensor<1x4x4x3xf32>
}

// -----

// MatMul output channels are the columns of b: column j scales by j+1.
// CHECK-LABEL: func.func @matmul_bn
// CHECK-DAG: tfg.const dense<{{\[}}[1.000000e+00, 2.000000e+00], [1.000000e+00, 2.000000e+00]]> : tensor<2x2xf32>
// CHECK: tfg.matmul %arg0, %{{.*}}, %{{.*}} :
// CHECK-NOT: tfg.fused_batch_norm
func.func @matmul_bn(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %w = tfg.const dense<1.0> : tensor<2x2xf32>
  %scale = tfg.const dense<[1.0, 2.0]> : tensor<2xf32>
  %offset = tfg.const dense<0.0> : tensor<2xf32>
  %mean = tfg.const dense<0.0> : tensor<2xf32>
  %var = tfg.const dense<1.0> : tensor<2xf32>
  %m = tfg.matmul %x, %w : (tensor<?x2xf32>, tensor<2x2xf32>) -> tensor<?x2xf32>
  %b = tfg.fused_batch_norm %m, %scale, %offset, %mean, %var {epsilon = 0.0 : f32} : (tensor<?x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<?x2xf32>
  return %b : tensor<?x2xf32>
}


// -----

// The producer's own bias and a bias_add both go through: channel c has
// conv bias 1, bias_add c, scale 2, mean 1, var 3, eps 1, offset 0, so
// factor = 1 and bias' = 1 + c - 1 = c.
// CHECK-LABEL: func.func @conv_bias_biasadd_bn
// CHECK-DAG: tfg.const dense<[0.000000e+00, 1.000000e+00]> : tensor<2xf32>
// CHECK-NOT: tfg.bias_add
// CHECK-NOT: tfg.fused_batch_norm
func.func @conv_bias_biasadd_bn(%x: tensor<1x4x4x1xf32>) -> tensor<1x4x4x2xf32> {
  %w = tfg.const dense<1.0> : tensor<1x1x1x2xf32>
  %b0 = tfg.const dense<1.0> : tensor<2xf32>
  %bias = tfg.const dense<[0.0, 1.0]> : tensor<2xf32>
  %scale = tfg.const dense<2.0> : tensor<2xf32>
  %offset = tfg.const dense<0.0> : tensor<2xf32>
  %mean = tfg.const dense<1.0> : tensor<2xf32>
  %var = tfg.const dense<3.0> : tensor<2xf32>
  %c = tfg.conv2d %x, %w, %b0 {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x4x4x1xf32>, tensor<1x1x1x2xf32>, tensor<2xf32>) -> tensor<1x4x4x2xf32>
  %a = tfg.bias_add %c, %bias : (tensor<1x4x4x2xf32>, tensor<2xf32>) -> tensor<1x4x4x2xf32>
  %b = tfg.fused_batch_norm %a, %scale, %offset, %mean, %var {epsilon = 1.0 : f32} : (tensor<1x4x4x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x4x4x2xf32>
  return %b : tensor<1x4x4x2xf32>
}

// -----

// Depthwise filter [kh, kw, C = 2, M = 2]: output channel c * M + m scales
// by c * M + m + 1, so the ones become [[1, 2], [3, 4]] (not [[1, 3],
// [2, 4]], the m * C + c order).
// CHECK-LABEL: func.func @depthwise_bn
// CHECK-DAG: %[[WEIGHTS:.*]] = tfg.const dense<{{\[}}{{\[}}{{\[}}[1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]]]> : tensor<1x1x2x2xf32>
// CHECK-DAG: %[[BIAS:.*]] = tfg.const dense<[5.000000e-01, 0.000000e+00, -5.000000e-01, -1.000000e+00]> : tensor<4xf32>
// CHECK: %[[DW:.*]] = tfg.depthwise_conv2d %arg0, %[[WEIGHTS]], %[[BIAS]]
// CHECK-NOT: tfg.fused_batch_norm
// CHECK: return %[[DW]]
func.func @depthwise_bn(%x: tensor<?x4x4x2xf32>) -> tensor<?x4x4x4xf32> {
  %w = tfg.const dense<1.0> : tensor<1x1x2x2xf32>
  %scale = tfg.const dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %offset = tfg.const dense<1.0> : tensor<4xf32>
  %mean = tfg.const dense<0.5> : tensor<4xf32>
  %var = tfg.const dense<0.0> : tensor<4xf32>
  %d = tfg.depthwise_conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<?x4x4x2xf32>, tensor<1x1x2x2xf32>) -> tensor<?x4x4x4xf32>
  %b = tfg.fused_batch_norm %d, %scale, %offset, %mean, %var {epsilon = 1.0 : f32} : (tensor<?x4x4x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<?x4x4x4xf32>
  return %b : tensor<?x4x4x4xf32>
}

// -----

// Transposed conv filter [kh, kw, out = 2, in = 3]: dimension 2 is the
// output channel, scaled by 2 and 3; its bias 1 becomes 1 * s.
// CHECK-LABEL: func.func @conv_transpose_bn
// CHECK-DAG: %[[WEIGHTS:.*]] = tfg.const dense<{{\[}}{{\[}}{{\[}}[2.000000e+00, 2.000000e+00, 2.000000e+00], [3.000000e+00, 3.000000e+00, 3.000000e+00]]]]> : tensor<1x1x2x3xf32>
// CHECK-DAG: %[[BIAS:.*]] = tfg.const dense<[2.000000e+00, 3.000000e+00]> : tensor<2xf32>
// CHECK: %[[CT:.*]] = tfg.conv2d_transpose %arg0, %[[WEIGHTS]], %[[BIAS]]
// CHECK-NOT: tfg.fused_batch_norm
// CHECK: return %[[CT]]
func.func @conv_transpose_bn(%x: tensor<1x2x2x3xf32>) -> tensor<1x3x3x2xf32> {
  %w = tfg.const dense<1.0> : tensor<1x1x2x3xf32>
  %b0 = tfg.const dense<1.0> : tensor<2xf32>
  %scale = tfg.const dense<[2.0, 3.0]> : tensor<2xf32>
  %offset = tfg.const dense<0.0> : tensor<2xf32>
  %mean = tfg.const dense<0.0> : tensor<2xf32>
  %var = tfg.const dense<1.0> : tensor<2xf32>
  %t = tfg.conv2d_transpose %x, %w, %b0 {strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x2x2x3xf32>, tensor<1x1x2x3xf32>, tensor<2xf32>) -> tensor<1x3x3x2xf32>
  %b = tfg.fused_batch_norm %t, %scale, %offset, %mean, %var {epsilon = 0.0 : f32} : (tensor<1x3x3x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x3x3x2xf32>
  return %b : tensor<1x3x3x2xf32>
}

// -----

// With transpose_b, b is [N = 2, K = 3]: row n scales by n + 1.
// CHECK-LABEL: func.func @matmul_transpose_b_bn
// CHECK-DAG: tfg.const dense<{{\[}}[1.000000e+00, 1.000000e+00, 1.000000e+00], [2.000000e+00, 2.000000e+00, 2.000000e+00]]> : tensor<2x3xf32>
// CHECK: tfg.matmul %arg0, %{{.*}}, %{{.*}} {transpose_b = true}
// CHECK-NOT: tfg.fused_batch_norm
func.func @matmul_transpose_b_bn(%x: tensor<?x3xf32>) -> tensor<?x2xf32> {
  %w = tfg.const dense<1.0> : tensor<2x3xf32>
  %scale = tfg.const dense<[1.0, 2.0]> : tensor<2xf32>
  %offset = tfg.const dense<0.0> : tensor<2xf32>
  %mean = tfg.const dense<0.0> : tensor<2xf32>
  %var = tfg.const dense<1.0> : tensor<2xf32>
  %m = tfg.matmul %x, %w {transpose_b = true} : (tensor<?x3xf32>, tensor<2x3xf32>) -> tensor<?x2xf32>
  %b = tfg.fused_batch_norm %m, %scale, %offset, %mean, %var {epsilon = 0.0 : f32} : (tensor<?x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<?x2xf32>
  return %b : tensor<?x2xf32>
}

// -----

// Epsilon pre-folded into the variance (eps = 0): factor = 1 / sqrt(var)
// exactly, 1/2 and 2.
// CHECK-LABEL: func.func @epsilon_zero
// CHECK-DAG: tfg.const dense<{{\[}}[5.000000e-01, 2.000000e+00]]> : tensor<1x2xf32>
// CHECK-NOT: tfg.fused_batch_norm
func.func @epsilon_zero(%x: tensor<?x1xf32>) -> tensor<?x2xf32> {
  %w = tfg.const dense<1.0> : tensor<1x2xf32>
  %scale = tfg.const dense<1.0> : tensor<2xf32>
  %offset = tfg.const dense<0.0> : tensor<2xf32>
  %mean = tfg.const dense<0.0> : tensor<2xf32>
  %var = tfg.const dense<[4.0, 0.25]> : tensor<2xf32>
  %m = tfg.matmul %x, %w : (tensor<?x1xf32>, tensor<1x2xf32>) -> tensor<?x2xf32>
  %b = tfg.fused_batch_norm %m, %scale, %offset, %mean, %var {epsilon = 0.0 : f32} : (tensor<?x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<?x2xf32>
  return %b : tensor<?x2xf32>
}

// -----

// Keras' epsilon 1e-3 used as given: var 0 gives 1 / sqrt(1e-3) =
// 31.622776 (NumPy, f32 epsilon widened to double), var 0.999 gives 1; a
// clamped or default epsilon (1.001e-5) would give 316.06976 and 1.0005.
// CHECK-LABEL: func.func @epsilon_keras
// CHECK-DAG: tfg.const dense<{{\[}}[31.622776{{0*}}, 1.000000e+00]]> : tensor<1x2xf32>
// CHECK-NOT: tfg.fused_batch_norm
func.func @epsilon_keras(%x: tensor<?x1xf32>) -> tensor<?x2xf32> {
  %w = tfg.const dense<1.0> : tensor<1x2xf32>
  %scale = tfg.const dense<1.0> : tensor<2xf32>
  %offset = tfg.const dense<0.0> : tensor<2xf32>
  %mean = tfg.const dense<0.0> : tensor<2xf32>
  %var = tfg.const dense<[0.0, 0.999]> : tensor<2xf32>
  %m = tfg.matmul %x, %w : (tensor<?x1xf32>, tensor<1x2xf32>) -> tensor<?x2xf32>
  %b = tfg.fused_batch_norm %m, %scale, %offset, %mean, %var {epsilon = 1.0e-3 : f32} : (tensor<?x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<?x2xf32>
  return %b : tensor<?x2xf32>
}

// -----

// Two batch norms in a row both fold, whatever order they are visited in:
// factors 2 and 3 give 6.
// CHECK-LABEL: func.func @bn_after_bn
// CHECK-DAG: tfg.const dense<6.000000e+00> : tensor<1x1x1x1xf32>
// CHECK-NOT: tfg.fused_batch_norm
// CHECK-NOT: tfg.mul
func.func @bn_after_bn(%x: tensor<1x4x4x1xf32>) -> tensor<1x4x4x1xf32> {
  %w = tfg.const dense<1.0> : tensor<1x1x1x1xf32>
  %two = tfg.const dense<2.0> : tensor<1xf32>
  %three = tfg.const dense<3.0> : tensor<1xf32>
  %zero = tfg.const dense<0.0> : tensor<1xf32>
  %one = tfg.const dense<1.0> : tensor<1xf32>
  %c = tfg.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x4x4x1xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x1xf32>
  %b1 = tfg.fused_batch_norm %c, %two, %zero, %zero, %one {epsilon = 0.0 : f32} : (tensor<1x4x4x1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x1xf32>
  %b2 = tfg.fused_batch_norm %b1, %three, %zero, %zero, %one {epsilon = 0.0 : f32} : (tensor<1x4x4x1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x1xf32>
  return %b2 : tensor<1x4x4x1xf32>
}

// -----

// No producer to fold into: x * s + t per channel with s = scale /
// sqrt(var + eps) = [4/2, 9/3] and t = offset - mean * s = [1 - 1, -1 - 3].
// With scale-offset=false it stays.
// CHECK-LABEL: func.func @after_add
// CHECK: %[[SUM:.*]] = tfg.add %arg0, %arg0
// CHECK: %[[SCALE:.*]] = tfg.const dense<[2.000000e+00, 3.000000e+00]> : tensor<2xf32>
// CHECK: %[[MUL:.*]] = tfg.mul %[[SUM]], %[[SCALE]] : (tensor<?x2xf32>, tensor<2xf32>) -> tensor<?x2xf32>
// CHECK: %[[SHIFT:.*]] = tfg.const dense<[0.000000e+00, -4.000000e+00]> : tensor<2xf32>
// CHECK: %[[OUT:.*]] = tfg.add %[[MUL]], %[[SHIFT]] : (tensor<?x2xf32>, tensor<2xf32>) -> tensor<?x2xf32>
// CHECK-NOT: tfg.fused_batch_norm
// CHECK: return %[[OUT]]
// KEEP-LABEL: func.func @after_add
// KEEP: tfg.fused_batch_norm
// KEEP-NOT: tfg.mul
func.func @after_add(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %scale = tfg.const dense<[4.0, 9.0]> : tensor<2xf32>
  %offset = tfg.const dense<[1.0, -1.0]> : tensor<2xf32>
  %mean = tfg.const dense<[0.5, 1.0]> : tensor<2xf32>
  %var = tfg.const dense<[3.0, 8.0]> : tensor<2xf32>
  %r = tfg.add %x, %x : (tensor<?x2xf32>, tensor<?x2xf32>) -> tensor<?x2xf32>
  // expected-remark @+1 {{batch norm not folded: its input is not produced by a conv2d, depthwise_conv2d, conv2d_transpose or matmul; applied as a per-channel scale and offset}}
  %b = tfg.fused_batch_norm %r, %scale, %offset, %mean, %var {epsilon = 1.0 : f32} : (tensor<?x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<?x2xf32>
  return %b : tensor<?x2xf32>
}

// -----

// A graph input of rank 4, after a max_pool: the vectors broadcast on the
// last (channel) dimension. Offset only: no mul.
// CHECK-LABEL: func.func @after_pool
// CHECK: %[[POOL:.*]] = tfg.max_pool
// CHECK-NOT: tfg.mul
// CHECK: %[[SHIFT:.*]] = tfg.const dense<[1.000000e+00, 2.000000e+00, 3.000000e+00]> : tensor<3xf32>
// CHECK: %[[OUT:.*]] = tfg.add %[[POOL]], %[[SHIFT]] : (tensor<?x2x2x3xf32>, tensor<3xf32>) -> tensor<?x2x2x3xf32>
// CHECK: return %[[OUT]]
func.func @after_pool(%x: tensor<?x4x4x3xf32>) -> tensor<?x2x2x3xf32> {
  %one = tfg.const dense<1.0> : tensor<3xf32>
  %zero = tfg.const dense<0.0> : tensor<3xf32>
  %offset = tfg.const dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %p = tfg.max_pool %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>} : (tensor<?x4x4x3xf32>) -> tensor<?x2x2x3xf32>
  // expected-remark @+1 {{batch norm not folded: its input is not produced}}
  %b = tfg.fused_batch_norm %p, %one, %offset, %zero, %one {epsilon = 0.0 : f32} : (tensor<?x2x2x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<?x2x2x3xf32>
  return %b : tensor<?x2x2x3xf32>
}

// -----

// After a concat, scale only (offset = mean * s): no add.
// CHECK-LABEL: func.func @after_concat
// CHECK: %[[CAT:.*]] = tfg.concat
// CHECK: %[[SCALE:.*]] = tfg.const dense<5.000000e-01> : tensor<2xf32>
// CHECK: %[[OUT:.*]] = tfg.mul %[[CAT]], %[[SCALE]]
// CHECK-NOT: tfg.add
// CHECK: return %[[OUT]]
func.func @after_concat(%x: tensor<?x1xf32>) -> tensor<?x2xf32> {
  %one = tfg.const dense<1.0> : tensor<2xf32>
  %var = tfg.const dense<4.0> : tensor<2xf32>
  %half = tfg.const dense<0.5> : tensor<2xf32>
  %c = tfg.concat %x, %x {axis = 1 : i64} : (tensor<?x1xf32>, tensor<?x1xf32>) -> tensor<?x2xf32>
  // expected-remark @+1 {{batch norm not folded: its input is not produced}}
  %b = tfg.fused_batch_norm %c, %one, %half, %one, %var {epsilon = 0.0 : f32} : (tensor<?x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<?x2xf32>
  return %b : tensor<?x2xf32>
}

// -----

// The conv's output is also returned: folding would change that result.
// CHECK-LABEL: func.func @shared_producer
// CHECK: %[[CONV:.*]] = tfg.conv2d %arg0, %{{[^,]*}} {
// CHECK: %[[MUL:.*]] = tfg.mul %[[CONV]], %{{.*}}
// CHECK: %[[OUT:.*]] = tfg.add %[[MUL]], %{{.*}}
// CHECK: return %[[OUT]], %[[CONV]]
func.func @shared_producer(%x: tensor<1x4x4x1xf32>) -> (tensor<1x4x4x1xf32>, tensor<1x4x4x1xf32>) {
  %w = tfg.const dense<1.0> : tensor<1x1x1x1xf32>
  %p = tfg.const dense<1.0> : tensor<1xf32>
  %c = tfg.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x4x4x1xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x1xf32>
  // expected-remark @+1 {{batch norm not folded: its producer has other users; applied as a per-channel scale and offset}}
  %b = tfg.fused_batch_norm %c, %p, %p, %p, %p {epsilon = 3.0 : f32} : (tensor<1x4x4x1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x1xf32>
  return %b, %c : tensor<1x4x4x1xf32>, tensor<1x4x4x1xf32>
}

// -----

// A fused activation sits between conv and batch norm: relu(x) * s + t is
// not relu(x * s + t), so the weights stay and a scale/offset follows.
// CHECK-LABEL: func.func @activation_first
// CHECK: %[[CONV:.*]] = tfg.conv2d %arg0, {{.*}}activation = #tfg.activation<relu>
// CHECK: %[[MUL:.*]] = tfg.mul %[[CONV]]
// CHECK: tfg.add %[[MUL]]
func.func @activation_first(%x: tensor<1x4x4x1xf32>) -> tensor<1x4x4x1xf32> {
  %w = tfg.const dense<1.0> : tensor<1x1x1x1xf32>
  %p = tfg.const dense<1.0> : tensor<1xf32>
  %c = tfg.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, activation = #tfg.activation<relu>} : (tensor<1x4x4x1xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x1xf32>
  // expected-remark @+1 {{batch norm not folded: its producer already applies an activation; applied as a per-channel scale and offset}}
  %b = tfg.fused_batch_norm %c, %p, %p, %p, %p {epsilon = 3.0 : f32} : (tensor<1x4x4x1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x1xf32>
  return %b : tensor<1x4x4x1xf32>
}

// -----

// A separate relu op between them: the same.
// CHECK-LABEL: func.func @relu_between
// CHECK: tfg.relu
// CHECK: tfg.mul
// CHECK: tfg.add
func.func @relu_between(%x: tensor<1x4x4x1xf32>) -> tensor<1x4x4x1xf32> {
  %w = tfg.const dense<1.0> : tensor<1x1x1x1xf32>
  %p = tfg.const dense<1.0> : tensor<1xf32>
  %c = tfg.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x4x4x1xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x1xf32>
  %r = tfg.relu %c : tensor<1x4x4x1xf32>
  // expected-remark @+1 {{batch norm not folded: its input is not produced}}
  %b = tfg.fused_batch_norm %r, %p, %p, %p, %p {epsilon = 3.0 : f32} : (tensor<1x4x4x1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x1xf32>
  return %b : tensor<1x4x4x1xf32>
}

// -----

// Statistics that are not constants stay a batch norm.
// CHECK-LABEL: func.func @variable_statistics
// CHECK: tfg.fused_batch_norm
func.func @variable_statistics(%x: tensor<1x4x4x1xf32>, %var: tensor<1xf32>) -> tensor<1x4x4x1xf32> {
  %w = tfg.const dense<1.0> : tensor<1x1x1x1xf32>
  %p = tfg.const dense<1.0> : tensor<1xf32>
  %c = tfg.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x4x4x1xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x1xf32>
  // expected-remark @+1 {{batch norm not folded: its scale, offset, mean or variance is not a constant}}
  %b = tfg.fused_batch_norm %c, %p, %p, %p, %var {epsilon = 0.0 : f32} : (tensor<1x4x4x1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x1xf32>
  return %b : tensor<1x4x4x1xf32>
}

// -----

// Weights that are not constants: no fold, a scale and offset instead.
// CHECK-LABEL: func.func @variable_weights
// CHECK: tfg.conv2d %arg0, %arg1 {
// CHECK: tfg.mul
func.func @variable_weights(%x: tensor<1x4x4x1xf32>, %w: tensor<1x1x1x1xf32>) -> tensor<1x4x4x1xf32> {
  %p = tfg.const dense<1.0> : tensor<1xf32>
  %c = tfg.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x4x4x1xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x1xf32>
  // expected-remark @+1 {{batch norm not folded: its producer's weights are not a constant}}
  %b = tfg.fused_batch_norm %c, %p, %p, %p, %p {epsilon = 3.0 : f32} : (tensor<1x4x4x1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x1xf32>
  return %b : tensor<1x4x4x1xf32>
}

// -----

// var + eps = 0 divides by zero: nothing is folded or rewritten.
// CHECK-LABEL: func.func @zero_variance
// CHECK: tfg.fused_batch_norm
func.func @zero_variance(%x: tensor<1x4x4x1xf32>) -> tensor<1x4x4x1xf32> {
  %w = tfg.const dense<1.0> : tensor<1x1x1x1xf32>
  %p = tfg.const dense<1.0> : tensor<1xf32>
  %z = tfg.const dense<0.0> : tensor<1xf32>
  %c = tfg.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x4x4x1xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x1xf32>
  // expected-remark @+1 {{batch norm not folded: variance + epsilon of channel 0 is not positive}}
  %b = tfg.fused_batch_norm %c, %p, %p, %p, %z {epsilon = 0.0 : f32} : (tensor<1x4x4x1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x1xf32>
  return %b : tensor<1x4x4x1xf32>
}
