// input-nodes / output-nodes: only the ops strictly after the input nodes
// and up to the output nodes are quantized; the rest stays float as with
// ignore-nodes.
// RUN: vai-opt %s -quant-quantize="input-nodes=pre output-nodes=out" | FileCheck %s --check-prefix=SCOPE
// Starting at the argument puts the relu in scope, which has no
// fixed-point form on its own.
// RUN: not vai-opt %s -quant-quantize="input-nodes=x output-nodes=out" 2>&1 | FileCheck %s --check-prefix=FROMARG
// RUN: not vai-opt %s -quant-quantize 2>&1 | FileCheck %s --check-prefix=NOSCOPE
// RUN: not vai-opt %s -quant-quantize="output-nodes=out,later" 2>&1 | FileCheck %s --check-prefix=UNKNOWN


// Only the conv and the max pool lie strictly after "pre" and up to "out":
// the relu before and the sigmoid after stay float (neither could be
// quantized on its own), and the argument, read only by the relu, needs no
// quantize.
// SCOPE-LABEL: func.func @scope
// SCOPE-NOT: quant.quantize %arg0
// SCOPE: %[[R:.*]] = tfg.relu %arg0 {quant.ignored}
// SCOPE: %[[Q:.*]] = quant.quantize %[[R]] : tensor<1x4x4x1xf32> -> tensor<1x4x4x1x!quant.fix<s8, 6>>
// SCOPE: %[[C:.*]] = quant.conv2d %[[Q]]
// SCOPE: %[[P:.*]] = quant.max_pool %[[C]]
// SCOPE: %[[D:.*]] = quant.dequantize %[[P]]
// SCOPE: %[[S:.*]] = tfg.sigmoid %[[D]] {quant.ignored}
// SCOPE: return %[[S]]
// NOSCOPE: error: loc("pre"): cannot be quantized on its own: run tfg-fuse-bias-activation first
func.func @scope(%x: tensor<1x4x4x1xf32> {quant.fix_point = 6 : i32, tfg.name = "x"}) -> tensor<1x2x2x1xf32> {
  %r = tfg.relu %x {quant.fix_point = 6 : i32} : tensor<1x4x4x1xf32> loc("pre")
  %w = tfg.const dense<0.5> : tensor<1x1x1x1xf32>
  %c = tfg.conv2d %r, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, quant.fix_point = 5 : i32} : (tensor<1x4x4x1xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x1xf32> loc("conv")
  %p = tfg.max_pool %c {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, quant.fix_point = 5 : i32} : (tensor<1x4x4x1xf32>) -> tensor<1x2x2x1xf32> loc("out")
  %s = tfg.sigmoid %p {quant.fix_point = 7 : i32} : tensor<1x2x2x1xf32> loc("post")
  return %s : tensor<1x2x2x1xf32>
}
// FROMARG: error: loc("pre"): cannot be quantized on its own
// UNKNOWN: error: quant-quantize: output-nodes: no node named 'later' in the function
