// RUN: not vai-translate --export-xmodel %s -split-input-file -o %t.xmodel 2>&1 | FileCheck %s
// RUN: not test -e %t.xmodel

// Only partitioned modules can be written: a quant op outside any subgraph
// is an error naming the op.
// CHECK: error: cannot be written to an xmodel outside a subgraph: run dpu-partition first
func.func @main(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %q = quant.quantize %x : tensor<1x4xf32> -> tensor<1x4x!quant.fix<s8, 7>>
  %r = quant.reshape %q : (tensor<1x4x!quant.fix<s8, 7>>) -> tensor<4x1x!quant.fix<s8, 7>>
  %d = quant.dequantize %r : tensor<4x1x!quant.fix<s8, 7>> -> tensor<4x1xf32>
  %e = quant.reshape %q : (tensor<1x4x!quant.fix<s8, 7>>) -> tensor<1x4x!quant.fix<s8, 7>>
  %f = quant.dequantize %e : tensor<1x4x!quant.fix<s8, 7>> -> tensor<1x4xf32>
  return %f : tensor<1x4xf32>
}

// -----

// CHECK: error: no function @main to export
func.func @other(%x: tensor<1xf32>) -> tensor<1xf32> {
  return %x : tensor<1xf32>
}
