// RUN: not vai-translate --export-xmodel --xmodel-fix-form %s -split-input-file -o %t.xmodel 2>&1 | FileCheck %s

// XIR's quantized form is written for quant.const, quant.quantize and
// tfg.node "xir"; anything else is an error naming the op.
func.func @main(%x: tensor<1x4xf32>) -> tensor<4x1x!quant.fix<s8, 7>> {
  %q = quant.quantize %x : tensor<1x4xf32> -> tensor<1x4x!quant.fix<s8, 7>> loc("q")
  // CHECK: error: loc("r"): cannot be written in XIR's quantized form: no XIR op for 'quant.reshape'
  %r = quant.reshape %q : (tensor<1x4x!quant.fix<s8, 7>>) -> tensor<4x1x!quant.fix<s8, 7>> loc("r")
  return %r : tensor<4x1x!quant.fix<s8, 7>>
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
