// quant-bias-correction on hand-checked layers. Inputs/corrections.npy
// (Inputs/make_corrections_npy.py) holds values on the grid of their fix
// position 6 with mean 1.0, so the fake-quantized input equals the float
// one. The weights [1.0, 0.01171875] take position 6 (method 1 and 0): 1.0
// is exact, 0.01171875 = 0.75/64 rounds up to 1/64, so channel 1 reads
// x * 0.00390625 too much and its bias must drop by mean(x) * 0.00390625 =
// 0.00390625 while channel 0 keeps its bias.
// RUN: vai-opt %s -split-input-file -pass-pipeline='builtin.module(func.func(quant-calibrate{data=%S/Inputs/corrections.npy},quant-bias-correction{data=%S/Inputs/corrections.npy}))' | FileCheck %s
// RUN: vai-opt %s -split-input-file -pass-pipeline='builtin.module(func.func(quant-calibrate{data=%S/Inputs/corrections.npy method=0},quant-bias-correction{data=%S/Inputs/corrections.npy method=0}))' | FileCheck %s
// The corrected model quantizes at the recorded positions.
// RUN: vai-opt %s -split-input-file -pass-pipeline='builtin.module(func.func(quant-calibrate{data=%S/Inputs/corrections.npy},quant-bias-correction{data=%S/Inputs/corrections.npy},quant-quantize))' | FileCheck %s --check-prefix=QUANT

// CHECK-LABEL: func.func @conv
// CHECK: %[[B:.*]] = tfg.const dense<[5.000000e-01, 0.49609375]>
// CHECK: tfg.conv2d %arg0, %{{.*}}, %[[B]] {{.*}}quant.bias_fix_point = {{[0-9]+}} : i32{{.*}}quant.weight_fix_point = 6 : i32
// QUANT-LABEL: func.func @conv
// QUANT: quant.const dense<{{\[\[\[\[}}64, 1]]]]> : tensor<1x1x1x2xi8> -> tensor<1x1x1x2x!quant.fix<s8, 6>>
// QUANT: quant.const {{.*}} -> tensor<2x!quant.fix<s8, 7>>
func.func @conv(%x: tensor<?x2x2x1xf32>) -> tensor<?x2x2x2xf32> {
  %w = tfg.const dense<[[[[1.0, 0.01171875]]]]> : tensor<1x1x1x2xf32>
  %b = tfg.const dense<0.5> : tensor<2xf32>
  %c = tfg.conv2d %x, %w, %b {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, activation = #tfg.activation<none>} : (tensor<?x2x2x1xf32>, tensor<1x1x1x2xf32>, tensor<2xf32>) -> tensor<?x2x2x2xf32>
  return %c : tensor<?x2x2x2xf32>
}

// -----

// A layer without a bias gets one; the activation does not matter (the
// mean is taken before it).
// CHECK-LABEL: func.func @depthwise_no_bias
// CHECK: %[[B:.*]] = tfg.const dense<[0.000000e+00, -3.906250e-03]>
// CHECK: tfg.depthwise_conv2d %arg0, %{{.*}}, %[[B]] {{.*}}quant.bias_fix_point
func.func @depthwise_no_bias(%x: tensor<?x2x2x1xf32>) -> tensor<?x2x2x2xf32> {
  %w = tfg.const dense<[[[[1.0, 0.01171875]]]]> : tensor<1x1x1x2xf32>
  %d = tfg.depthwise_conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, activation = #tfg.activation<relu>} : (tensor<?x2x2x1xf32>, tensor<1x1x1x2xf32>) -> tensor<?x2x2x2xf32>
  return %d : tensor<?x2x2x2xf32>
}

// -----

// matmul reads the first pixel (mean 1.0 over the four images) only.
// CHECK-LABEL: func.func @matmul
// CHECK: %[[B:.*]] = tfg.const dense<[2.500000e-01, 0.24609375]>
// CHECK: tfg.matmul %{{.*}}, %{{.*}}, %[[B]] {{.*}}quant.weight_fix_point = 6 : i32
func.func @matmul(%x: tensor<?x2x2x1xf32>) -> tensor<?x2xf32> {
  %r = tfg.reshape %x : (tensor<?x2x2x1xf32>) -> tensor<?x4xf32>
  %w = tfg.const dense<[[1.0, 0.01171875], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0]]> : tensor<4x2xf32>
  %b = tfg.const dense<0.25> : tensor<2xf32>
  %m = tfg.matmul %r, %w, %b {activation = #tfg.activation<relu>} : (tensor<?x4xf32>, tensor<4x2xf32>, tensor<2xf32>) -> tensor<?x2xf32>
  return %m : tensor<?x2xf32>
}
