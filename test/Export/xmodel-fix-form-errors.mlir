// RUN: not vai-translate --export-xmodel --xmodel-fix-form %s -split-input-file -o %t.xmodel 2>&1 | FileCheck %s

// A constant read as convolution weights (written [O, kh, kw, I]) and as
// another operand would need two layouts.
func.func @main(%x: tensor<1x1x1x1xf32>) -> tensor<1x1x1x1x!quant.fix<s8, 7>> {
  %q = quant.quantize %x : tensor<1x1x1x1xf32> -> tensor<1x1x1x1x!quant.fix<s8, 7>> loc("q")
  // CHECK: error: loc("w"): cannot be written in XIR's quantized form: convolution weights also read as another operand need two layouts
  %w = quant.const dense<1> : tensor<1x1x1x1xi8> -> tensor<1x1x1x1x!quant.fix<s8, 7>> loc("w")
  %c = quant.conv2d %q, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x1x1x1x!quant.fix<s8, 7>>, tensor<1x1x1x1x!quant.fix<s8, 7>>) -> tensor<1x1x1x1x!quant.fix<s8, 7>> loc("c")
  %a = quant.add %c, %w : (tensor<1x1x1x1x!quant.fix<s8, 7>>, tensor<1x1x1x1x!quant.fix<s8, 7>>) -> tensor<1x1x1x1x!quant.fix<s8, 7>> loc("a")
  return %a : tensor<1x1x1x1x!quant.fix<s8, 7>>
}

// -----

// Argument names and sizes must cover the operands.
func.func @main(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  // CHECK: error: loc("act"): XIR op 'act': xir.args (names) and xir.arg_sizes must have one entry per argument and sizes summing to the 1 operands
  %r = tfg.node "xir" "relu"(%x) {xir.args = ["input"], xir.arg_sizes = array<i32: 2>} : (tensor<1x4xf32>) -> tensor<1x4xf32> loc("act")
  return %r : tensor<1x4xf32>
}

// -----

// An attribute without an XIR kind.
func.func @main(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  // CHECK: error: loc("act"): XIR op 'act': attribute 'bad': a dictionary needs the keys 'xir.kind' (a string) and 'value'
  %r = tfg.node "xir" "relu"(%x) {attrs = {bad = {a = 1}}} : (tensor<1x4xf32>) -> tensor<1x4xf32> loc("act")
  return %r : tensor<1x4xf32>
}

// -----

// Ops of other frameworks have no XIR form.
func.func @main(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  // CHECK: error: loc("sin"): cannot be written in XIR's quantized form: no XIR op for 'tfg.node'
  %r = tfg.node "onnx" "Sin"(%x) : (tensor<1x4xf32>) -> tensor<1x4xf32> loc("sin")
  return %r : tensor<1x4xf32>
}
