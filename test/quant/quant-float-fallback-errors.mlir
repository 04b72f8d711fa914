// float-fallback leaves ops with no fixed-point form float, but not those
// that mean a missing prepare pass (bias_add, relu, batch norm), and not an
// op whose float output a fixed-point op reads without a calibrated position.
// RUN: vai-opt %s -split-input-file -quant-quantize -verify-diagnostics

func.func @bias_add(%x: tensor<?x4xf32> {quant.fix_point = 5 : i32}) -> tensor<?x4xf32> {
  %b = tfg.const dense<0.25> : tensor<4xf32>
  // expected-error @+1 {{cannot be quantized on its own: run tfg-fuse-bias-activation first}}
  %y = tfg.bias_add %x, %b {quant.fix_point = 5 : i32} : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

func.func @uncalibrated(%x: tensor<1x4x4x1xf32> {quant.fix_point = 6 : i32}) -> tensor<1x4x4x1xf32> {
  %w = tfg.const dense<0.5> : tensor<1x1x1x1xf32>
  %s = tfg.tanh %x : tensor<1x4x4x1xf32>
  // expected-error @+1 {{uses the output of float op 'tfg.tanh', which has no single calibrated 'quant.fix_point'}}
  %d = tfg.conv2d %s, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, quant.fix_point = 6 : i32} : (tensor<1x4x4x1xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x1xf32>
  return %d : tensor<1x4x4x1xf32>
}
