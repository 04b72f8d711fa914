// An op left float that XIR has no float op for here (a transposed matmul)
// stops both xmodel writers with an error naming it.
// RUN: vai-opt %s -quant-quantize -dpu-partition=arch=%examples/fashion_mnist/arch.json 2>/dev/null | not vai-translate --export-xmodel -o %t.xmodel 2>&1 | FileCheck %s
// RUN: vai-opt %s -quant-quantize | not vai-translate --export-xmodel --xmodel-fix-form -o %t.fix.xmodel 2>&1 | FileCheck %s --check-prefix=FIXFORM
// CHECK: error: cannot be written to an xmodel: no XIR op for 'tfg.matmul' in a CPU subgraph
// FIXFORM: error: cannot be written in XIR's quantized form: no XIR op for 'tfg.matmul'
func.func @main(%x: tensor<?x6xf32> {quant.fix_point = 5 : i32}) -> tensor<?x4xf32> {
  %w = tfg.const dense<0.25> : tensor<4x6xf32>
  %m = tfg.matmul %x, %w {transpose_b = true, quant.fix_point = 3 : i32} : (tensor<?x6xf32>, tensor<4x6xf32>) -> tensor<?x4xf32>
  return %m : tensor<?x4xf32>
}
