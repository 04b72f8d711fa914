// quant-fast-finetune records the positions it optimised for, and keeps
// the original constants when finetuning cannot lower the layer's error:
// with Inputs/corrections.npy (values on the 1/64 grid), weights [1.0, 0.5]
// and bias 0.5 every product and output is exact, so the error is 0.
// RUN: vai-opt %s -split-input-file -pass-pipeline='builtin.module(func.func(quant-calibrate{data=%S/Inputs/corrections.npy},quant-fast-finetune{data=%S/Inputs/corrections.npy}))' | FileCheck %s
// RUN: vai-opt %s -split-input-file -pass-pipeline='builtin.module(func.func(quant-calibrate{data=%S/Inputs/corrections.npy},quant-fast-finetune{data=%S/Inputs/corrections.npy report=true iterations=20 batch-size=2}))' -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT

// CHECK-LABEL: func.func @exact
// CHECK-DAG: %[[W:.*]] = tfg.const dense<{{\[\[\[\[}}1.000000e+00, 5.000000e-01]]]]>
// CHECK-DAG: %[[B:.*]] = tfg.const dense<5.000000e-01>
// CHECK: tfg.conv2d %arg0, %[[W]], %[[B]] {{.*}}quant.bias_fix_point = 7 : i32{{.*}}quant.weight_fix_point = 6 : i32
// REPORT: quant-fast-finetune: conv: mse 0 -> 0 (kept the original)
func.func @exact(%x: tensor<?x2x2x1xf32>) -> tensor<?x2x2x2xf32> {
  %w = tfg.const dense<[[[[1.0, 0.5]]]]> : tensor<1x1x1x2xf32>
  %b = tfg.const dense<0.5> : tensor<2xf32>
  %c = tfg.conv2d %x, %w, %b {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, activation = #tfg.activation<relu>} : (tensor<?x2x2x1xf32>, tensor<1x1x1x2xf32>, tensor<2xf32>) -> tensor<?x2x2x2xf32> loc("conv")
  return %c : tensor<?x2x2x2xf32>
}

// -----

// matmul and depthwise layers are finetuned too (report lines in order).
// REPORT: quant-fast-finetune: dw: mse
// REPORT: quant-fast-finetune: fc: mse
// CHECK-LABEL: func.func @layers
// CHECK: tfg.depthwise_conv2d {{.*}}quant.weight_fix_point = 6 : i32
// CHECK: tfg.matmul {{.*}}quant.bias_fix_point = {{-?[0-9]+}} : i32{{.*}}quant.weight_fix_point = {{-?[0-9]+}} : i32
func.func @layers(%x: tensor<?x2x2x1xf32>) -> tensor<?x2xf32> {
  %w = tfg.const dense<[[[[1.0, 0.01171875]]]]> : tensor<1x1x1x2xf32>
  %d = tfg.depthwise_conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, activation = #tfg.activation<relu>} : (tensor<?x2x2x1xf32>, tensor<1x1x1x2xf32>) -> tensor<?x2x2x2xf32> loc("dw")
  %r = tfg.reshape %d : (tensor<?x2x2x2xf32>) -> tensor<?x8xf32>
  %m = tfg.const dense<0.125> : tensor<8x2xf32>
  %b = tfg.const dense<0.25> : tensor<2xf32>
  %y = tfg.matmul %r, %m, %b : (tensor<?x8xf32>, tensor<8x2xf32>, tensor<2xf32>) -> tensor<?x2xf32> loc("fc")
  return %y : tensor<?x2xf32>
}
