// quant-bias-correction and quant-fast-finetune diagnostics: an uncalibrated
// function, a missing data file, no data, an unknown method.
// RUN: not vai-opt %s -pass-pipeline='builtin.module(func.func(quant-bias-correction{data=%S/Inputs/corrections.npy}))' 2>&1 | FileCheck %s --check-prefix=UNCAL
// RUN: not vai-opt %s -pass-pipeline='builtin.module(func.func(quant-fast-finetune{data=%S/Inputs/corrections.npy}))' 2>&1 | FileCheck %s --check-prefix=UNCAL-FT
// RUN: not vai-opt %s -pass-pipeline='builtin.module(func.func(quant-calibrate{data=%S/Inputs/corrections.npy},quant-bias-correction{data=%t.missing.npy}))' 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not vai-opt %s -pass-pipeline='builtin.module(func.func(quant-calibrate{data=%S/Inputs/corrections.npy},quant-fast-finetune{data=%t.missing.npy}))' 2>&1 | FileCheck %s --check-prefix=MISSING-FT
// RUN: not vai-opt %s -pass-pipeline='builtin.module(func.func(quant-calibrate{data=%S/Inputs/corrections.npy},quant-bias-correction))' 2>&1 | FileCheck %s --check-prefix=NODATA
// RUN: not vai-opt %s -pass-pipeline='builtin.module(func.func(quant-calibrate{data=%S/Inputs/corrections.npy},quant-bias-correction{data=%S/Inputs/corrections.npy method=3}))' 2>&1 | FileCheck %s --check-prefix=METHOD
// The conv lost its calibrated position.
// RUN: vai-opt %s -pass-pipeline='builtin.module(func.func(quant-calibrate{data=%S/Inputs/corrections.npy}))' | sed 's/quant.fix_point = [0-9]* : i32, //' | not vai-opt -pass-pipeline='builtin.module(func.func(quant-bias-correction{data=%S/Inputs/corrections.npy}))' 2>&1 | FileCheck %s --check-prefix=LAYER

// UNCAL: error: quant-bias-correction: input 0 has no 'quant.fix_point': run quant-calibrate first
// UNCAL-FT: error: quant-fast-finetune: input 0 has no 'quant.fix_point': run quant-calibrate first
// MISSING: error: quant-bias-correction: {{.*}}missing.npy
// MISSING-FT: error: quant-fast-finetune: {{.*}}missing.npy
// NODATA: error: quant-bias-correction: no calibration data (option 'data')
// METHOD: error: quant-bias-correction: method 3 is not supported
// LAYER: error: quant-bias-correction: has no 'quant.fix_point': run quant-calibrate first
func.func @conv(%x: tensor<?x2x2x1xf32>) -> tensor<?x2x2x2xf32> {
  %w = tfg.const dense<[[[[1.0, 0.01171875]]]]> : tensor<1x1x1x2xf32>
  %b = tfg.const dense<0.5> : tensor<2xf32>
  %c = tfg.conv2d %x, %w, %b {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, activation = #tfg.activation<none>} : (tensor<?x2x2x1xf32>, tensor<1x1x1x2xf32>, tensor<2xf32>) -> tensor<?x2x2x2xf32>
  return %c : tensor<?x2x2x2xf32>
}
